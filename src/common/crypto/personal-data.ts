import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** What is kept encrypted at rest: PIPL's sensitive data (ID numbers; phones identify a person) and partner credentials. */
export type PersonalKind = 'phone' | 'idno' | 'credential';

/** The configuration that decides the keys (validated in `env.schema.ts`). */
export interface PersonalDataSettings {
  NODE_ENV: string;
  /** `version:base64(32 bytes)`, comma-separated: every key still needed to read stored values. */
  PII_KEYS?: string;
  /** The version that encrypts new values; the highest of PII_KEYS when unset. */
  PII_KEY_VERSION?: number;
  /** base64 of at least 32 bytes: the HMAC key of the lookup hashes. */
  PII_HASH_KEY?: string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^v(\d+):([A-Za-z0-9+/]+={0,2})$/;
/** Shorter phone fragments would match too much to be worth a lookup. */
export const PHONE_FRAGMENT_MIN = 4;
const PHONE_FRAGMENT = new RegExp(`^\\d{${PHONE_FRAGMENT_MIN},11}$`);

/** Development and test only: fixed keys, so a local database stays readable across restarts. */
const devKey = (label: string) => createHash('sha256').update(`clinic development ${label}`).digest();

function parseKeys(text: string): Map<number, Buffer> {
  const keys = new Map<number, Buffer>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\d+):(.+)$/.exec(part);
    const key = match ? Buffer.from(match[2], 'base64') : undefined;
    if (!match || Number(match[1]) < 1 || key?.length !== KEY_BYTES || keys.has(Number(match[1]))) {
      throw new Error(
        'PII_KEYS: expected version:key pairs, comma-separated, each key base64 of 32 bytes and each version a distinct number ≥ 1',
      );
    }
    keys.set(Number(match[1]), key);
  }
  return keys;
}

/**
 * AES-256-GCM under versioned keys for phone numbers and ID numbers, and HMAC-SHA256 lookup hashes under a
 * separate key. A sealed value names its key version (`v2:…`), so values written before a rotation still open.
 * The kind is authenticated data: an ID number cannot be passed off as a phone.
 */
export class PersonalDataCipher {
  constructor(
    private readonly keys: ReadonlyMap<number, Buffer>,
    readonly version: number,
    private readonly hashKey: Buffer,
  ) {
    if (!keys.has(version)) throw new Error(`PII_KEY_VERSION: no key ${version} in PII_KEYS`);
  }

  /** Throws a message naming the variable when the settings cannot give keys (production needs real ones). */
  static fromSettings(s: PersonalDataSettings): PersonalDataCipher {
    const production = s.NODE_ENV === 'production';
    if (production && (!s.PII_KEYS || !s.PII_HASH_KEY)) {
      throw new Error('PII_KEYS and PII_HASH_KEY: required when NODE_ENV=production');
    }
    const keys = s.PII_KEYS ? parseKeys(s.PII_KEYS) : new Map([[1, devKey('personal-data key 1')]]);
    const hashKey = s.PII_HASH_KEY
      ? Buffer.from(s.PII_HASH_KEY, 'base64')
      : devKey('personal-data lookup key');
    if (hashKey.length < KEY_BYTES) throw new Error('PII_HASH_KEY: base64 of at least 32 bytes');
    return new PersonalDataCipher(keys, s.PII_KEY_VERSION ?? Math.max(...keys.keys()), hashKey);
  }

  seal(kind: PersonalKind, plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.version)!, iv).setAAD(Buffer.from(kind));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v${this.version}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(kind: PersonalKind, sealed: string): string {
    const match = SEALED.exec(sealed);
    const key = match && this.keys.get(Number(match[1]));
    if (!match || !key) {
      throw new Error(`stored ${kind} is not sealed under a configured key (${sealed.slice(0, 3)}…)`);
    }
    const raw = Buffer.from(match[2], 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES)).setAAD(
      Buffer.from(kind),
    );
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }

  /** Exact lookups and uniqueness: equal values, equal hashes (64 hex). */
  lookupHash(kind: PersonalKind, value: string): string {
    return createHmac('sha256', this.hashKey).update(`${kind}:${value}`).digest('hex');
  }

  /**
   * Every fragment of a phone (PHONE_FRAGMENT_MIN digits and longer) as a short keyed hash, so "phone contains"
   * searches match through an index without the number being stored.
   */
  phoneSearchTokens(phone: string): string[] {
    const tokens = new Set<string>();
    for (let length = PHONE_FRAGMENT_MIN; length <= phone.length; length += 1) {
      for (let start = 0; start + length <= phone.length; start += 1) {
        tokens.add(this.fragmentToken(phone.slice(start, start + length)));
      }
    }
    return [...tokens];
  }

  /** The token a keyword searches for, when it can be part of a phone number. */
  phoneFragmentToken(keyword: string): string | undefined {
    return PHONE_FRAGMENT.test(keyword) ? this.fragmentToken(keyword) : undefined;
  }

  private fragmentToken(fragment: string): string {
    return createHmac('sha256', this.hashKey).update(`phone-fragment:${fragment}`).digest('hex').slice(0, 16);
  }
}

let active: PersonalDataCipher | undefined;

/**
 * Installs the keys of the validated configuration for this process. Entities' column transformers have no
 * injector, so they read it from here; the app sets it when its configuration is built, and the database
 * bootstrap before migrations run.
 */
export function usePersonalDataKeys(settings: PersonalDataSettings): PersonalDataCipher {
  active = PersonalDataCipher.fromSettings(settings);
  return active;
}

export function personalData(): PersonalDataCipher {
  if (!active) throw new Error('personal-data keys are not configured (usePersonalDataKeys)');
  return active;
}

export const phoneHash = (phone: string): string => personalData().lookupHash('phone', phone);
export const idnoHash = (idno: string): string => personalData().lookupHash('idno', idno);
