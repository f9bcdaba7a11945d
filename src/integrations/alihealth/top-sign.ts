import { createHash, createHmac } from 'node:crypto';

/** The signature methods of the Taobao Open Platform (TOP) gateway. */
export const TOP_SIGN_METHODS = ['md5', 'hmac', 'hmac-sha256'] as const;
export type TopSignMethod = (typeof TOP_SIGN_METHODS)[number];

/** A request's parameters as signed and sent: absent and empty values are neither signed nor sent. */
export type TopParams = Record<string, string | undefined>;

export interface TopSystemOptions {
  /** The API method, e.g. `alibaba.alihealth.followup.send`. */
  method: string;
  appKey: string;
  signMethod: TopSignMethod;
  /** The user authorisation (`session`), when the API needs one. */
  session?: string;
  /** `simplify=true`: the success body without its `<method>_response` wrapper. */
  simplify?: boolean;
  now?: Date;
}

const GMT8_MS = 8 * 3600_000;

/** `yyyy-MM-dd HH:mm:ss` in GMT+8 (the gateway's zone, no DST), whatever the host's time zone. */
export function topTimestamp(at: Date): string {
  return new Date(at.getTime() + GMT8_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant a `topTimestamp` names, or NaN when the text is not one. */
export function parseTopTimestamp(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return NaN;
  return Date.parse(`${text.replace(' ', 'T')}+08:00`);
}

/** The system parameters of one call, without `sign` (computed over these and the API's own parameters). */
export function topSystemParams(o: TopSystemOptions): TopParams {
  return {
    method: o.method,
    app_key: o.appKey,
    timestamp: topTimestamp(o.now ?? new Date()),
    v: '2.0',
    format: 'json',
    sign_method: o.signMethod,
    session: o.session,
    simplify: o.simplify ? 'true' : undefined,
  };
}

/** Byte order of the UTF-8 keys, as the gateway sorts them (not the locale's order). */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * The TOP request signature (TaobaoUtils.signTopRequest, PARTNERS §1): every parameter but `sign` with a
 * non-empty value, system and API ones together, sorted by key in byte order, concatenated as
 * `key1value1key2value2…` (raw values, not URL-encoded), then `md5`: MD5(secret + text + secret), `hmac`:
 * HMAC-MD5 keyed with the secret, `hmac-sha256`: HMAC-SHA256 keyed with the secret; UTF-8, uppercase hex.
 */
export function signTopRequest(params: TopParams, secret: string, method: TopSignMethod): string {
  const text = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== '')
    .sort(byteOrder)
    .map((k) => `${k}${params[k]}`)
    .join('');
  switch (method) {
    case 'md5':
      return createHash('md5').update(`${secret}${text}${secret}`, 'utf8').digest('hex').toUpperCase();
    case 'hmac':
      return createHmac('md5', secret).update(text, 'utf8').digest('hex').toUpperCase();
    case 'hmac-sha256':
      return createHmac('sha256', secret).update(text, 'utf8').digest('hex').toUpperCase();
  }
}
