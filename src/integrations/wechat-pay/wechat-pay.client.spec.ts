import { generateKeyPairSync } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { FakeWechatPay } from '../../../test/support/fakes/wechat-pay.fake';
import { WechatPayCallError, WechatPayClient, WechatPayClientOptions } from './wechat-pay.client';
import { rsaVerify } from './wechat-pay.crypto';

const NOTIFY_URL = 'https://clinic.example.com/payments/wechat/notify';

describe('WechatPayClient against the loopback fake', () => {
  const fake = new FakeWechatPay();
  let base: string;
  const client = (over: Partial<WechatPayClientOptions> = {}) =>
    new WechatPayClient({
      baseUrl: base,
      mchId: fake.mchId,
      appId: fake.appId,
      serialNo: fake.merchantSerial,
      privateKey: fake.merchantPrivatePem.replace(/\n/g, '\\n'),
      apiV3Key: fake.apiV3Key,
      platformPublicKey: fake.platformPublicPem,
      platformKeyId: fake.platformKeyId,
      notifyUrl: NOTIFY_URL,
      timeoutMs: 2000,
      retries: 2,
      retryDelayMs: 5,
      ...over,
    });
  const order = {
    outTradeNo: 'SN2025010100000001',
    description: '义诊押金',
    amountFen: 5000,
    openid: 'oUser1',
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e as WechatPayCallError,
    );

  beforeAll(async () => {
    base = await fake.start();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  it('prepays with a signed request; the same out_trade_no again gives the same prepay_id', async () => {
    const c = client();
    const id = await c.prepayJsapi(order);
    expect(await c.prepayJsapi(order)).toBe(id);
    expect(fake.calls).toEqual([
      { method: 'POST', path: '/v3/pay/transactions/jsapi', signed: true },
      { method: 'POST', path: '/v3/pay/transactions/jsapi', signed: true },
    ]);
    const p = c.payParams(id);
    expect(p.package).toBe(`prepay_id=${id}`);
    const msg = `${fake.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    expect(rsaVerify(fake.merchant.publicKey, msg, p.paySign)).toBe(true);
  });

  it('closes an unpaid order (204, signed empty answer); a paid one is refused with ORDERPAID', async () => {
    const c = client();
    await c.prepayJsapi(order);
    await c.closeOrder(order.outTradeNo);
    expect(fake.orders.get(order.outTradeNo)?.trade_state).toBe('CLOSED');
    await c.closeOrder(order.outTradeNo); // again: still fine
    const paid = { ...order, outTradeNo: `${order.outTradeNo}P` };
    await c.prepayJsapi(paid);
    fake.orders.get(paid.outTradeNo)!.trade_state = 'SUCCESS';
    await expect(c.closeOrder(paid.outTradeNo)).rejects.toMatchObject({ code: 'ORDERPAID' });
  });

  it('a wrong merchant key is refused with SIGN_ERROR (kind sign, not retried)', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const err = await failure(
      client({ privateKey: other.export({ format: 'pem', type: 'pkcs8' }).toString() }).prepayJsapi(order),
    );
    expect(err).toMatchObject({ kind: 'sign', code: 'SIGN_ERROR', httpStatus: 401 });
    expect(fake.calls).toHaveLength(1);
  });

  it('an answer not signed by the configured WeChat Pay key is not believed', async () => {
    const wrong = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const err = await failure(
      client({ platformPublicKey: wrong.export({ format: 'pem', type: 'spki' }).toString() }).prepayJsapi(
        order,
      ),
    );
    expect(err.kind).toBe('unverified');
    const err2 = await failure(client({ platformKeyId: 'PUB_KEY_ID_SOMEONE_ELSE' }).prepayJsapi(order));
    expect(err2.kind).toBe('unverified');
  });

  it('PARAM_ERROR (bad out_trade_no) is an api refusal, not retried', async () => {
    const err = await failure(client().prepayJsapi({ ...order, outTradeNo: 'X1' }));
    expect(err).toMatchObject({ kind: 'api', code: 'PARAM_ERROR', httpStatus: 400 });
    expect(fake.calls).toHaveLength(1);
  });

  it('refund: 5xx is retried with the same out_refund_no; asking again refunds once; query reports the order', async () => {
    const c = client();
    await c.prepayJsapi(order);
    await fake
      .notifyPaid('http://127.0.0.1:9/unused', {
        out_trade_no: order.outTradeNo,
        transaction_id: '42000001',
        total: 5000,
      })
      .catch(() => 0);
    expect(await c.queryByOutTradeNo(order.outTradeNo)).toMatchObject({
      trade_state: 'SUCCESS',
      transaction_id: '42000001',
    });
    fake.failRefunds(2);
    const r = {
      outTradeNo: order.outTradeNo,
      outRefundNo: 'RF2025010100000001',
      refundFen: 5000,
      totalFen: 5000,
      reason: '医生取消',
    };
    const first = await c.refund(r);
    expect(first.status).toBe('PROCESSING');
    expect(fake.calls.filter((x) => x.path === '/v3/refund/domestic/refunds')).toHaveLength(3);
    expect(await c.refund(r)).toEqual(first);
    expect(fake.refunds.size).toBe(1);
    expect(await c.queryByOutTradeNo('SN_UNKNOWN_0001')).toBeUndefined();
  });

  it('retries give up after the budget and report the partner as unavailable', async () => {
    fake.failRefunds(5);
    const err = await failure(
      client().refund({ outTradeNo: 'SN0000001', outRefundNo: 'RF0000001', refundFen: 1, totalFen: 1 }),
    );
    expect(err).toMatchObject({ kind: 'status', httpStatus: 500 });
    expect(fake.calls).toHaveLength(3);
  });

  it('an unreachable host is a network error; an unconfigured client says so before calling', async () => {
    const err = await failure(client({ baseUrl: 'http://127.0.0.1:9', retries: 0 }).prepayJsapi(order));
    expect(err.kind).toBe('network');
    const err2 = await failure(client({ notifyUrl: undefined }).prepayJsapi(order));
    expect(err2.kind).toBe('not_configured');
  });
});
