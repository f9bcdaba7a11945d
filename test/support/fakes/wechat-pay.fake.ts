import { generateKeyPairSync, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  encryptResource,
  parseAuthorization,
  requestMessage,
  rsaVerify,
  signWechatpayMessage,
  unixSeconds,
} from 'src/integrations/wechat-pay/wechat-pay.crypto';

const pem = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ format: 'pem', type }).toString();

export interface FakeOrder {
  out_trade_no: string;
  prepay_id: string;
  /** The request body minus nothing: a re-request must carry the same parameters. */
  params: string;
  total: number;
  openid: string;
  trade_state: 'NOTPAY' | 'SUCCESS' | 'CLOSED';
  transaction_id?: string;
}

export interface FakeRefund {
  out_refund_no: string;
  out_trade_no: string;
  refund_id: string;
  refund: number;
  total: number;
  status: 'PROCESSING' | 'SUCCESS';
}

/** A scripted refusal for the next refund call(s): HTTP status and WeChat's `{code, message}`. */
export interface FakeFault {
  status: number;
  code: string;
  message: string;
}

export interface NotifyOptions {
  /** Sign with this key instead of the platform key (a forgery). */
  signWith?: KeyObject;
  /** Change the body after signing. */
  tamper?: (body: string) => string;
  /** Wechatpay-Timestamp (seconds); default now. */
  timestamp?: string;
  /** Wechatpay-Serial; default the platform key id. */
  serial?: string;
  /** Notification id; default a fresh UUID (pass the same to simulate WeChat's redelivery). */
  id?: string;
  /** Override fields of the decrypted resource (e.g. a wrong mchid or amount). */
  resource?: Record<string, unknown>;
}

/**
 * A loopback stand-in for api.mch.weixin.qq.com (PARTNERS §6, §11). It holds the "merchant" public key, and
 * verifies every request's Authorization exactly as WeChat does (scheme, mchid, serial_no, 5-minute timestamp,
 * SHA256withRSA over `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`; 401 SIGN_ERROR otherwise), and the
 * "platform" private key, with which it signs every answer (`Wechatpay-*` headers) and its notifications.
 * Routes: `POST /v3/pay/transactions/jsapi`, `POST /v3/refund/domestic/refunds`,
 * `GET /v3/pay/transactions/out-trade-no/{no}?mchid=`. Controls: `notifyPaid`, `notifyRefund`, `failRefunds`,
 * `refundStatus`, `reset`, `calls`.
 */
export class FakeWechatPay {
  readonly mchId = '1900009231';
  readonly appId = 'wxa1b2c3d4e5f60718';
  readonly merchantSerial = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
  readonly platformKeyId = 'PUB_KEY_ID_0119000092312025010100112233000001';
  /** 32 ASCII characters. */
  readonly apiV3Key = randomBytes(16).toString('hex');
  readonly merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly platform = generateKeyPairSync('rsa', { modulusLength: 2048 });

  readonly orders = new Map<string, FakeOrder>();
  readonly refunds = new Map<string, FakeRefund>();
  /** Every request: path and whether its Authorization verified. */
  readonly calls: { method: string; path: string; signed: boolean }[] = [];
  /** Status of new refunds. */
  refundStatus: 'PROCESSING' | 'SUCCESS' = 'PROCESSING';
  /** The body of the last notification answer. */
  lastAck = '';
  private refundFaults: FakeFault[] = [];
  private server?: Server;

  get merchantPrivatePem(): string {
    return pem(this.merchant.privateKey, 'pkcs8');
  }

  get platformPublicPem(): string {
    return pem(this.platform.publicKey, 'spki');
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  reset(): void {
    this.orders.clear();
    this.refunds.clear();
    this.calls.length = 0;
    this.refundFaults = [];
    this.refundStatus = 'PROCESSING';
  }

  /** The app's configuration for this fake. */
  env(base: string, notifyUrl: string): Record<string, string> {
    return {
      PAYMENT_PROVIDER: 'wechat',
      WECHAT_PAY_MCH_ID: this.mchId,
      WECHAT_PAY_APP_ID: this.appId,
      WECHAT_PAY_SERIAL_NO: this.merchantSerial,
      // One line with `\n` escapes, as an env file would hold it.
      WECHAT_PAY_PRIVATE_KEY: this.merchantPrivatePem.replace(/\n/g, '\\n'),
      WECHAT_PAY_API_V3_KEY: this.apiV3Key,
      WECHAT_PAY_PLATFORM_PUBLIC_KEY: this.platformPublicPem,
      WECHAT_PAY_PLATFORM_KEY_ID: this.platformKeyId,
      WECHAT_PAY_API_BASE: base,
      WECHAT_PAY_NOTIFY_URL: notifyUrl,
    };
  }

  /** The next `count` refund calls fail with this answer. */
  failRefunds(
    count: number,
    fault: FakeFault = { status: 500, code: 'SYSTEM_ERROR', message: '系统错误' },
  ): void {
    this.refundFaults.push(...Array.from({ length: count }, () => fault));
  }

  /** Marks the order paid (if known) and POSTs a signed, encrypted TRANSACTION.SUCCESS; returns the HTTP status. */
  async notifyPaid(
    notifyUrl: string,
    tx: { out_trade_no: string; transaction_id: string; total: number },
    options: NotifyOptions = {},
  ): Promise<number> {
    const order = this.orders.get(tx.out_trade_no);
    if (order && !options.signWith && !options.tamper) {
      order.trade_state = 'SUCCESS';
      order.transaction_id = tx.transaction_id;
    }
    const now = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
    const resource = {
      mchid: this.mchId,
      appid: this.appId,
      out_trade_no: tx.out_trade_no,
      transaction_id: tx.transaction_id,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      attach: '',
      success_time: now,
      payer: { openid: order?.openid ?? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
      amount: { total: tx.total, payer_total: tx.total, currency: 'CNY', payer_currency: 'CNY' },
      ...options.resource,
    };
    return this.notify(notifyUrl, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', resource, options);
  }

  /** POSTs a signed, encrypted REFUND.SUCCESS / ABNORMAL / CLOSED; returns the HTTP status. */
  async notifyRefund(
    notifyUrl: string,
    r: {
      out_trade_no: string;
      out_refund_no: string;
      refund_status?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
      refund: number;
      total: number;
    },
    options: NotifyOptions = {},
  ): Promise<number> {
    const status = r.refund_status ?? 'SUCCESS';
    const known = this.refunds.get(r.out_refund_no);
    if (known && status === 'SUCCESS') known.status = 'SUCCESS';
    const resource = {
      mchid: this.mchId,
      out_trade_no: r.out_trade_no,
      transaction_id: this.orders.get(r.out_trade_no)?.transaction_id ?? '4200000000000000000000000000',
      out_refund_no: r.out_refund_no,
      refund_id: known?.refund_id ?? `50000${Date.now()}`,
      refund_status: status,
      success_time: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
      user_received_account: '支付用户零钱',
      amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
      ...options.resource,
    };
    return this.notify(notifyUrl, `REFUND.${status}`, '退款结果', 'refund', resource, options);
  }

  /** A signed notification as WeChat would send it: body and headers (for hand-made forgeries in tests). */
  buildNotification(
    eventType: string,
    summary: string,
    originalType: string,
    resource: object,
    options: NotifyOptions = {},
  ): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify({
      id: options.id ?? randomUUID(),
      create_time: new Date().toISOString().replace(/\.\d+Z$/, '+08:00'),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: encryptResource(JSON.stringify(resource), this.apiV3Key, {
        associatedData: originalType,
        originalType,
      }),
    });
    const signed = signWechatpayMessage({
      privateKey: options.signWith ?? this.platform.privateKey,
      serial: options.serial ?? this.platformKeyId,
      body,
      timestamp: options.timestamp,
    });
    return {
      body: options.tamper ? options.tamper(body) : body,
      headers: {
        'content-type': 'application/json',
        'wechatpay-timestamp': signed.timestamp,
        'wechatpay-nonce': signed.nonce,
        'wechatpay-signature': signed.signature,
        'wechatpay-serial': signed.serial,
        'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
      },
    };
  }

  private async notify(
    url: string,
    eventType: string,
    summary: string,
    originalType: string,
    resource: object,
    options: NotifyOptions,
  ): Promise<number> {
    const { body, headers } = this.buildNotification(eventType, summary, originalType, resource, options);
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
    this.lastAck = await res.text();
    return res.status;
  }

  private handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const pathWithQuery = req.url ?? '/';
    const url = new URL(pathWithQuery, 'http://fake');
    const method = req.method ?? 'GET';
    const signed = this.checkAuthorization(req, method, pathWithQuery, raw);
    this.calls.push({ method, path: url.pathname, signed: signed === undefined });
    if (signed)
      return this.answer(res, 401, {
        code: 'SIGN_ERROR',
        message: '签名错误,请检查后再试',
        detail: { detail: { issue: signed } },
      });
    let body: Record<string, unknown> = {};
    if (method === 'POST') {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        return this.answer(res, 400, { code: 'PARAM_ERROR', message: '请求体不是合法的JSON' });
      }
    }
    if (method === 'POST' && url.pathname === '/v3/pay/transactions/jsapi') return this.jsapi(res, body);
    if (method === 'POST' && url.pathname === '/v3/refund/domestic/refunds') return this.refund(res, body);
    const close = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(url.pathname);
    if (method === 'POST' && close) return this.close(res, decodeURIComponent(close[1]), body);
    const query = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && query)
      return this.query(res, decodeURIComponent(query[1]), url.searchParams.get('mchid'));
    this.answer(res, 404, { code: 'NOT_FOUND', message: '接口不存在' });
  }

  /** `undefined` when the Authorization verifies; else what is wrong. */
  private checkAuthorization(
    req: IncomingMessage,
    method: string,
    pathWithQuery: string,
    raw: Buffer,
  ): string | undefined {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return 'malformed Authorization';
    if (auth.mchid !== this.mchId) return 'mchid';
    if (auth.serial_no !== this.merchantSerial) return 'serial_no';
    if (!/^\d+$/.test(auth.timestamp) || Math.abs(Number(unixSeconds()) - Number(auth.timestamp)) > 300)
      return 'timestamp';
    const message = requestMessage(method, pathWithQuery, auth.timestamp, auth.nonce_str, raw);
    return rsaVerify(this.merchant.publicKey, message, auth.signature) ? undefined : 'signature';
  }

  private jsapi(res: ServerResponse, b: Record<string, unknown>): void {
    const amount = b.amount as { total?: unknown; currency?: unknown } | undefined;
    const payer = b.payer as { openid?: unknown } | undefined;
    const bad = (message: string) => this.answer(res, 400, { code: 'PARAM_ERROR', message });
    if (b.appid !== this.appId) return bad('appid和mch_id不匹配');
    if (b.mchid !== this.mchId) return bad('mchid与请求头不一致');
    if (typeof b.out_trade_no !== 'string' || !/^[0-9A-Za-z_\-|*]{6,32}$/.test(b.out_trade_no))
      return bad('输入源“/body/out_trade_no”映射到值字段“商户订单号”字符串规则校验失败');
    if (typeof b.description !== 'string' || b.description.length === 0 || [...b.description].length > 127)
      return bad('description 长度不正确');
    if (typeof b.notify_url !== 'string' || !/^https?:\/\/[^?]+$/.test(b.notify_url))
      return bad('notify_url 格式错误');
    if (!amount || typeof amount.total !== 'number' || !Number.isInteger(amount.total) || amount.total <= 0)
      return bad('amount.total 须为正整数');
    if (amount.currency !== undefined && amount.currency !== 'CNY') return bad('currency 仅支持 CNY');
    if (!payer || typeof payer.openid !== 'string' || payer.openid === '') return bad('缺少 payer.openid');
    const params = JSON.stringify(b);
    const known = this.orders.get(b.out_trade_no);
    if (known) {
      if (known.params !== params)
        return this.answer(res, 400, { code: 'INVALID_REQUEST', message: '201 商户订单号重复' });
      if (known.trade_state === 'SUCCESS')
        return this.answer(res, 400, { code: 'ORDERPAID', message: '该订单已支付' });
      return this.answer(res, 200, { prepay_id: known.prepay_id });
    }
    const order: FakeOrder = {
      out_trade_no: b.out_trade_no,
      prepay_id: `wx${Date.now()}${randomBytes(8).toString('hex')}`,
      params,
      total: amount.total,
      openid: payer.openid,
      trade_state: 'NOTPAY',
    };
    this.orders.set(order.out_trade_no, order);
    this.answer(res, 200, { prepay_id: order.prepay_id });
  }

  private refund(res: ServerResponse, b: Record<string, unknown>): void {
    const fault = this.refundFaults.shift();
    if (fault) return this.answer(res, fault.status, { code: fault.code, message: fault.message });
    const amount = b.amount as { refund?: unknown; total?: unknown } | undefined;
    const bad = (message: string) => this.answer(res, 400, { code: 'PARAM_ERROR', message });
    if (typeof b.out_refund_no !== 'string' || !/^[0-9A-Za-z_\-|*@]{1,64}$/.test(b.out_refund_no))
      return bad('out_refund_no 格式错误');
    if (typeof b.out_trade_no !== 'string') return bad('缺少 out_trade_no');
    if (!amount || typeof amount.refund !== 'number' || typeof amount.total !== 'number')
      return bad('缺少 amount');
    const known = this.refunds.get(b.out_refund_no);
    if (known) return this.answer(res, 200, this.refundView(known));
    const order = this.orders.get(b.out_trade_no);
    if (!order) return this.answer(res, 404, { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' });
    if (order.trade_state !== 'SUCCESS')
      return this.answer(res, 403, { code: 'TRADE_STATE_ERROR', message: '订单未支付' });
    if (amount.total !== order.total || amount.refund <= 0 || amount.refund > order.total)
      return bad('退款金额不正确');
    const refund: FakeRefund = {
      out_refund_no: b.out_refund_no,
      out_trade_no: order.out_trade_no,
      refund_id: `50300${Date.now()}${randomBytes(4).toString('hex')}`,
      refund: amount.refund,
      total: amount.total,
      status: this.refundStatus,
    };
    this.refunds.set(refund.out_refund_no, refund);
    this.answer(res, 200, this.refundView(refund));
  }

  private refundView(r: FakeRefund): object {
    return {
      refund_id: r.refund_id,
      out_refund_no: r.out_refund_no,
      out_trade_no: r.out_trade_no,
      transaction_id: this.orders.get(r.out_trade_no)?.transaction_id,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      status: r.status,
      create_time: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
      amount: {
        total: r.total,
        refund: r.refund,
        payer_total: r.total,
        payer_refund: r.refund,
        currency: 'CNY',
      },
    };
  }

  private query(res: ServerResponse, outTradeNo: string, mchid: string | null): void {
    if (mchid !== this.mchId) return this.answer(res, 400, { code: 'PARAM_ERROR', message: 'mchid 不正确' });
    const order = this.orders.get(outTradeNo);
    if (!order) return this.answer(res, 404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    this.answer(res, 200, {
      appid: this.appId,
      mchid: this.mchId,
      out_trade_no: order.out_trade_no,
      transaction_id: order.transaction_id,
      trade_type: 'JSAPI',
      trade_state: order.trade_state,
      payer: { openid: order.openid },
      amount: {
        total: order.total,
        payer_total: order.trade_state === 'SUCCESS' ? order.total : undefined,
        currency: 'CNY',
      },
    });
  }

  /** Closing: an unpaid order becomes CLOSED (204, signed empty body); a paid one is ORDERPAID. */
  private close(res: ServerResponse, outTradeNo: string, b: Record<string, unknown>): void {
    if (b.mchid !== this.mchId)
      return this.answer(res, 400, { code: 'PARAM_ERROR', message: 'mchid 不正确' });
    const order = this.orders.get(outTradeNo);
    if (!order) return this.answer(res, 404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    if (order.trade_state === 'SUCCESS')
      return this.answer(res, 400, { code: 'ORDERPAID', message: '订单已支付' });
    order.trade_state = 'CLOSED';
    const signed = signWechatpayMessage({
      privateKey: this.platform.privateKey,
      serial: this.platformKeyId,
      body: '',
    });
    res.writeHead(204, {
      'request-id': randomUUID(),
      'wechatpay-timestamp': signed.timestamp,
      'wechatpay-nonce': signed.nonce,
      'wechatpay-signature': signed.signature,
      'wechatpay-serial': signed.serial,
    });
    res.end();
  }

  /** Every answer is signed with the platform key, as WeChat signs its responses. */
  private answer(res: ServerResponse, status: number, body: object): void {
    const text = JSON.stringify(body);
    const signed = signWechatpayMessage({
      privateKey: this.platform.privateKey,
      serial: this.platformKeyId,
      body: text,
    });
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'request-id': randomUUID(),
      'wechatpay-timestamp': signed.timestamp,
      'wechatpay-nonce': signed.nonce,
      'wechatpay-signature': signed.signature,
      'wechatpay-serial': signed.serial,
    });
    res.end(text);
  }
}
