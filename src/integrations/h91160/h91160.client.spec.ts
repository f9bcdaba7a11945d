import { failure } from '../../../test/support/fakes/partner-fake';
import { Logger } from '@nestjs/common';
import {
  H91160_ALREADY_CANCELLED,
  H91160_BAD_TOKEN,
  H91160_SLOT_TAKEN,
  H91160Fake,
} from '../../../test/support/fakes/h91160.fake';
import { PartnerHttp, PartnerHttpSettings } from '../partner-http/partner-http';
import { PartnerMetrics } from '../partner-http/partner-metrics';
import { H91160Client, H91160OrderInput } from './h91160.client';

const APP_TOKEN = 'a91160-app-token-5f3c9e1d7b';
const SETTINGS: PartnerHttpSettings = {
  timeoutMs: 300,
  retries: 2,
  retryDelayMs: 5,
  breakerFailures: 50,
  breakerHalfOpenMs: 200,
};

describe('H91160Client', () => {
  let fake: H91160Fake;
  const logged: string[] = [];
  const client = (token = APP_TOKEN) =>
    new H91160Client(new PartnerHttp('91160', fake.baseUrl, SETTINGS, new PartnerMetrics(), [token]), token);
  const patient = (detlId: string): H91160OrderInput => ({
    unitId: 1001,
    depId: 100101,
    doctorId: 1001011,
    detlId,
    mobile: '13912345678',
    trueName: '王小明',
    sex: 0,
    birthday: '1990-03-07',
    cardType: 1,
    cardNo: '110101199003074514',
    clinicNo: '',
    address: '',
  });

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const)
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    fake = await new H91160Fake(APP_TOKEN).start();
  });
  afterAll(async () => {
    await fake.stop();
    jest.restoreAllMocks();
  });
  beforeEach(() => {
    fake.heal();
    fake.requests.length = 0;
  });
  afterEach(() => {
    for (const line of logged) {
      expect(line).not.toContain(APP_TOKEN);
      expect(line).not.toContain('13912345678');
      expect(line).not.toContain('110101199003074514');
    }
  });

  it('reads units, departments and doctors page by page, with the appToken in the query', async () => {
    const units = await client().unitList(3, 10);
    expect(units.total).toBe(25);
    expect(units.list.map((u) => u.unitId)).toEqual([1021, 1022, 1023, 1024, 1025]);
    expect(fake.requests[0].query.get('appToken')).toBe(APP_TOKEN);
    const deps = await client().depList(1001, 2, 5);
    expect(deps).toMatchObject({ total: 7, list: [{ depId: 100106 }, { depId: 100107 }] });
    const doctors = await client().doctorList(1001, 100101, 1, 20);
    expect(doctors.list[0]).toMatchObject({ doctorId: 1001011, depId: 100101, gender: 0 });
  });

  it('reads schedules and resources', async () => {
    const schedules = await client().scheduleList({
      unitId: 1001,
      depId: 100101,
      doctorId: 1001011,
      beginDate: '2030-01-01',
      endDate: '2030-01-02',
    });
    expect(schedules).toHaveLength(4);
    expect(schedules[0]).toMatchObject({ scheduleDate: '2030-01-01', timeType: 'am', resourceMax: 3 });
    const resources = await client().resourceList(1001, schedules[0].scheduleId);
    expect(resources.map((r) => r.appointedNum)).toEqual([0, 0, 0]);
  });

  it('orders and cancels with the appToken in the JSON body', async () => {
    const detlId = `${fake.scheduleIdOf(1001011, '2030-01-01')}-1`;
    const order = await client().order(patient(detlId));
    expect(order).toEqual({ orderId: expect.stringMatching(/^\d+$/), hisTakeNo: expect.any(String) });
    const sent = JSON.parse(fake.requestsTo('/appointment/order')[0].body) as Record<string, unknown>;
    expect(sent).toMatchObject({ appToken: APP_TOKEN, detlId, unitId: 1001, sex: 0 });
    expect(fake.requestsTo('/appointment/order')[0].query.has('appToken')).toBe(false);
    await client().cancel(order.orderId, '行程有变');
    expect(fake.cancels).toEqual([{ orderId: Number(order.orderId), cancelReason: '行程有变' }]);
  });

  it('maps a refused appToken to kind auth, without the token in the message', async () => {
    const err = await failure(client('wrong-token-123456').unitList(1, 10));
    expect(err).toMatchObject({ kind: 'auth', partnerCode: H91160_BAD_TOKEN.code });
    expect(err.message).not.toContain('wrong-token-123456');
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a business refusal to kind api with the partner code and message, scrubbed of personal data', async () => {
    fake.refuseNext('/appointment/order', H91160_SLOT_TAKEN, '13912345678 的号源已约满');
    const err = await failure(client().order(patient('S-1001011-2030-01-01-am-2')));
    expect(err).toMatchObject({ kind: 'api', partnerCode: H91160_SLOT_TAKEN, unsent: false });
    expect(err.partnerMessage).toBe('*** 的号源已约满');
    const again = await failure(client().cancel('999999', '不去了'));
    expect(again.kind).toBe('api');
    fake.refuseNext('/appointment/cancel', H91160_ALREADY_CANCELLED, '订单已取消');
    expect((await failure(client().cancel('1', 'x'))).partnerCode).toBe(H91160_ALREADY_CANCELLED);
  });

  it('calls a body that is not the envelope, or data of the wrong shape, a protocol failure', async () => {
    fake.failNext('garbage');
    expect((await failure(client().unitList(1, 10))).kind).toBe('protocol');
    fake.refuseNext('/basicInfo/depList', '0', 'ok');
    // `{code: "0"}` without the page it promised.
    expect((await failure(client().depList(1001, 1, 10))).kind).toBe('protocol');
    fake.refuseNext('/basicInfo/unitList', 'E1', '');
    expect((await failure(client().unitList(1, 10))).kind).toBe('api');
    // An unknown schedule is an empty list, not a broken answer.
    await expect(client().resourceList(1001, 'S-bad')).resolves.toEqual([]);
  });

  it('retries reads on 5xx and resets', async () => {
    fake.failNext('http503');
    fake.failNext('reset');
    await expect(client().unitList(1, 5)).resolves.toMatchObject({ total: 25 });
    expect(fake.requestsTo('/basicInfo/unitList')).toHaveLength(3);
  });

  it('never repeats an order that may have arrived: timeout, reset and 5xx are sent once', async () => {
    for (const fault of ['hang', 'reset', 'http500'] as const) {
      fake.requests.length = 0;
      fake.failNext(fault);
      const err = await failure(client().order(patient('S-1001011-2030-01-02-am-1')));
      expect(err.kind).toBe(fault === 'hang' ? 'timeout' : fault === 'reset' ? 'network' : 'status');
      expect(err.unsent).toBe(false);
      expect(fake.requestsTo('/appointment/order')).toHaveLength(1);
    }
    expect(fake.orders).toHaveLength(1); // only the order of the earlier test
  });

  it('does not repeat a cancel either', async () => {
    fake.failNext('http500');
    expect((await failure(client().cancel('880001', '不去了'))).kind).toBe('status');
    expect(fake.requestsTo('/appointment/cancel')).toHaveLength(1);
  });

  it('refuses without the appToken, sending nothing', async () => {
    const http = new PartnerHttp('91160', fake.baseUrl, SETTINGS, new PartnerMetrics(), []);
    const unconfigured = new H91160Client(http, undefined);
    expect(unconfigured.configured).toBe(false);
    expect((await failure(unconfigured.unitList(1, 10))).kind).toBe('not_configured');
    expect(fake.requests).toHaveLength(0);
  });
});
