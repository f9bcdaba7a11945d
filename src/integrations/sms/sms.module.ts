import { Global, Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { AliyunSmsSender } from './aliyun-sms.sender';
import { ConsoleSmsSender } from './console-sms.sender';
import { SmsSender } from './sms-sender';

function createSender(config: AppConfig): SmsSender {
  if (config.SMS_DRIVER === 'console') return new ConsoleSmsSender(config.NODE_ENV === 'development');
  const { ALIYUN_ACCESS_KEY_ID, ALIYUN_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME, ALIYUN_SMS_TEMPLATE_CODE } =
    config;
  if (
    !ALIYUN_ACCESS_KEY_ID ||
    !ALIYUN_ACCESS_KEY_SECRET ||
    !ALIYUN_SMS_SIGN_NAME ||
    !ALIYUN_SMS_TEMPLATE_CODE
  ) {
    throw new Error(
      'SMS_DRIVER=aliyun needs ALIYUN_ACCESS_KEY_ID, ALIYUN_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME, ALIYUN_SMS_TEMPLATE_CODE',
    );
  }
  return new AliyunSmsSender({
    accessKeyId: ALIYUN_ACCESS_KEY_ID,
    accessKeySecret: ALIYUN_ACCESS_KEY_SECRET,
    signName: ALIYUN_SMS_SIGN_NAME,
    templateCode: ALIYUN_SMS_TEMPLATE_CODE,
    endpoint: config.ALIYUN_SMS_ENDPOINT,
  });
}

@Global()
@Module({
  providers: [{ provide: SmsSender, inject: [AppConfig], useFactory: createSender }],
  exports: [SmsSender],
})
export class SmsModule {}
