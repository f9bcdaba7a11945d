import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { today } from 'src/common/time';
import { AppConfig, publicBaseUrl } from 'src/config/app-config';

export const UPLOADS_URL_PREFIX = '/uploads';

/** Files on local disk under UPLOAD_DIR, served back under /uploads. */
@Injectable()
export class LocalStorage {
  constructor(private readonly config: AppConfig) {}

  get root(): string {
    return resolve(this.config.UPLOAD_DIR);
  }

  /** Writes the bytes under a fresh random name in a month folder; returns the public URL. */
  async save(bytes: Buffer, ext: string): Promise<string> {
    // The platform's month (TZ_NAME), not UTC's: an upload at 02:00 on the 1st in Shanghai belongs to that month.
    const month = today().slice(0, 7).replace('-', '');
    const name = `${randomUUID()}.${ext}`;
    await mkdir(join(this.root, month), { recursive: true });
    await writeFile(join(this.root, month, name), bytes, { flag: 'wx' });
    return `${publicBaseUrl(this.config)}${UPLOADS_URL_PREFIX}/${month}/${name}`;
  }
}
