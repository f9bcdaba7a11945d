import { Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { PartnerHttpFactory } from '../partner-http/partner-http.factory';
import { ALIHEALTH_PARTNER, AlihealthClient } from './alihealth.client';
import { FollowupDeliveryService } from './followup-delivery.service';
import { FollowupController } from './followup.controller';
import { FollowupRepository } from './followup.repository';
import { FollowupService } from './followup.service';

/** The documented gateways all end in `/router/rest`; a bare host means that path. */
export function gatewayParts(url: string | undefined): { base?: string; path: string } {
  if (!url) return { path: '/router/rest' };
  const u = new URL(url);
  return { base: u.origin, path: u.pathname === '/' ? '/router/rest' : u.pathname };
}

export function createAlihealthClient(config: AppConfig, factory: PartnerHttpFactory): AlihealthClient {
  const { base, path } = gatewayParts(config.ALIHEALTH_BASE_URL);
  const secrets = [config.ALIHEALTH_APP_SECRET, config.ALIHEALTH_SESSION, config.ALIHEALTH_AUTH_TOKEN];
  return new AlihealthClient(
    factory.create(ALIHEALTH_PARTNER, base, secrets),
    {
      appKey: config.ALIHEALTH_APP_KEY || undefined,
      appSecret: config.ALIHEALTH_APP_SECRET || undefined,
      signMethod: config.ALIHEALTH_SIGN_METHOD,
      session: config.ALIHEALTH_SESSION || undefined,
      authToken: config.ALIHEALTH_AUTH_TOKEN || undefined,
    },
    path,
  );
}

/**
 * 阿里健康随访 (Taobao Open Platform): the signed client, dialogs linked to follow-up sessions by operators, and
 * the reliable delivery of their messages. The chat module imports it to record deliveries with each message;
 * this module reads chat dialogs but does not import the chat module (no cycle).
 */
@Module({
  controllers: [FollowupController],
  providers: [
    { provide: AlihealthClient, inject: [AppConfig, PartnerHttpFactory], useFactory: createAlihealthClient },
    FollowupRepository,
    FollowupService,
    FollowupDeliveryService,
  ],
  exports: [FollowupService],
})
export class AlihealthModule {}
