import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';

/**
 * WeChat Pay API v3 cryptography (PARTNERS §6), pure functions over `node:crypto`:
 * SHA256withRSA (PKCS#1 v1.5) request signatures and the `Authorization` header, the signed `wx.requestPayment`
 * parameters, verification of `Wechatpay-*` signed responses and notifications, and AEAD_AES_256_GCM resources.
 */

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
/** Signed responses and notifications older (or newer) than this are refused. */
export const DEFAULT_MAX_SKEW_SECONDS = 300;
const GCM_TAG_BYTES = 16;

/** PEM text from configuration: `\n` escapes (one-line env values) become newlines. */
export function normalizePem(text: string): string {
  return text.replace(/\\n/g, '\n').replace(/\r\n/g, '\n').trim() + '\n';
}

export function loadPrivateKey(key: string | KeyObject): KeyObject {
  return typeof key === 'string' ? createPrivateKey(normalizePem(key)) : key;
}

export function loadPublicKey(key: string | KeyObject): KeyObject {
  return typeof key === 'string' ? createPublicKey(normalizePem(key)) : key;
}

/** A random nonce of 32 characters `[0-9A-F]` (nonce_str and nonceStr allow up to 32). */
export function makeNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

export const unixSeconds = (now = Date.now()): string => String(Math.floor(now / 1000));

/** The message WeChat signs: every part followed by `\n`; the body part is the exact bytes. */
export function signMessage(parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.flatMap((p) => [Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8'), NL]));
}
const NL = Buffer.from('\n');

/** base64(SHA256withRSA(key, message)). */
export function rsaSign(privateKey: string | KeyObject, message: string | Buffer): string {
  return sign(
    'sha256',
    Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8'),
    loadPrivateKey(privateKey),
  ).toString('base64');
}

/** Whether `signature` (base64) is SHA256withRSA over `message`; malformed input is simply `false`. */
export function rsaVerify(
  publicKey: string | KeyObject,
  message: string | Buffer,
  signature: string,
): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify(
      'sha256',
      Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8'),
      loadPublicKey(publicKey),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/** The request signature message: `METHOD\nURL_PATH_WITH_QUERY\nTIMESTAMP\nNONCE\nBODY\n` (GET body empty). */
export function requestMessage(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  body: string | Buffer,
): Buffer {
  return signMessage([method.toUpperCase(), pathWithQuery, timestamp, nonce, body]);
}

export interface AuthorizationInput {
  mchId: string;
  serialNo: string;
  privateKey: string | KeyObject;
  method: string;
  /** Path with query, as sent (`/v3/pay/transactions/out-trade-no/X?mchid=1`). */
  pathWithQuery: string;
  /** The exact body sent; `''` for GET. */
  body: string | Buffer;
  timestamp?: string;
  nonce?: string;
}

/** `WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",signature="..",timestamp="..",serial_no=".."`. */
export function buildAuthorization(input: AuthorizationInput): string {
  const timestamp = input.timestamp ?? unixSeconds();
  const nonce = input.nonce ?? makeNonce();
  const signature = rsaSign(
    input.privateKey,
    requestMessage(input.method, input.pathWithQuery, timestamp, nonce, input.body),
  );
  return (
    `${AUTH_SCHEME} mchid="${input.mchId}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${timestamp}",serial_no="${input.serialNo}"`
  );
}

export interface ParsedAuthorization {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

/** Parses an Authorization header as WeChat does (fields in any order); `undefined` when malformed. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header || !header.startsWith(`${AUTH_SCHEME} `)) return undefined;
  const fields: Record<string, string> = {};
  const re = /\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/gy;
  const rest = header.slice(AUTH_SCHEME.length + 1);
  let consumed = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    fields[m[1]] = m[2];
    consumed = re.lastIndex;
  }
  if (consumed !== rest.length) return undefined;
  const { mchid, nonce_str, signature, timestamp, serial_no } = fields;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return undefined;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

/** What `wx.requestPayment` needs (JSAPI / mini-program). */
export interface JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** Signs `appId\ntimeStamp\nnonceStr\npackage\n` with the merchant key. */
export function buildPayParams(input: {
  appId: string;
  prepayId: string;
  privateKey: string | KeyObject;
  timestamp?: string;
  nonce?: string;
}): JsapiPayParams {
  const timeStamp = input.timestamp ?? unixSeconds();
  const nonceStr = input.nonce ?? makeNonce();
  const pkg = `prepay_id=${input.prepayId}`;
  const paySign = rsaSign(input.privateKey, signMessage([input.appId, timeStamp, nonceStr, pkg]));
  return { appId: input.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}

/** The `Wechatpay-*` headers of a signed response or notification. */
export interface WechatpaySignedHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
  serial?: string;
}

/** Reads the `Wechatpay-*` headers from a Node/Express header bag or a fetch `Headers`. */
export function wechatpayHeaders(
  headers: Headers | Record<string, string | string[] | undefined>,
): WechatpaySignedHeaders {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  return {
    timestamp: get('Wechatpay-Timestamp'),
    nonce: get('Wechatpay-Nonce'),
    signature: get('Wechatpay-Signature'),
    serial: get('Wechatpay-Serial'),
  };
}

export type VerifyFailure = 'missing_headers' | 'unknown_serial' | 'stale' | 'bad_signature';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

/**
 * Verifies `Wechatpay-Timestamp\nWechatpay-Nonce\nRAW_BODY\n` against `Wechatpay-Signature` with the key named by
 * `Wechatpay-Serial` (a `PUB_KEY_ID_…` or a platform certificate serial; several may be configured during a
 * switch). The timestamp must be within `maxSkewSeconds` of now, either way.
 */
export function verifyWechatpaySignature(input: {
  headers: WechatpaySignedHeaders;
  body: string | Buffer;
  keys: ReadonlyMap<string, KeyObject>;
  now?: number;
  maxSkewSeconds?: number;
}): VerifyResult {
  const { timestamp, nonce, signature, serial } = input.headers;
  if (!timestamp || !nonce || !signature || !serial) return { ok: false, reason: 'missing_headers' };
  const key = input.keys.get(serial);
  if (!key) return { ok: false, reason: 'unknown_serial' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'stale' };
  const skew = Math.abs(Math.floor((input.now ?? Date.now()) / 1000) - Number(timestamp));
  if (skew > (input.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS)) return { ok: false, reason: 'stale' };
  const message = signMessage([timestamp, nonce, input.body]);
  return rsaVerify(key, message, signature) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/** Signs a response or notification as WeChat does (used by the fake server and the tests). */
export function signWechatpayMessage(input: {
  privateKey: string | KeyObject;
  serial: string;
  body: string | Buffer;
  timestamp?: string;
  nonce?: string;
}): Required<WechatpaySignedHeaders> {
  const timestamp = input.timestamp ?? unixSeconds();
  const nonce = input.nonce ?? makeNonce();
  const signature = rsaSign(input.privateKey, signMessage([timestamp, nonce, input.body]));
  return { timestamp, nonce, signature, serial: input.serial };
}

/** The encrypted `resource` of a notification. */
export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}

function aesKey(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('the APIv3 key must be 32 bytes');
  return key;
}

/** AEAD_AES_256_GCM: key = APIv3 key, iv = nonce, AAD = associated_data, tag = last 16 bytes. Throws when forged. */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM')
    throw new Error(`unsupported algorithm ${resource.algorithm}`);
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= GCM_TAG_BYTES) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', aesKey(apiV3Key), Buffer.from(resource.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([
    decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)),
    decipher.final(),
  ]).toString('utf8');
}

/** The inverse of `decryptResource` (for the fake server and tests). The nonce is 12 ASCII characters. */
export function encryptResource(
  plaintext: string,
  apiV3Key: string,
  options: { nonce?: string; associatedData?: string; originalType?: string } = {},
): EncryptedResource {
  const nonce = options.nonce ?? randomBytes(6).toString('hex');
  const associatedData = options.associatedData ?? 'transaction';
  const cipher = createCipheriv('aes-256-gcm', aesKey(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: body.toString('base64'),
    nonce,
    associated_data: associatedData,
    original_type: options.originalType ?? 'transaction',
  };
}

/** RFC 3339 in Asia/Shanghai (`2025-01-02T10:00:00+08:00`), as `time_expire` expects; never the host's zone. */
export function shanghaiRfc3339(date: Date): string {
  const shifted = new Date(date.getTime() + 8 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}
