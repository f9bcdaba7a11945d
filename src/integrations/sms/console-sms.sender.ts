import { Logger } from '@nestjs/common';
import { maskPhone } from 'src/common/crypto/redaction';
import { SmsSender } from './sms-sender';

/**
 * Development driver: logs instead of sending. The code itself is logged only under NODE_ENV=development, where
 * that log is how a developer receives it; elsewhere logs never carry codes (use SMS_TEST_CODE in tests).
 */
export class ConsoleSmsSender extends SmsSender {
  private readonly logger = new Logger('SMS');

  constructor(private readonly showCodes: boolean) {
    super();
  }

  async sendCode(phone: string, code: string): Promise<void> {
    this.logger.log(
      this.showCodes
        ? `verification code for ${maskPhone(phone)}: ${code}`
        : `verification code for ${maskPhone(phone)} not sent (console driver)`,
    );
    return Promise.resolve();
  }
}
