import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from 'src/config/app-config';
import { UploadsModule } from 'src/modules/uploads/uploads.module';
import { User } from 'src/modules/users/user.entity';
import { WechatClient } from './wechat.client';
import { WechatController } from './wechat.controller';
import { WechatMediaService } from './wechat-media.service';
import { WechatOauthService } from './wechat-oauth.service';
import { WechatToken } from './wechat-token.entity';
import { WechatTokenStore } from './wechat-token.store';

export function createWechatClient(config: AppConfig): WechatClient {
  return new WechatClient({
    baseUrl: config.WECHAT_API_BASE,
    appId: config.WECHAT_APP_ID || undefined,
    secret: config.WECHAT_APP_SECRET || undefined,
    timeoutMs: config.WECHAT_TIMEOUT_MS,
    bodyTimeoutMs: Math.max(15_000, config.WECHAT_TIMEOUT_MS),
    retries: 2,
    retryDelayMs: 300,
    maxMediaBytes: config.UPLOAD_MAX_BYTES,
  });
}

/**
 * The WeChat official-account API: a shared access token, media download (`GET /weixin/media`) and the
 * web-authorization code exchange that records the caller's openid (`GET /weixin/oauth`).
 */
@Module({
  imports: [TypeOrmModule.forFeature([WechatToken, User]), UploadsModule],
  controllers: [WechatController],
  providers: [
    { provide: WechatClient, inject: [AppConfig], useFactory: createWechatClient },
    WechatTokenStore,
    WechatMediaService,
    WechatOauthService,
  ],
})
export class WechatModule {}
