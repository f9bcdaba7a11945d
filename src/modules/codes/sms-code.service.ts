import { randomInt } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { keyedHash, safeEqualHex, SecretBox } from 'src/common/crypto/hashing';
import { personalData, phoneHash } from 'src/common/crypto/personal-data';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { JobsService } from 'src/common/jobs/jobs.service';
import { RateLimitService } from 'src/common/rate-limit/rate-limit.service';
import { SmsSender } from 'src/integrations/sms/sms-sender';
import { SmsCode } from './sms-code.entity';

const HOUR_MS = 3600_000;
const SEND_JOB = 'sms.send-code';

interface SendJob {
  /** The phone, sealed with the personal-data keys. */
  to: string;
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
      await this.sender.sendCode(personalData().open('phone', job.to), this.box.open(job.sealed));
    });
  }

  private hash(phone: string, code: string): string {
    return keyedHash(this.config.APP_SECRET, `sms:${phone}:${code}`);
  }

  /** Per-phone limits are keyed by the phone's hash: counters outlive requests and must not hold the number. */
  private async enforceSendLimits(phone: string, ip: string, channel: CodeChannel): Promise<void> {
    const c = this.config;
    const perIp = channel === 'direct' ? c.SMS_NO_CAPTCHA_IP_HOURLY_LIMIT : c.SMS_IP_HOURLY_LIMIT;
    if ((await this.limits.hit(`sms:ip:${channel}:${ip}`, HOUR_MS)).hits > perIp) {
      throw new AppException(ErrorCode.SMS_IP_LIMIT);
    }
    if (
      (await this.limits.hit(`sms:gap:${phoneHash(phone)}`, c.SMS_PHONE_INTERVAL_SECONDS * 1000)).hits > 1
    ) {
      throw new AppException(ErrorCode.SMS_TOO_FREQUENT);
    }
    if ((await this.limits.hit(`sms:day:${phoneHash(phone)}`, 24 * HOUR_MS)).hits > c.SMS_PHONE_DAILY_LIMIT) {
      throw new AppException(ErrorCode.SMS_DAILY_LIMIT);
    }
  }

  /** Issues a fresh code (the previous one stops working) and queues its delivery in the same transaction. */
  async send(phone: string, ip: string, channel: CodeChannel): Promise<void> {
    await this.enforceSendLimits(phone, ip, channel);
    const code = this.config.SMS_TEST_CODE ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(Date.now() + this.config.SMS_CODE_TTL_SECONDS * 1000);
    await this.db.transaction(async (m) => {
      const h = phoneHash(phone);
      await m.update(SmsCode, { phoneHash: h, consumedAt: IsNull() }, { consumedAt: new Date() });
      await m.insert(SmsCode, { phoneHash: h, codeHash: this.hash(phone, code), expiresAt });
      await this.jobs.send<SendJob>(
        SEND_JOB,
        {
          to: personalData().seal('phone', phone),
          sealed: this.box.seal(code),
          expiresAt: expiresAt.toISOString(),
        },
        { manager: m },
      );
    });
  }

  /**
   * Checks the phone's current code, outside any transaction, and returns its id for `consume`. The try is
   * counted before the comparison with one atomic update, so concurrent guesses can never get past
   * SMS_MAX_ATTEMPTS (checking first and counting afterwards let every guess of a burst through); a right code
   * gives its try back. Running outside the caller's transaction also keeps a request from holding one pooled
   * connection while waiting for a second.
   */
  async check(phone: string, code: string): Promise<string> {
    const [row] = await this.db.query<{ id: string; code_hash: string }[]>(
      `SELECT id, code_hash FROM sms_code WHERE phone_hash = $1 AND consumed_at IS NULL AND expires_at > now()
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      [phoneHash(phone)],
    );
    if (!row) throw new AppException(ErrorCode.SMS_CODE_INVALID);
    const [, reserved] = await this.db.query<[unknown, number]>(
      'UPDATE sms_code SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2',
      [row.id, this.config.SMS_MAX_ATTEMPTS],
    );
    if (reserved !== 1) throw new AppException(ErrorCode.SMS_CODE_LOCKED);
    if (!safeEqualHex(row.code_hash, this.hash(phone, code))) {
      throw new AppException(ErrorCode.SMS_CODE_INVALID);
    }
    await this.db.query('UPDATE sms_code SET attempts = attempts - 1 WHERE id = $1', [row.id]);
    return row.id;
  }

  /**
   * Marks a code returned by `check` used, inside the caller's transaction, so a failure later in that
   * transaction leaves the code usable. Fails when it was used meanwhile, replaced by a newer code or expired.
   */
  async consume(manager: EntityManager, codeId: string): Promise<void> {
    const [, affected] = await manager.query<[unknown, number]>(
      'UPDATE sms_code SET consumed_at = now() WHERE id = $1 AND consumed_at IS NULL AND expires_at > now()',
      [codeId],
    );
    if (affected !== 1) throw new AppException(ErrorCode.SMS_CODE_INVALID);
  }
}
