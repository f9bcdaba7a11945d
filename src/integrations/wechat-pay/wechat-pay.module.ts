import { Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { WechatPayClient } from './wechat-pay.client';
import { WechatPayNotifyController } from './wechat-pay-notify.controller';
import { WechatPayProvider } from './wechat-pay.provider';

export function createWechatPayClient(config: AppConfig): WechatPayClient {
  return new WechatPayClient({
    baseUrl: config.WECHAT_PAY_API_BASE,
    mchId: config.WECHAT_PAY_MCH_ID || undefined,
    appId: config.WECHAT_PAY_APP_ID || undefined,
    serialNo: config.WECHAT_PAY_SERIAL_NO || undefined,
    privateKey: config.WECHAT_PAY_PRIVATE_KEY || undefined,
    apiV3Key: config.WECHAT_PAY_API_V3_KEY || undefined,
    platformPublicKey: config.WECHAT_PAY_PLATFORM_PUBLIC_KEY || undefined,
    platformKeyId: config.WECHAT_PAY_PLATFORM_KEY_ID || undefined,
    notifyUrl: config.WECHAT_PAY_NOTIFY_URL || undefined,
    timeoutMs: 5000,
    retries: 2,
    retryDelayMs: 300,
  });
}

/**
 * WeChat Pay API v3: the signed client, `WechatPayProvider` (a `PaymentProvider`, name `wechat`) and the
 * notification endpoint `POST /payments/wechat/notify`. It depends on nothing but the configuration, so
 * PaymentsModule can import it for its provider; the controller reaches PaymentsService through ModuleRef.
 */
@Module({
  controllers: [WechatPayNotifyController],
  providers: [
    { provide: WechatPayClient, inject: [AppConfig], useFactory: createWechatPayClient },
    WechatPayProvider,
  ],
  exports: [WechatPayProvider, WechatPayClient],
})
export class WechatPayModule {}
