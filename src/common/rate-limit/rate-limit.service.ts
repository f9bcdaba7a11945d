import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { closeRedis } from 'src/common/redis/close-redis';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';

/** The window in which failed password logins add up (per phone and account type). */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

export interface WindowHit {
  hits: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

interface CounterStore {
  hit(key: string, windowMs: number): Promise<WindowHit>;
  peek(key: string): Promise<number>;
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Fixed windows in one Postgres row per key: an upsert that restarts the window once it has expired. */
class PostgresStore implements CounterStore {
  constructor(private readonly db: DataSource) {}

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    const [row] = await this.db.query<{ hits: number; reset_in_ms: number }[]>(
      `INSERT INTO rate_limit_counter AS c (key, hits, expires_at)
       VALUES ($1, 1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.expires_at <= now() THEN 1 ELSE c.hits + 1 END,
         expires_at = CASE WHEN c.expires_at <= now() THEN EXCLUDED.expires_at ELSE c.expires_at END
       RETURNING hits, GREATEST(0, EXTRACT(EPOCH FROM (expires_at - now())) * 1000)::float8 AS reset_in_ms`,
      [key, windowMs],
    );
    return { hits: row.hits, resetInMs: Math.ceil(row.reset_in_ms) };
  }

  async peek(key: string): Promise<number> {
    const rows = await this.db.query<{ hits: number }[]>(
      'SELECT hits FROM rate_limit_counter WHERE key = $1 AND expires_at > now()',
      [key],
    );
    return rows[0]?.hits ?? 0;
  }

  async release(key: string): Promise<void> {
    await this.db.query(
      'UPDATE rate_limit_counter SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND expires_at > now()',
      [key],
    );
  }

  async close(): Promise<void> {}
}

const REDIS_HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}`;

const REDIS_RELEASE = `
if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then
  redis.call('DECR', KEYS[1])
end
return 0`;

class RedisStore implements CounterStore {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, keyPrefix: 'rl:' });
  }

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    const [hits, ttl] = (await this.redis.eval(REDIS_HIT, 1, key, windowMs)) as [number, number];
    return { hits, resetInMs: ttl };
  }

  async peek(key: string): Promise<number> {
    return Number((await this.redis.get(key)) ?? 0);
  }

  async release(key: string): Promise<void> {
    await this.redis.eval(REDIS_RELEASE, 1, key);
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}

/**
 * Counters shared by every app instance: in Postgres by default, in Redis when REDIS_URL is set.
 * Used by the request throttler and by the SMS and login limits, which key on phone numbers.
 */
@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly store: CounterStore;

  constructor(@InjectDataSource() db: DataSource, config: AppConfig) {
    this.store = config.REDIS_URL ? new RedisStore(config.REDIS_URL) : new PostgresStore(db);
  }

  get backend(): 'redis' | 'postgres' {
    return this.store instanceof RedisStore ? 'redis' : 'postgres';
  }

  hit(key: string, windowMs: number): Promise<WindowHit> {
    return this.store.hit(key, windowMs);
  }

  /** Current count without counting a hit. */
  peek(key: string): Promise<number> {
    return this.store.peek(key);
  }

  /**
   * Takes back one hit of the current window. For limits on failures that must hold under concurrency: take
   * a hit before the attempt (so a burst cannot all pass a check made before any of them is counted) and
   * release it when the attempt succeeds.
   */
  release(key: string): Promise<void> {
    return this.store.release(key);
  }

  /**
   * Runs `attempt` under a budget of failures per key and window: more than `limit` counted tries refuse it
   * with `lockedCode` before it runs. A try that throws stays counted; one that succeeds is given back.
   */
  async limitFailures<T>(
    key: string,
    windowMs: number,
    limit: number,
    lockedCode: ErrorCode,
    attempt: () => Promise<T>,
  ): Promise<T> {
    if ((await this.hit(key, windowMs)).hits > limit) throw new AppException(lockedCode);
    const result = await attempt();
    await this.release(key);
    return result;
  }

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}
