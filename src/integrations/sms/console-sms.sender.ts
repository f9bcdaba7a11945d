import { Logger } from '@nestjs/common';
import { SmsSender } from './sms-sender';

/** Development driver: writes the code to the log instead of sending it. */
export class ConsoleSmsSender extends SmsSender {
  private readonly logger = new Logger('SMS');

  async sendCode(phone: string, code: string): Promise<void> {
    this.logger.log(`verification code for ${phone}: ${code}`);
    return Promise.resolve();
  }
}
