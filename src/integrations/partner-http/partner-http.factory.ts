import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { PartnerHttp, PartnerHttpSettings } from './partner-http';
import { PartnerMetrics } from './partner-metrics';

/** Builds each partner's `PartnerHttp` from the shared PARTNER_* settings, all reporting to one metrics registry. */
@Injectable()
export class PartnerHttpFactory {
  constructor(
    private readonly config: AppConfig,
    readonly metrics: PartnerMetrics,
  ) {}

  create(
    partner: string,
    baseUrl: string | undefined,
    secrets: readonly (string | undefined)[] = [],
    overrides: Partial<PartnerHttpSettings> = {},
  ): PartnerHttp {
    const c = this.config;
    const settings: PartnerHttpSettings = {
      timeoutMs: c.PARTNER_TIMEOUT_MS,
      retries: c.PARTNER_RETRIES,
      retryDelayMs: c.PARTNER_RETRY_DELAY_MS,
      breakerFailures: c.PARTNER_BREAKER_FAILURES,
      breakerHalfOpenMs: c.PARTNER_BREAKER_HALF_OPEN_MS,
      ...overrides,
    };
    return new PartnerHttp(partner, baseUrl || undefined, settings, this.metrics, secrets);
  }
}
