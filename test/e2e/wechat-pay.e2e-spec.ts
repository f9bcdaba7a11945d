import { generateKeyPairSync } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { rsaVerify, unixSeconds } from 'src/integrations/wechat-pay/wechat-pay.crypto';
import { WechatPayProvider } from 'src/integrations/wechat-pay/wechat-pay.provider';
import { makeDoctor, makePatient, publishProject, slotOf } from '../support/clinic-factories';
import { Account } from '../support/factories';
import { FakeWechatPay } from '../support/fakes/wechat-pay.fake';
import { startTestApp, TestApp } from '../support/test-app';

/** Log lines written through Nest's Logger (pino is silent in tests): no key material may reach them. */
const logged: string[] = [];
beforeAll(() => {
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
});
afterAll(() => jest.restoreAllMocks());

const until = async (what: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('WeChat Pay v3 (PAYMENT_PROVIDER=wechat) against the loopback fake', () => {
  const fake = new FakeWechatPay();
  let t: TestApp;
  let base: string;
  let notifyUrl: string;
  let doctor: Account;

  beforeAll(async () => {
    base = await fake.start();
    // The prepay body carries this URL; the fake posts to the real one (known once the app listens).
    t = await startTestApp(fake.env(base, 'https://clinic.example.com/payments/wechat/notify'));
    await t.app.listen(0, '127.0.0.1');
    notifyUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}/payments/wechat/notify`;
    doctor = await makeDoctor(t);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  afterEach(() => {
    for (const line of logged) {
      expect(line).not.toContain(fake.apiV3Key);
      expect(line).not.toContain('PRIVATE KEY');
    }
  });

  const diagnosis = async (sn: string) =>
    (
      await t.db.query<Record<string, unknown>[]>(
        `SELECT id, verify_status, transaction_id, paid_at, refund_status, refund_sn FROM diagnosis WHERE sn = $1`,
        [sn],
      )
    )[0];
  const events = async () =>
    Number((await t.db.query<{ n: string }[]>(`SELECT count(*) n FROM payment_event`))[0].n);

  /** A priced clinic (50 yuan) joined by a patient with an openid: the held booking and what /join answered. */
  async function holdSeat() {
    const patient = await makePatient(t);
    const openid = `oE2E_${patient.id}_abcdef`;
    await t.db.query(`UPDATE app_user SET openid = $2 WHERE id = $1`, [patient.id, openid]);
    const project = await publishProject(t, doctor, { price: 50 });
    const res = await t.http
      .post(`/project/${project.id}/join`)
      .set('X-auth-token', patient.token)
      .send({ content: '复诊', plan_time: slotOf(project, 0) });
    return { patient, project, openid, res };
  }

  describe('the notification endpoint refuses what WeChat did not send (401 in WeChat shape, nothing changes)', () => {
    const tx = {
      out_trade_no: 'D2025010100000000000001',
      transaction_id: '4200000001202501010000000001',
      total: 5000,
    };
    const post = (n: { body: string; headers: Record<string, string> }) =>
      t.http.post('/payments/wechat/notify').set(n.headers).send(n.body);
    const build = (options: Parameters<FakeWechatPay['buildNotification']>[4] = {}) =>
      fake.buildNotification(
        'TRANSACTION.SUCCESS',
        '支付成功',
        'transaction',
        {
          mchid: fake.mchId,
          appid: fake.appId,
          trade_state: 'SUCCESS',
          amount: { total: tx.total },
          out_trade_no: tx.out_trade_no,
          transaction_id: tx.transaction_id,
        },
        options,
      );

    it.each([
      [
        'a forged signature (another key)',
        () => build({ signWith: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }),
      ],
      [
        'a tampered body',
        () => build({ tamper: (b) => b.replace('"summary":"支付成功"', '"summary":"支付成功 "') }),
      ],
      ['a stale timestamp (6 minutes old)', () => build({ timestamp: String(Number(unixSeconds()) - 360) })],
      ['a timestamp from the future', () => build({ timestamp: String(Number(unixSeconds()) + 360) })],
      ['an unknown Wechatpay-Serial', () => build({ serial: 'PUB_KEY_ID_NOT_OURS' })],
    ])('%s → 401 {"code":"FAIL","message":"签名错误"}', async (_, make) => {
      const before = await events();
      const res = await post(make());
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'FAIL', message: '签名错误' });
      expect(await events()).toBe(before);
    });

    it('no signature headers at all (probe traffic) → 401', async () => {
      const res = await t.http
        .post('/payments/wechat/notify')
        .set('content-type', 'application/json')
        .send('{"id":"x"}');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'FAIL', message: '签名错误' });
    });

    it('fake-driven: forged, tampered and stale notifications for a held order change nothing', async () => {
      const { res } = await holdSeat();
      expect(res.status).toBe(200);
      const sn = res.body.data.sn as string;
      const paid = { out_trade_no: sn, transaction_id: '4200000002', total: 5000 };
      const intruder = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      expect(await fake.notifyPaid(notifyUrl, paid, { signWith: intruder })).toBe(401);
      expect(
        await fake.notifyPaid(notifyUrl, paid, {
          tamper: (b) => b.replace('encrypt-resource', 'encrypt-resourcE'),
        }),
      ).toBe(401);
      expect(await fake.notifyPaid(notifyUrl, paid, { timestamp: String(Number(unixSeconds()) - 301) })).toBe(
        401,
      );
      expect(JSON.parse(fake.lastAck)).toEqual({ code: 'FAIL', message: '签名错误' });
      expect(await diagnosis(sn)).toMatchObject({ verify_status: 0, transaction_id: null, paid_at: null });
    });
  });

  describe('WechatPayProvider.prepay, called directly', () => {
    const req = {
      sn: 'D2025010112000099999999',
      amountFen: 100,
      description: '义诊押金',
      expiresAt: new Date(Date.now() + 900_000),
    };

    it('returns wx.requestPayment params signed with the merchant key', async () => {
      const provider = t.app.get(WechatPayProvider);
      expect(provider.name).toBe('wechat');
      const { provider: name, params } = await provider.prepay({ ...req, openid: 'oDirect1' });
      expect(name).toBe('wechat');
      expect(params).toMatchObject({
        appId: fake.appId,
        signType: 'RSA',
        package: `prepay_id=${fake.orders.get(req.sn)?.prepay_id}`,
      });
      const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
      expect(rsaVerify(fake.merchant.publicKey, message, String(params.paySign))).toBe(true);
    });

    it('without the payer openid → 422 WECHAT_PAY_OPENID_REQUIRED, WeChat not called', async () => {
      const calls = fake.calls.length;
      const err = await t.app
        .get(WechatPayProvider)
        .prepay({ ...req, openid: null })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppException);
      expect(err).toMatchObject({ code: ErrorCode.WECHAT_PAY_OPENID_REQUIRED, status: 422 });
      expect(fake.calls.length).toBe(calls);
    });

    it('with a wrong merchant key: the fake verifies Authorization as WeChat does → SIGN_ERROR → 502 WECHAT_PAY_SIGN_REJECTED', async () => {
      const wrong = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString();
      const other = await startTestApp(
        { ...fake.env(base, 'https://clinic.example.com/n'), WECHAT_PAY_PRIVATE_KEY: wrong },
        t.databaseUrl,
      );
      try {
        const calls = fake.calls.length;
        const err = await other.app
          .get(WechatPayProvider)
          .prepay({ ...req, sn: 'D2025010112000088888888', openid: 'oDirect2' })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AppException);
        expect(err).toMatchObject({ code: ErrorCode.WECHAT_PAY_SIGN_REJECTED, status: 502 });
        expect(fake.calls.slice(calls)).toEqual([
          { method: 'POST', path: '/v3/pay/transactions/jsapi', signed: false },
        ]);
      } finally {
        await other.close();
      }
    });
  });

  // Depends on PaymentsService (openOrder/confirmPaid/refunds) and its wiring, written by another engineer.
  describe('end to end: join → pay → notify → booked → cancel → refund', () => {
    it('a patient without an openid cannot open a WeChat order (422), and the seat is not held', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor, { price: 50 });
      const res = await t.http
        .post(`/project/${project.id}/join`)
        .set('X-auth-token', patient.token)
        .send({ content: '复诊', plan_time: slotOf(project, 0) });
      expect(res.status).toBe(422);
      expect(res.body.error_code).toBe(ErrorCode.WECHAT_PAY_OPENID_REQUIRED);
      const [{ n }] = await t.db.query<{ n: string }[]>(
        `SELECT count(*) n FROM diagnosis WHERE project_id = $1`,
        [project.id],
      );
      expect(Number(n)).toBe(0);
    });

    it('join returns signed pay params; the paid notification books the seat once; a refund settles by notification', async () => {
      const { patient, project, openid, res } = await holdSeat();
      expect(res.status).toBe(200);
      const { sn, amount, pay } = res.body.data as {
        sn: string;
        amount: string;
        pay: Record<string, string>;
      };
      expect(amount).toBe('50.00');
      const order = fake.orders.get(sn);
      expect(order).toMatchObject({ total: 5000, openid, trade_state: 'NOTPAY' });
      expect(pay).toMatchObject({
        appId: fake.appId,
        package: `prepay_id=${order?.prepay_id}`,
        signType: 'RSA',
      });
      expect(
        rsaVerify(
          fake.merchant.publicKey,
          `${pay.appId}\n${pay.timeStamp}\n${pay.nonceStr}\n${pay.package}\n`,
          pay.paySign,
        ),
      ).toBe(true);
      expect(await diagnosis(sn)).toMatchObject({ verify_status: 0, paid_at: null });

      // Not ours: another merchant's or app's transaction is refused and changes nothing.
      const tx = { out_trade_no: sn, transaction_id: '4200000003202501010000000003', total: 5000 };
      expect(await fake.notifyPaid(notifyUrl, tx, { resource: { mchid: '1234567890' } })).toBe(400);
      expect(await fake.notifyPaid(notifyUrl, tx, { resource: { appid: 'wxother' } })).toBe(400);
      expect(await diagnosis(sn)).toMatchObject({ verify_status: 0, paid_at: null });

      const id = 'EV-PAID-0001-8d7f';
      expect(await fake.notifyPaid(notifyUrl, tx, { id })).toBe(204);
      expect(fake.lastAck).toBe('');
      const booked = await diagnosis(sn);
      expect(booked).toMatchObject({ verify_status: 1, transaction_id: tx.transaction_id });
      expect(booked.paid_at).not.toBeNull();
      // WeChat redelivers: acknowledged, nothing changes.
      const count = await events();
      expect(await fake.notifyPaid(notifyUrl, tx, { id })).toBe(204);
      expect(await diagnosis(sn)).toEqual(booked);
      expect(await events()).toBe(count);

      // The patient cancels: the refund job asks WeChat (PROCESSING), the REFUND.SUCCESS notification completes it.
      await t.http.get(`/custom/project/${project.id}/cancel`).set('X-auth-token', patient.token).expect(200);
      await until(async () => fake.refunds.size > 0 && (await diagnosis(sn)).refund_status === 2);
      const refundSn = (await diagnosis(sn)).refund_sn as string;
      expect(fake.refunds.get(refundSn)).toMatchObject({
        out_trade_no: sn,
        refund: 5000,
        total: 5000,
        status: 'PROCESSING',
      });
      expect(
        await fake.notifyRefund(notifyUrl, {
          out_trade_no: sn,
          out_refund_no: refundSn,
          refund: 5000,
          total: 5000,
        }),
      ).toBe(204);
      expect(await diagnosis(sn)).toMatchObject({ refund_status: 3 });
    });
  });
});
