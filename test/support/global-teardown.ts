import { dropRun } from './db';

export default async function globalTeardown(): Promise<void> {
  const server = process.env.TEST_PG_SERVER_URL;
  if (server) await dropRun(server);
  await (globalThis as { __embeddedPg?: { stop(): Promise<void> } }).__embeddedPg?.stop();
}
