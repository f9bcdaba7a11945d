import { createServer as createHttpServer } from 'node:http';
import { AddressInfo, createServer, Socket } from 'node:net';
import { RealtimeIoAdapter } from './realtime-io.adapter';

describe('RealtimeIoAdapter with Redis', () => {
  // ioredis keeps a 2-second timer after cutting a connection (its disconnectTimeout); let it run out here.
  afterAll(() => new Promise((r) => setTimeout(r, 2100)));

  it('drops the publishes Redis never answered when it shuts down: no unhandled rejection, no hang', async () => {
    // A "Redis" that accepts connections and never replies, so every publish is still pending at shutdown.
    const held: Socket[] = [];
    const silent = createServer((c) => held.push(c.on('data', () => undefined)));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    const rejections: unknown[] = [];
    const onRejection = (err: unknown) => rejections.push(err);
    process.on('unhandledRejection', onRejection);
    try {
      const adapter = new RealtimeIoAdapter(createHttpServer(), { redisUrl: `redis://127.0.0.1:${port}` });
      const io = adapter.createIOServer(0);
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 1; i <= 5; i += 1) io.of('/chat').to(`user:${i}`).emit('chat:message', { i });
      await adapter.close(io);
      await adapter.dispose();
      await new Promise((r) => setTimeout(r, 100));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      for (const c of held) c.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
