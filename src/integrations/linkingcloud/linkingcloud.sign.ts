import { createHash, createHmac } from 'node:crypto';

/**
 * Where the app secret goes (doc §2.3 only says "MD5 with the appSecret"; see docs/partners/linkingcloud.md):
 * `suffix` MD5(str + secret), `wxpay` MD5(str + "&key=" + secret), `amp` MD5(str + "&" + secret),
 * `hmac` HMAC-MD5(secret, str), `wrap` MD5(secret + str + secret).
 */
export const SIGN_MODES = ['suffix', 'wxpay', 'amp', 'hmac', 'wrap'] as const;
export type SignMode = (typeof SIGN_MODES)[number];

export const SIGN_CASES = ['lower', 'upper'] as const;
export type SignCase = (typeof SIGN_CASES)[number];

export interface SignOptions {
  mode?: SignMode;
  case?: SignCase;
}

export type SignableParams = Record<string, string | number | null | undefined>;

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

const DIGESTS: Record<SignMode, (str: string, secret: string) => string> = {
  suffix: (str, secret) => md5(str + secret),
  wxpay: (str, secret) => md5(`${str}&key=${secret}`),
  amp: (str, secret) => md5(`${str}&${secret}`),
  hmac: (str, secret) => createHmac('md5', secret).update(str, 'utf8').digest('hex'),
  wrap: (str, secret) => md5(secret + str + secret),
};

/**
 * The string the sign covers: every field but `sign` whose value is not empty, sorted by name in byte order
 * (not culture order, which places `_` differently), joined as `k=v&k=v`. Values are sent as-is (no URL encoding).
 */
export function signingString(params: SignableParams): string {
  return Object.entries(params)
    .filter(([key, value]) => key !== 'sign' && value !== undefined && value !== null && value !== '')
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('&');
}

/** The `sign` of 联空医问 (doc §2.3) over `params` with the app secret. */
export function linkingcloudSign(params: SignableParams, secret: string, options: SignOptions = {}): string {
  const hex = DIGESTS[options.mode ?? 'suffix'](signingString(params), secret);
  return options.case === 'upper' ? hex.toUpperCase() : hex;
}
