import { randomInt } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { keyedHash, safeEqualHex, SecretBox } from 'src/common/crypto/hashing';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { JobsService } from 'src/common/jobs/jobs.service';
import { RateLimitService } from 'src/common/rate-limit/rate-limit.service';
import { SmsSender } from 'src/integrations/sms/sms-sender';
import { SmsCode } from './sms-code.entity';

const HOUR_MS = 3600_000;
const SEND_JOB = 'sms.send-code';

interface SendJob {
  phone: string;
  /** The code, sealed: the queue table never holds it in clear. */
  sealed: string;
  expiresAt: string;
}

/** Where a code request came from: behind the captcha, or the bare `/phone/verifycode` (limited harder). */
export type CodeChannel = 'captcha' | 'direct';

@Injectable()
export class SmsCodeService implements OnModuleInit {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly limits: RateLimitService,
    private readonly jobs: JobsService,
    private readonly sender: SmsSender,
  ) {
    this.box = new SecretBox(config.APP_SECRET);
  }

  onModuleInit(): void {
    this.jobs.register<SendJob>(SEND_JOB, async (job) => {
      if (new Date(job.expiresAt).getTime() < Date.now()) return; // nobody can use it any more
      await this.sender.sendCode(job.phone, this.box.open(job.sealed));
    });
  }

  private hash(phone: string, code: string): string {
    return keyedHash(this.config.APP_SECRET, `sms:${phone}:${code}`);
  }

  private async enforceSendLimits(phone: string, ip: string, channel: CodeChannel): Promise<void> {
    const c = this.config;
    const perIp = channel === 'direct' ? c.SMS_NO_CAPTCHA_IP_HOURLY_LIMIT : c.SMS_IP_HOURLY_LIMIT;
    if ((await this.limits.hit(`sms:ip:${channel}:${ip}`, HOUR_MS)).hits > perIp) {
      throw new AppException(ErrorCode.SMS_IP_LIMIT);
    }
    if ((await this.limits.hit(`sms:gap:${phone}`, c.SMS_PHONE_INTERVAL_SECONDS * 1000)).hits > 1) {
      throw new AppException(ErrorCode.SMS_TOO_FREQUENT);
    }
    if ((await this.limits.hit(`sms:day:${phone}`, 24 * HOUR_MS)).hits > c.SMS_PHONE_DAILY_LIMIT) {
      throw new AppException(ErrorCode.SMS_DAILY_LIMIT);
    }
  }

  /** Issues a fresh code (the previous one stops working) and queues its delivery in the same transaction. */
  async send(phone: string, ip: string, channel: CodeChannel): Promise<void> {
    await this.enforceSendLimits(phone, ip, channel);
    const code = this.config.SMS_TEST_CODE ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(Date.now() + this.config.SMS_CODE_TTL_SECONDS * 1000);
    await this.db.transaction(async (m) => {
      await m.update(SmsCode, { phone, consumedAt: IsNull() }, { consumedAt: new Date() });
      await m.insert(SmsCode, { phone, codeHash: this.hash(phone, code), expiresAt });
      await this.jobs.send<SendJob>(
        SEND_JOB,
        { phone, sealed: this.box.seal(code), expiresAt: expiresAt.toISOString() },
        { manager: m },
      );
    });
  }

  /**
   * Checks and consumes the phone's current code inside the caller's transaction, so a failure later in that
   * transaction leaves the code usable. Wrong guesses are counted outside it, so they always stick.
   */
  async consume(manager: EntityManager, phone: string, code: string): Promise<void> {
    const row = await manager
      .createQueryBuilder(SmsCode, 'c')
      .where('c.phone = :phone AND c.consumed_at IS NULL AND c.expires_at > now()', { phone })
      .orderBy('c.created_at', 'DESC')
      .getOne();
    if (!row) throw new AppException(ErrorCode.SMS_CODE_INVALID);
    if (row.attempts >= this.config.SMS_MAX_ATTEMPTS) throw new AppException(ErrorCode.SMS_CODE_LOCKED);
    if (!safeEqualHex(row.codeHash, this.hash(phone, code))) {
      await this.db.query('UPDATE sms_code SET attempts = attempts + 1 WHERE id = $1', [row.id]);
      throw new AppException(ErrorCode.SMS_CODE_INVALID);
    }
    const [, affected] = (await manager.query(
      'UPDATE sms_code SET consumed_at = now() WHERE id = $1 AND consumed_at IS NULL',
      [row.id],
    )) as [unknown, number];
    if (affected !== 1) throw new AppException(ErrorCode.SMS_CODE_INVALID);
  }
}
