import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { today } from 'src/common/time';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { AppConfig, publicBaseUrl } from 'src/config/app-config';

export const UPLOADS_URL_PREFIX = '/uploads';

/** Errors of a full disk or an exhausted quota: nothing can be stored until space is freed. */
const STORAGE_FULL = new Set(['ENOSPC', 'EDQUOT']);

/** Files on local disk under UPLOAD_DIR, served back under /uploads. */
@Injectable()
export class LocalStorage {
  private readonly logger = new Logger('Storage');

  constructor(private readonly config: AppConfig) {}

  get root(): string {
    return resolve(this.config.UPLOAD_DIR);
  }

  /** Writes the bytes under a fresh random name in a month folder; returns the public URL. */
  async save(bytes: Buffer, ext: string): Promise<string> {
    // The platform's month (TZ_NAME), not UTC's: an upload at 02:00 on the 1st in Shanghai belongs to that month.
    const month = today().slice(0, 7).replace('-', '');
    const name = `${randomUUID()}.${ext}`;
    const path = join(this.root, month, name);
    try {
      await mkdir(join(this.root, month), { recursive: true });
      await writeFile(path, bytes, { flag: 'wx' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      // A write cut short (a full disk) leaves a truncated file behind: remove it, so only whole images are served.
      if (code !== 'EEXIST') await rm(path, { force: true });
      if (!STORAGE_FULL.has(code)) throw err;
      this.logger.error(`upload storage is full (${code}) at ${this.root}`);
      throw new AppException(ErrorCode.UPLOAD_STORAGE_FULL);
    }
    return `${publicBaseUrl(this.config)}${UPLOADS_URL_PREFIX}/${month}/${name}`;
  }
}
