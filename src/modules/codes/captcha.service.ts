import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import svgCaptcha from 'svg-captcha';
import { LessThan, Repository } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { keyedHash, safeEqualHex } from 'src/common/crypto/hashing';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { Captcha } from './captcha.entity';

@Injectable()
export class CaptchaService {
  constructor(
    @InjectRepository(Captcha) private readonly captchas: Repository<Captcha>,
    private readonly config: AppConfig,
  ) {}

  private hash(text: string): string {
    return keyedHash(this.config.APP_SECRET, `captcha:${text.toLowerCase()}`);
  }

  /** A new challenge: its id goes into the cookie, its text only into the image. */
  async create(): Promise<{ id: string; svg: string }> {
    const drawn = svgCaptcha.create({
      size: 4,
      noise: 3,
      ignoreChars: '0oO1iIlL',
      color: true,
      background: '#f5f5f5',
    });
    const text = this.config.CAPTCHA_TEST_CODE ?? drawn.text;
    const id = randomUUID();
    await this.captchas.delete({ expiresAt: LessThan(new Date(Date.now() - 3600_000)) });
    await this.captchas.insert({
      id,
      textHash: this.hash(text),
      expiresAt: new Date(Date.now() + this.config.CAPTCHA_TTL_SECONDS * 1000),
    });
    return { id, svg: drawn.data };
  }

  /** Single use: the challenge is deleted by its first check, right or wrong. */
  async verify(id: string | undefined, text: string): Promise<void> {
    if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw new AppException(ErrorCode.CAPTCHA_INVALID);
    const rows = await this.captchas.query<[{ text_hash: string; expires_at: Date }[], number]>(
      'DELETE FROM captcha WHERE id = $1 RETURNING text_hash, expires_at',
      [id],
    );
    const row = rows[0]?.[0];
    if (
      !row ||
      row.expires_at.getTime() < Date.now() ||
      !safeEqualHex(row.text_hash, this.hash(text.trim()))
    ) {
      throw new AppException(ErrorCode.CAPTCHA_INVALID);
    }
  }
}
