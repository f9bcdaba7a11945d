import { Logger } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import {
  buildAuthorization,
  buildPayParams,
  DEFAULT_MAX_SKEW_SECONDS,
  decryptResource,
  EncryptedResource,
  JsapiPayParams,
  loadPrivateKey,
  loadPublicKey,
  verifyWechatpaySignature,
  VerifyResult,
  WechatpaySignedHeaders,
  wechatpayHeaders,
} from './wechat-pay.crypto';

export interface WechatPayClientOptions {
  /** `https://api.mch.weixin.qq.com`, or a loopback stand-in in tests. */
  baseUrl: string;
  mchId?: string;
  appId?: string;
  /** Serial of the merchant API certificate (`serial_no` of Authorization). */
  serialNo?: string;
  /** Merchant API private key, PEM (`\n` escapes allowed). */
  privateKey?: string;
  /** APIv3 key, 32 ASCII characters: decrypts notification resources. */
  apiV3Key?: string;
  /** WeChat Pay public key (or platform certificate key), PEM, and its id (`PUB_KEY_ID_…` or serial). */
  platformPublicKey?: string;
  platformKeyId?: string;
  notifyUrl?: string;
  /** Budget of one attempt, body included. */
  timeoutMs: number;
  /** Further attempts after the first, for network errors and 5xx/429 (every call here is idempotent). */
  retries: number;
  retryDelayMs: number;
  maxSkewSeconds?: number;
}

/**
 * `timeout`, `network`, `status` (5xx, or a non-JSON error), `protocol` (a body the API does not document),
 * `sign` (WeChat refused our Authorization: 401 SIGN_ERROR), `unverified` (the response signature did not verify),
 * `api` (a documented `{code, message}` refusal such as PARAM_ERROR), `not_configured`.
 */
export type WechatPayFailure =
  'timeout' | 'network' | 'status' | 'protocol' | 'sign' | 'unverified' | 'api' | 'not_configured';

export class WechatPayCallError extends Error {
  constructor(
    readonly kind: WechatPayFailure,
    message: string,
    readonly retryable = false,
    /** WeChat's `code` (`PARAM_ERROR`, `ORDER_NOT_EXIST`, …) and HTTP status, when it answered. */
    readonly code?: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'WechatPayCallError';
  }
}

export interface JsapiPrepayInput {
  outTradeNo: string;
  description: string;
  amountFen: number;
  openid: string;
  /** RFC 3339 +08:00. */
  timeExpire?: string;
}

export interface RefundInput {
  outTradeNo: string;
  outRefundNo: string;
  reason?: string;
  refundFen: number;
  totalFen: number;
}

/** `SUCCESS`, `CLOSED`, `PROCESSING`, `ABNORMAL`. */
export interface RefundAnswer {
  refundId: string;
  outRefundNo: string;
  status: string;
}

/** A transaction as WeChat reports it (query and decrypted TRANSACTION.* notifications). */
export interface WechatTransaction {
  appid?: string;
  mchid?: string;
  out_trade_no: string;
  transaction_id?: string;
  /** `SUCCESS`, `REFUND`, `NOTPAY`, `CLOSED`, `REVOKED`, `USERPAYING`, `PAYERROR`. */
  trade_state: string;
  amount?: { total?: number; payer_total?: number; currency?: string };
  payer?: { openid?: string };
  success_time?: string;
}

interface Answer {
  status: number;
  json: Record<string, unknown> | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function backoffMs(base: number, n: number): number {
  const full = base * 2 ** n;
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/**
 * WeChat Pay API v3 over Node's `fetch` (PARTNERS §6): every request signed with the merchant key, every 2xx
 * answer verified with WeChat Pay's public key (signature and freshness) before it is believed. Prepay (same
 * out_trade_no and body) and refund (same out_refund_no) are idempotent on WeChat's side, so, like the query,
 * they are retried with backoff on network errors, 429 and 5xx. It never logs keys, signatures or bodies.
 */
export class WechatPayClient {
  private readonly logger = new Logger('WechatPay');
  private privateKey?: KeyObject;
  private platformKeys?: Map<string, KeyObject>;

  constructor(private readonly options: WechatPayClientOptions) {}

  /** Everything needed to call WeChat Pay and to verify and decrypt what it sends. */
  get configured(): boolean {
    const o = this.options;
    return Boolean(
      o.mchId &&
      o.appId &&
      o.serialNo &&
      o.privateKey &&
      o.apiV3Key &&
      o.platformPublicKey &&
      o.platformKeyId,
    );
  }

  get mchId(): string {
    return this.require('mchId');
  }

  get appId(): string {
    return this.require('appId');
  }

  /** JSAPI prepay: `POST /v3/pay/transactions/jsapi` → prepay_id. */
  async prepayJsapi(input: JsapiPrepayInput): Promise<string> {
    const body = {
      appid: this.appId,
      mchid: this.mchId,
      description: [...input.description].slice(0, 127).join('') || '义诊押金',
      out_trade_no: input.outTradeNo,
      ...(input.timeExpire ? { time_expire: input.timeExpire } : {}),
      notify_url: this.require('notifyUrl'),
      amount: { total: input.amountFen, currency: 'CNY' },
      payer: { openid: input.openid },
    };
    const answer = await this.call('prepay', 'POST', '/v3/pay/transactions/jsapi', body);
    const prepayId = answer.json?.prepay_id;
    if (typeof prepayId !== 'string' || !/^[\w-]{1,64}$/.test(prepayId))
      throw new WechatPayCallError('protocol', 'prepay: prepay_id missing or malformed');
    return prepayId;
  }

  /** The signed `wx.requestPayment` parameters for a prepay_id. */
  payParams(prepayId: string): JsapiPayParams {
    return buildPayParams({ appId: this.appId, prepayId, privateKey: this.merchantKey() });
  }

  /** `POST /v3/refund/domestic/refunds`: idempotent by out_refund_no. */
  async refund(input: RefundInput): Promise<RefundAnswer> {
    const body = {
      out_trade_no: input.outTradeNo,
      out_refund_no: input.outRefundNo,
      ...(input.reason ? { reason: [...input.reason].slice(0, 80).join('') } : {}),
      ...(this.options.notifyUrl ? { notify_url: this.options.notifyUrl } : {}),
      amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
    };
    const answer = await this.call('refund', 'POST', '/v3/refund/domestic/refunds', body);
    const { refund_id: refundId, out_refund_no: outRefundNo, status } = answer.json ?? {};
    if (typeof status !== 'string' || typeof outRefundNo !== 'string')
      throw new WechatPayCallError('protocol', 'refund: status or out_refund_no missing');
    if (outRefundNo !== input.outRefundNo)
      throw new WechatPayCallError('protocol', 'refund: the answer is about another refund');
    return { refundId: typeof refundId === 'string' ? refundId : '', outRefundNo, status };
  }

  /** `POST /v3/pay/transactions/out-trade-no/{no}/close` (204): the order can no longer be paid. Idempotent. */
  async closeOrder(outTradeNo: string): Promise<void> {
    await this.call(
      'close',
      'POST',
      `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`,
      {
        mchid: this.mchId,
      },
    );
  }

  /** `GET /v3/pay/transactions/out-trade-no/{no}?mchid=`; `undefined` when WeChat does not know the order. */
  async queryByOutTradeNo(outTradeNo: string): Promise<WechatTransaction | undefined> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(this.mchId)}`;
    try {
      const answer = await this.call('query', 'GET', path);
      const json = answer.json;
      if (!json || typeof json.trade_state !== 'string' || json.out_trade_no !== outTradeNo)
        throw new WechatPayCallError('protocol', 'query: trade_state or out_trade_no missing');
      return json as unknown as WechatTransaction;
    } catch (err) {
      if (err instanceof WechatPayCallError && err.code === 'ORDER_NOT_EXIST') return undefined;
      throw err;
    }
  }

  /** Verifies signed headers over the exact body bytes with the configured WeChat Pay public key. */
  verify(headers: WechatpaySignedHeaders, body: string | Buffer, now = Date.now()): VerifyResult {
    return verifyWechatpaySignature({
      headers,
      body,
      keys: this.keys(),
      now,
      maxSkewSeconds: this.options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS,
    });
  }

  /** Decrypts a notification resource with the APIv3 key; throws when it does not authenticate. */
  decrypt(resource: EncryptedResource): string {
    return decryptResource(resource, this.require('apiV3Key'));
  }

  private require<K extends 'mchId' | 'appId' | 'serialNo' | 'privateKey' | 'apiV3Key' | 'notifyUrl'>(
    key: K,
  ): string {
    const value = this.options[key];
    if (!value) throw new WechatPayCallError('not_configured', `WeChat Pay ${key} is not configured`);
    return value;
  }

  private merchantKey(): KeyObject {
    this.privateKey ??= loadPrivateKey(this.require('privateKey'));
    return this.privateKey;
  }

  private keys(): Map<string, KeyObject> {
    if (!this.platformKeys) {
      const { platformPublicKey, platformKeyId } = this.options;
      if (!platformPublicKey || !platformKeyId)
        throw new WechatPayCallError('not_configured', 'WeChat Pay public key is not configured');
      this.platformKeys = new Map([[platformKeyId, loadPublicKey(platformPublicKey)]]);
    }
    return this.platformKeys;
  }

  private async call(
    op: string,
    method: 'GET' | 'POST',
    pathWithQuery: string,
    body?: object,
  ): Promise<Answer> {
    // The same bytes on every attempt: a retried prepay/refund is the same request to WeChat.
    const payload = body === undefined ? '' : JSON.stringify(body);
    for (let n = 0; ; n += 1) {
      try {
        return await this.attempt(op, method, pathWithQuery, payload);
      } catch (err) {
        if (!(err instanceof WechatPayCallError) || !err.retryable || n >= this.options.retries) throw err;
        const delay = backoffMs(this.options.retryDelayMs, n);
        this.logger.warn(`${op}: ${err.message}; retry ${n + 1}/${this.options.retries} in ${delay} ms`);
        await sleep(delay);
      }
    }
  }

  private async attempt(op: string, method: string, pathWithQuery: string, payload: string): Promise<Answer> {
    const authorization = buildAuthorization({
      mchId: this.mchId,
      serialNo: this.require('serialNo'),
      privateKey: this.merchantKey(),
      method,
      pathWithQuery,
      body: payload,
    });
    const keys = this.keys();
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let res: Response;
    let raw: Buffer;
    try {
      res = await fetch(new URL(pathWithQuery, this.options.baseUrl.replace(/\/?$/, '/')), {
        method,
        redirect: 'manual',
        signal,
        headers: {
          authorization,
          accept: 'application/json',
          'user-agent': 'volunteer-clinic-server/wechatpay-v3',
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        ...(method === 'POST' ? { body: payload } : {}),
      });
      raw = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if (signal.aborted) throw new WechatPayCallError('timeout', `${op}: timed out`);
      const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
      const detail = typeof cause?.code === 'string' ? cause.code : '';
      throw new WechatPayCallError('network', `${op}: network error ${detail}`.trim(), true);
    }
    const requestId = res.headers.get('request-id') ?? '';
    let json: Record<string, unknown> | undefined;
    try {
      json = raw.length ? asRecord(JSON.parse(raw.toString('utf8'))) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status >= 200 && res.status < 300) {
      const verified = verifyWechatpaySignature({
        headers: wechatpayHeaders(res.headers),
        body: raw,
        keys,
        maxSkewSeconds: this.options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS,
      });
      if (!verified.ok)
        throw new WechatPayCallError(
          'unverified',
          `${op}: response signature ${verified.reason} (request ${requestId})`,
        );
      if (raw.length && !json)
        throw new WechatPayCallError('protocol', `${op}: the answer is not a JSON object`);
      return { status: res.status, json };
    }
    const code = typeof json?.code === 'string' ? json.code : undefined;
    const message = typeof json?.message === 'string' ? json.message.slice(0, 200) : '';
    const where = `${op}: HTTP ${res.status} ${code ?? ''} ${message} (request ${requestId})`.replace(
      /\s+/g,
      ' ',
    );
    if (res.status >= 500 || res.status === 429)
      throw new WechatPayCallError('status', where, true, code, res.status);
    if (code === 'SIGN_ERROR' || res.status === 401)
      throw new WechatPayCallError('sign', where, false, code, res.status);
    if (!code) throw new WechatPayCallError('status', where, false, undefined, res.status);
    throw new WechatPayCallError('api', where, false, code, res.status);
  }
}
