import { Global, Module } from '@nestjs/common';
import { RateLimitService } from './rate-limit.service';
import { SharedThrottlerStorage } from './throttler-storage';

@Global()
@Module({
  providers: [RateLimitService, SharedThrottlerStorage],
  exports: [RateLimitService, SharedThrottlerStorage],
})
export class RateLimitModule {}
