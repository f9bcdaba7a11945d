import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { SmsSender } from './sms-sender';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  /** Host[:port]; `http://` selects plain HTTP (a local stand-in). Default dysmsapi.aliyuncs.com. */
  endpoint?: string;
}

/** Production driver through the official SDK (SendSms, template parameter `code`). */
export class AliyunSmsSender extends SmsSender {
  private readonly client: Dysmsapi;

  constructor(private readonly options: AliyunSmsOptions) {
    super();
    const endpoint = options.endpoint ?? 'dysmsapi.aliyuncs.com';
    const plain = endpoint.startsWith('http://');
    this.client = new Dysmsapi(
      new $OpenApiUtil.Config({
        accessKeyId: options.accessKeyId,
        accessKeySecret: options.accessKeySecret,
        endpoint: endpoint.replace(/^https?:\/\//, ''),
        protocol: plain ? 'HTTP' : 'HTTPS',
        readTimeout: 5000,
        connectTimeout: 3000,
      }),
    );
  }

  async sendCode(phone: string, code: string): Promise<void> {
    const res = await this.client.sendSms(
      new SendSmsRequest({
        phoneNumbers: phone,
        signName: this.options.signName,
        templateCode: this.options.templateCode,
        templateParam: JSON.stringify({ code }),
      }),
    );
    if (res.body?.code !== 'OK') {
      throw new Error(`aliyun SendSms failed: ${res.body?.code ?? 'no code'} ${res.body?.message ?? ''}`);
    }
  }
}
