import { failure } from '../../../test/support/fakes/partner-fake';
import { Logger } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { toPartnerException } from 'src/integrations/partner-http/partner-errors';
import { PartnerHttp } from 'src/integrations/partner-http/partner-http';
import { PartnerMetrics } from 'src/integrations/partner-http/partner-metrics';
import {
  FakeLinkingcloud,
  LC_DEPTS,
  LC_DOCTORS,
  LC_FAKE_CODES,
} from '../../../test/support/fakes/linkingcloud.fake';
import { LINKINGCLOUD_LABEL, LinkingcloudClient, LinkingcloudOptions } from './linkingcloud.client';
import { LcSendUser } from './linkingcloud.types';

const APP_ID = 'lc-app-7f3a';
const SECRET = 'lc-secret-0d9e4c2b7a61';

const QUESTION: LcSendUser = {
  order_id: 'LC2025010112000012345678',
  openid: 'u42',
  patient_nickname: '张三',
  ask_content: '咳嗽两周，夜间加重',
  ask_imagelist: ['http://files.test/a.png', 'http://files.test/b.png'],
  doctor_id: 'LCD1001',
  consult_name: '图文咨询',
  consult_amount: '0.00',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LinkingcloudClient against the fake gateway', () => {
  const fake = new FakeLinkingcloud({ appId: APP_ID, appSecret: SECRET });
  const logged: string[] = [];
  const client = (over: Partial<LinkingcloudOptions> = {}) =>
    new LinkingcloudClient(
      new PartnerHttp(
        'linkingcloud',
        fake.baseUrl,
        { timeoutMs: 1000, retries: 2, retryDelayMs: 5, breakerFailures: 50, breakerHalfOpenMs: 1000 },
        new PartnerMetrics(),
        [over.appSecret ?? SECRET],
      ),
      { appId: APP_ID, appSecret: SECRET, sign: {}, successCode: '0', tokenMarginSeconds: 600, ...over },
    );
  const gatewayCalls = () => fake.requestsTo('/api/gateway').length;

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
    await fake.start();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await fake.stop();
  });
  beforeEach(() => fake.reset());
  afterEach(() => {
    for (const line of logged) {
      expect(line).not.toContain(SECRET);
      for (const token of fake.issuedTokens) expect(line).not.toContain(token);
    }
  });

  it('covers the eight methods with the documented fields', async () => {
    const lc = client();
    await expect(lc.deptList()).resolves.toEqual(LC_DEPTS);
    await expect(lc.doctorList()).resolves.toEqual(LC_DOCTORS);
    await lc.sendUser(QUESTION);
    const sent = fake.questions.get(QUESTION.order_id)!;
    expect(sent).toMatchObject({ app_id: APP_ID, method: 'lc.ask.send.user', doctor_id: 'LCD1001' });
    expect(sent.access_token).toBeUndefined();
    expect(sent.ask_imagelist).toBe('http://files.test/a.png,http://files.test/b.png');
    await expect(lc.getEvaluate({ order_id: QUESTION.order_id, openid: 'u42' })).resolves.toBeNull();
    const evaluation = {
      evaluate_content: '很耐心',
      evaluate_score: '5',
      evaluate_time: '2025-01-02 10:00:00',
    };
    fake.evaluations.set(QUESTION.order_id, evaluation);
    await expect(lc.getEvaluate({ order_id: QUESTION.order_id, openid: 'u42' })).resolves.toEqual(evaluation);
    await lc.replyDoctor({
      order_id: QUESTION.order_id,
      reply_content: '多喝水',
      ask_status: '1',
      message_type: '0',
    });
    expect(fake.replies).toHaveLength(1);
    const week = { monday_list: [{ begintime: '08:00', endtime: '12:00' }] };
    await lc.updateScheduling({
      doctor_id: 'LCD1001',
      service_id: 'S1',
      is_full_day: '0',
      tuesday_list: [],
      wednesday_list: [],
      thursday_list: [],
      friday_list: [],
      saturday_list: [],
      sunday_list: [],
      ...week,
    });
    expect(fake.schedules[0]).toMatchObject({ method: 'lc.ask.update.scheduling', ...week });
    const asks = await lc.askList({ openid: 'u42', begintime: '00:00', endtime: '23:59' });
    expect(asks).toEqual([expect.objectContaining({ order_id: QUESTION.order_id, doctor_name: '王医生' })]);
    await lc.uploadUser({ openid: 'u42', patient_nickname: '张三', patient_tel: '13800000000' });
    expect(fake.userUploads[0]).toMatchObject({ openid: 'u42', method: 'lc.ask.upload.user' });
    expect(fake.tokenFetches).toBe(1);
  });

  it('20 concurrent calls share one token fetch', async () => {
    const lc = client();
    const lists = await Promise.all(Array.from({ length: 20 }, () => lc.deptList()));
    expect(lists.every((l) => l.length === LC_DEPTS.length)).toBe(true);
    expect(fake.tokenFetches).toBe(1);
    expect(gatewayCalls()).toBe(20);
  });

  it('replaces the token ahead of its expiry (margin), while the old one still works', async () => {
    fake.tokenTtlSeconds = 4;
    const lc = client({ tokenMarginSeconds: 2 });
    await lc.deptList();
    await lc.deptList();
    expect(fake.tokenFetches).toBe(1);
    await sleep(2100);
    await lc.deptList();
    expect(fake.tokenFetches).toBe(2);
    // No call was ever refused: the replacement came before the partner would have said "expired".
    expect(fake.requestsTo('/api/gateway').length).toBe(3);
  });

  it('a refused token is replaced once and the call repeated once, writes and signed calls included', async () => {
    const lc = client();
    await lc.deptList();
    fake.revokeTokens();
    await lc.uploadUser({ openid: 'u42', patient_tel: '13800000000' });
    expect(fake.tokenFetches).toBe(2);
    expect(gatewayCalls()).toBe(3);
    // The second attempt was signed over the new token.
    expect(fake.userUploads).toHaveLength(1);
  });

  it('a token refused again after the replacement is an auth failure (no loop)', async () => {
    const lc = client();
    await lc.deptList();
    fake.tokenTtlSeconds = 0.001;
    fake.revokeTokens();
    const err = await failure(lc.deptList());
    expect(err).toMatchObject({ kind: 'auth', partnerCode: 'invalid_token' });
    expect(fake.tokenFetches).toBe(2);
    expect(gatewayCalls()).toBe(3);
  });

  it('a wrong secret is an auth failure, mapped to 50103, naming neither the secret nor the partner answer', async () => {
    const wrong = 'wrong-secret-9b1c';
    const err = await failure(client({ appSecret: wrong }).deptList());
    expect(err).toMatchObject({ kind: 'auth', partnerCode: 'invalid_clientSecret' });
    expect(err.message).not.toContain(wrong);
    expect(fake.tokenFetches).toBe(1);
    expect(gatewayCalls()).toBe(0);
    const mapped = toPartnerException(err, LINKINGCLOUD_LABEL) as AppException;
    expect(mapped).toBeInstanceOf(AppException);
    expect({ code: mapped.code, status: mapped.status }).toEqual({
      code: ErrorCode.PARTNER_AUTH_FAILED,
      status: 502,
    });
    expect(mapped.message).toContain(LINKINGCLOUD_LABEL);
    expect(mapped.message).not.toContain('AppSecret');
  });

  it('a reponse_result code other than the success code is an api failure, mapped to 50104', async () => {
    fake.refuseNext('lc.ask.get.deptList', '3001', '系统繁忙');
    const err = await failure(client().deptList());
    expect(err).toMatchObject({ kind: 'api', partnerCode: '3001', partnerMessage: '系统繁忙' });
    expect(gatewayCalls()).toBe(1);
    const mapped = toPartnerException(err, LINKINGCLOUD_LABEL) as AppException;
    expect({ code: mapped.code, status: mapped.status }).toEqual({
      code: ErrorCode.PARTNER_REJECTED,
      status: 502,
    });
  });

  it('the success code comes from the options', async () => {
    const err = await failure(client({ successCode: '200' }).deptList());
    expect(err).toMatchObject({ kind: 'api', partnerCode: '0' });
  });

  it('a sign made another way than the gateway expects is refused as a sign error', async () => {
    const err = await failure(client({ sign: { mode: 'wxpay' } }).sendUser(QUESTION));
    expect(err).toMatchObject({ kind: 'api', partnerCode: LC_FAKE_CODES.badSign });
    expect(fake.questions.size).toBe(0);
    // Hex case does not matter to the gateway.
    await client({ sign: { case: 'upper' } }).sendUser(QUESTION);
    expect(fake.questions.size).toBe(1);
  });

  it('an answer without reponse_result, or not JSON, is a protocol failure', async () => {
    const lc = client();
    await lc.deptList();
    fake.failAll('garbage');
    await expect(failure(lc.deptList())).resolves.toMatchObject({ kind: 'protocol' });
  });

  it('reads are retried on 5xx; send.user is not repeated once it may have arrived', async () => {
    const lc = client();
    await lc.deptList();
    fake.failNext('http503');
    await expect(lc.doctorList()).resolves.toHaveLength(LC_DOCTORS.length);
    expect(gatewayCalls()).toBe(3);
    fake.failNext('http500');
    await expect(failure(lc.sendUser(QUESTION))).resolves.toMatchObject({ kind: 'status', httpStatus: 500 });
    expect(gatewayCalls()).toBe(4);
  });

  it('a missing required field is refused in the reponse_result shape', async () => {
    const err = await failure(client().sendUser({ ...QUESTION, consult_name: '' }));
    expect(err).toMatchObject({ kind: 'api', partnerCode: LC_FAKE_CODES.missingParam });
  });
});
