import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { closeRedis } from 'src/common/redis/close-redis';

/**
 * A Redis client whose commands never become unhandled rejections. The Socket.IO Redis adapter publishes
 * and (un)subscribes without awaiting, so during an outage a failed publish would otherwise end the process.
 * Real-time delivery is best effort (messages are in the database), so a lost publish is acceptable; callers
 * that await a command still see its failure.
 */
class BestEffortRedis extends Redis {
  override sendCommand(...args: Parameters<Redis['sendCommand']>): unknown {
    const result = super.sendCommand(...args);
    if (result instanceof Promise) result.catch(() => undefined);
    return result;
  }
}

/** Nest's Socket.IO server type (platform-socket.io brings its own copy of socket.io). */
type IoServer = ReturnType<IoAdapter['create']>;
type IoServerOptions = NonNullable<Parameters<IoAdapter['create']>[1]>;

export interface RealtimeOptions {
  /** With Redis, emits fan out to the sockets of every instance; without, only to this instance's. */
  redisUrl?: string;
  /** Socket.IO answers its own HTTP requests (polling, handshake), outside Express' CORS middleware. */
  cors?: IoServerOptions['cors'];
}

/** Socket.IO on the application's HTTP server, with the Redis pub/sub adapter when `redisUrl` is set. */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Realtime');
  private readonly clients: Redis[] = [];

  constructor(
    appOrHttpServer: INestApplicationContext | object,
    private readonly options: RealtimeOptions,
  ) {
    super(appOrHttpServer);
  }

  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    const server = super.createIOServer(port, {
      ...options,
      ...(this.options.cors ? { cors: this.options.cors } : {}),
    }) as IoServer;
    if (this.options.redisUrl) {
      const pub = this.connect(this.options.redisUrl, 'publisher');
      const sub = this.connect(this.options.redisUrl, 'subscriber');
      server.adapter(createAdapter(pub, sub));
    }
    return server;
  }

  /** Runs after Nest has closed the servers (and with them the adapter's subscriptions). */
  override async dispose(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((client) => closeRedis(client)));
    await super.dispose();
  }

  private connect(url: string, role: string): Redis {
    const client = new BestEffortRedis(url);
    // ioredis reports every failed reconnection attempt; one warning per outage is enough.
    let down = false;
    client.on('error', (err: Error) => {
      if (!down) this.logger.warn(`Redis ${role} unavailable, real-time fan-out paused: ${err.message}`);
      down = true;
    });
    client.on('ready', () => {
      if (down) this.logger.log(`Redis ${role} reconnected`);
      down = false;
    });
    this.clients.push(client);
    return client;
  }
}
