import type Redis from 'ioredis';

/** How long shutdown waits for Redis to acknowledge QUIT before cutting the connection. */
const QUIT_TIMEOUT_MS = 1000;

/**
 * QUIT lets Redis close the connection cleanly; one that does not answer in time (or is down) is cut off, so
 * shutdown never hangs on an unresponsive Redis.
 */
export async function closeRedis(client: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS)));
  await Promise.race([
    client.quit().then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clearTimeout(timer);
  if (client.status !== 'end') client.disconnect();
}
