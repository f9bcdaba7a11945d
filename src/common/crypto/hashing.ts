import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Keyed hash for short secrets (SMS codes, captcha text): a leaked table cannot be brute-forced offline. */
export const keyedHash = (secret: string, text: string): string =>
  createHmac('sha256', secret).update(text).digest('hex');

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** argon2id with the library's defaults (19 MiB, t=2). */
export const hashPassword = (password: string): Promise<string> => argonHash(password);

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against its stored hash. With no account or no password (`stored` null) it still pays for
 * one check, against the hash of a random secret, so response time does not reveal which phones have accounts.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  dummyHash ??= argonHash(randomToken());
  const hash = stored ?? (await dummyHash);
  try {
    return (await argonVerify(hash, password)) && Boolean(stored);
  } catch {
    return false;
  }
}

/** AES-256-GCM for secrets that must sit in a table for a while (an SMS code waiting in the job queue). */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`secret-box:${secret}`).digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string): string {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
