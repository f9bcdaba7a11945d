import { Logger } from '@nestjs/common';
import { scrubSecrets } from '../partner-http/partner-call.error';
import { backoffDelay, readBodyCapped } from '../partner-http/partner-http';

export interface WechatClientOptions {
  /** `https://api.weixin.qq.com`, or a loopback stand-in in tests. */
  baseUrl: string;
  appId?: string;
  secret?: string;
  /** Budget of one attempt for connecting and receiving the response headers. */
  timeoutMs: number;
  /** Budget of one attempt as a whole, body included. */
  bodyTimeoutMs: number;
  /** Further attempts after the first, for network errors, HTTP 5xx and errcode -1 (every call here is a GET). */
  retries: number;
  /** First backoff; doubled per retry, with jitter. */
  retryDelayMs: number;
  /** Larger media bodies are refused without being read to the end. */
  maxMediaBytes: number;
}

/**
 * What went wrong with one call, after retries:
 * `timeout` (no headers or body in time; never retried: a slow partner only gets slower when hammered),
 * `network` (refused, reset), `status` (an HTTP status WeChat does not use for answers), `protocol` (a body
 * that is not what the API documents), `api` (WeChat's `{errcode, errmsg}`), `too_large` (media over the cap).
 */
export type WechatFailure = 'timeout' | 'network' | 'status' | 'protocol' | 'api' | 'too_large';

export class WechatCallError extends Error {
  constructor(
    readonly kind: WechatFailure,
    message: string,
    readonly retryable = false,
    readonly errcode?: number,
    /** The request certainly never reached WeChat (connection refused, name not resolved). */
    readonly unsent = false,
  ) {
    super(message);
    this.name = 'WechatCallError';
  }
}

/** errcodes of a media call that mean "this access token is no longer good": refresh once and retry once. */
export const TOKEN_REJECTED_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);
/** errcode -1: "system busy, try again". */
export const BUSY_ERRCODE = -1;

/** `sns/oauth2/access_token` errcodes for a code that is unknown, expired (5 min) or already used. */
export const OAUTH_CODE_ERRCODES: ReadonlySet<number> = new Set([40029, 40163]);

/** Network failures raised before a single byte of the request went out. */
const UNSENT_CAUSES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export interface AccessToken {
  accessToken: string;
  /** Seconds, as WeChat says (7200). */
  expiresIn: number;
}

/** `file` is whatever binary WeChat sent (an image, a voice clip); the caller checks the bytes themselves. */
export type WechatMedia =
  { kind: 'file'; bytes: Buffer; contentType: string } | { kind: 'video'; url: string };

interface RawResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

const TOKEN_MAX_BYTES = 64 * 1024;
/** WeChat's openids are 28 characters; the column holds 64. */
const OPENID_PATTERN = /^[\w-]{1,64}$/;
/** Error and video bodies are tiny; a binary body starting with `{` is sniffed as JSON only below this size. */
const JSON_SNIFF_MAX_BYTES = 4096;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Backoff before retry `n` (0-based), the same as every partner's. */
export const backoffMs = backoffDelay;

/** Per PARTNERS §5: decide by Content-Type, and to be safe sniff a leading `{` on small bodies. */
export function looksLikeJson(contentType: string, body: Buffer): boolean {
  const type = contentType.toLowerCase();
  if (type.includes('json') || type.startsWith('text/')) return true;
  if (body.length > JSON_SNIFF_MAX_BYTES) return false;
  return body.toString('latin1').trimStart().startsWith('{');
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(body.toString('utf8')));
  } catch {
    return undefined;
  }
}

/**
 * The WeChat official-account API over Node's `fetch`: `GET /cgi-bin/token` and `GET /cgi-bin/media/get`, both
 * idempotent, so both retried with backoff on network errors, 5xx and errcode -1; and the web-authorization
 * code exchange `GET /sns/oauth2/access_token`, which is not (a code is single-use), so it is retried only
 * when the request certainly never left. It never logs a URL (the query carries the secret, a token or a
 * code) and scrubs them from every message it builds.
 */
export class WechatClient {
  private readonly logger = new Logger('WeChat');

  constructor(private readonly options: WechatClientOptions) {}

  get configured(): boolean {
    return Boolean(this.options.appId && this.options.secret);
  }

  get appId(): string {
    if (!this.options.appId) throw new Error('WECHAT_APP_ID is not set');
    return this.options.appId;
  }

  async fetchAccessToken(): Promise<AccessToken> {
    const { appId, secret } = this.options;
    if (!appId || !secret) throw new Error('WECHAT_APP_ID and WECHAT_APP_SECRET are not set');
    const url = this.url('/cgi-bin/token', { grant_type: 'client_credential', appid: appId, secret });
    return this.withRetry('token', async () => {
      const res = await this.get(url, TOKEN_MAX_BYTES, [secret]);
      const json = parseJson(res.body);
      if (!json) throw new WechatCallError('protocol', 'token: the answer is not a JSON object');
      this.throwIfErrcode('token', json, [secret]);
      const { access_token: accessToken, expires_in: expiresIn } = json;
      if (typeof accessToken !== 'string' || accessToken === '' || accessToken.length > 1024)
        throw new WechatCallError('protocol', 'token: access_token missing or malformed');
      if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0)
        throw new WechatCallError('protocol', 'token: expires_in missing or malformed');
      return { accessToken, expiresIn };
    });
  }

  /**
   * Exchanges a web-authorization `code` (snsapi_base / snsapi_userinfo) for the user's openid. A code works
   * once: a retry after the request may have reached WeChat would at best answer 40163, so only failures
   * before sending (connection refused, DNS) are retried, errcode -1 and timeouts included are not.
   */
  async exchangeOauthCode(code: string): Promise<{ openid: string }> {
    const { appId, secret } = this.options;
    if (!appId || !secret) throw new Error('WECHAT_APP_ID and WECHAT_APP_SECRET are not set');
    const url = this.url('/sns/oauth2/access_token', {
      appid: appId,
      secret,
      code,
      grant_type: 'authorization_code',
    });
    const secrets = [secret, code];
    const op = 'sns/oauth2/access_token';
    return this.withRetry(
      op,
      async () => {
        const res = await this.get(url, TOKEN_MAX_BYTES, secrets);
        const json = parseJson(res.body);
        if (!json) throw new WechatCallError('protocol', `${op}: the answer is not a JSON object`);
        this.throwIfErrcode(op, json, secrets);
        const { openid } = json;
        if (typeof openid !== 'string' || !OPENID_PATTERN.test(openid))
          throw new WechatCallError('protocol', `${op}: openid missing or malformed`);
        return { openid };
      },
      (err) => err.unsent,
    );
  }

  async getMedia(accessToken: string, mediaId: string): Promise<WechatMedia> {
    const url = this.url('/cgi-bin/media/get', { access_token: accessToken, media_id: mediaId });
    return this.withRetry('media/get', async () => {
      const res = await this.get(url, this.options.maxMediaBytes, [accessToken]);
      if (looksLikeJson(res.contentType, res.body)) {
        const json = parseJson(res.body);
        if (json) {
          this.throwIfErrcode('media/get', json, [accessToken]);
          const videoUrl = json.video_url;
          if (typeof videoUrl === 'string' && /^https?:\/\/\S+$/i.test(videoUrl))
            return { kind: 'video', url: videoUrl };
          throw new WechatCallError('protocol', 'media/get: JSON without errcode or video_url');
        }
        // A declared JSON/text body that does not parse is broken; a binary one merely started with `{`.
        if (/json|^text\//i.test(res.contentType))
          throw new WechatCallError('protocol', 'media/get: unparseable JSON body');
      }
      if (res.body.length === 0) throw new WechatCallError('protocol', 'media/get: empty body');
      return { kind: 'file', bytes: res.body, contentType: res.contentType };
    });
  }

  private url(path: string, query: Record<string, string>): string {
    const url = new URL(path, this.options.baseUrl.replace(/\/?$/, '/'));
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url.toString();
  }

  private throwIfErrcode(op: string, json: Record<string, unknown>, secrets: string[]): void {
    const { errcode, errmsg } = json;
    if (errcode === undefined || errcode === 0 || errcode === '0') return;
    const code = Number(errcode);
    if (!Number.isInteger(code)) throw new WechatCallError('protocol', `${op}: non-numeric errcode`);
    const message = scrub(
      `${op}: errcode ${code} ${typeof errmsg === 'string' ? errmsg : ''}`.trim(),
      secrets,
    );
    throw new WechatCallError('api', message, code === BUSY_ERRCODE, code);
  }

  /** `retryable` decides which failures are tried again; by default those the error marks as retryable. */
  private async withRetry<T>(
    op: string,
    attempt: () => Promise<T>,
    retryable: (err: WechatCallError) => boolean = (err) => err.retryable,
  ): Promise<T> {
    for (let n = 0; ; n += 1) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof WechatCallError) || !retryable(err) || n >= this.options.retries) throw err;
        const delay = backoffMs(this.options.retryDelayMs, n);
        this.logger.warn(`${op}: ${err.message}; retry ${n + 1}/${this.options.retries} in ${delay} ms`);
        await sleep(delay);
      }
    }
  }

  /**
   * One GET attempt. Headers must arrive within `timeoutMs`; the body within `bodyTimeoutMs` of the start and
   * under `maxBytes`. Redirects are not followed (WeChat does not redirect; a redirect would be a surprise).
   */
  private async get(url: string, maxBytes: number, secrets: string[]): Promise<RawResponse> {
    const headersDeadline = new AbortController();
    const timer = setTimeout(() => headersDeadline.abort(), this.options.timeoutMs);
    const signal = AbortSignal.any([headersDeadline.signal, AbortSignal.timeout(this.options.bodyTimeoutMs)]);
    let res: Response;
    try {
      res = await fetch(url, { signal, redirect: 'manual', headers: { accept: '*/*' } });
    } catch (err) {
      throw transportError(err, signal.aborted, 'no answer', secrets);
    } finally {
      clearTimeout(timer);
    }
    if (res.status >= 500) {
      await res.body?.cancel().catch(() => undefined);
      throw new WechatCallError('status', `HTTP ${res.status}`, true);
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new WechatCallError('status', `HTTP ${res.status}`);
    }
    const contentType = res.headers.get('content-type') ?? '';
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new WechatCallError('too_large', `body of ${declared} bytes over the ${maxBytes} cap`);
    }
    try {
      return { status: res.status, contentType, body: await readCapped(res, maxBytes) };
    } catch (err) {
      if (err instanceof WechatCallError) throw err;
      throw transportError(err, signal.aborted, 'body cut short', secrets);
    }
  }
}

const readCapped = (res: Response, maxBytes: number): Promise<Buffer> =>
  readBodyCapped(res, maxBytes, () => new WechatCallError('too_large', `body over the ${maxBytes} cap`));

function transportError(err: unknown, timedOut: boolean, what: string, secrets: string[]): WechatCallError {
  if (timedOut) return new WechatCallError('timeout', `${what}: timed out`);
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  const unsent = typeof cause?.code === 'string' && UNSENT_CAUSES.has(cause.code);
  return new WechatCallError(
    'network',
    scrub(`${what}: network error ${detail}`.trim(), secrets),
    true,
    undefined,
    unsent,
  );
}

/** Removes credentials from text that may reach a log. */
export const scrub = scrubSecrets;
