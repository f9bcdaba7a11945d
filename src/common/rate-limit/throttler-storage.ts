import { Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
import { RateLimitService } from './rate-limit.service';

/** Lets @nestjs/throttler count in the shared store, so limits hold across instances. */
@Injectable()
export class SharedThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly limits: RateLimitService) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const { hits, resetInMs } = await this.limits.hit(`throttle:${throttlerName}:${key}`, ttl);
    const seconds = Math.ceil(resetInMs / 1000);
    return {
      totalHits: hits,
      timeToExpire: seconds,
      isBlocked: hits > limit,
      timeToBlockExpire: hits > limit ? seconds : 0,
    };
  }
}
