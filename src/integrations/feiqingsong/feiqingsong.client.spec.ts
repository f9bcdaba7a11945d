import { failure } from '../../../test/support/fakes/partner-fake';
import { Logger } from '@nestjs/common';
import { FakeFeiqingsong, FakeQaAccount } from '../../../test/support/fakes/feiqingsong.fake';
import { PartnerHttp } from 'src/integrations/partner-http/partner-http';
import { PartnerMetrics } from 'src/integrations/partner-http/partner-metrics';
import { pageWindow } from './drf-paging';
import { FeiqingsongClient, MAX_FOLLOWED_PAGES } from './feiqingsong.client';
import { QaOrderStatus } from './feiqingsong.types';

describe('FeiqingsongClient', () => {
  const fake = new FakeFeiqingsong();
  const logged: string[] = [];
  let client: FeiqingsongClient;
  let patient: FakeQaAccount;
  let doctor: FakeQaAccount;

  const newClient = (baseUrl = fake.baseUrl) =>
    new FeiqingsongClient(
      new PartnerHttp(
        'feiqingsong',
        baseUrl,
        { timeoutMs: 1000, retries: 2, retryDelayMs: 5, breakerFailures: 50, breakerHalfOpenMs: 100 },
        new PartnerMetrics(),
      ),
      baseUrl,
    );
  const create = () => client.createOrder(patient.token, { doctor: doctor.username, order_type: 'online' });

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
    await fake.start();
    client = newClient();
    patient = fake.addPatient('patient1', '张三');
    doctor = fake.addDoctor('doctor1', '19.00', '李医生');
  });
  afterAll(async () => {
    await fake.stop();
    jest.restoreAllMocks();
  });
  beforeEach(() => {
    fake.heal();
    fake.requests.length = 0;
    fake.pageSize = 10;
    fake.honourPageSize = true;
    fake.linkOrigin = undefined;
  });
  afterEach(() => {
    for (const line of logged) for (const token of fake.issued) expect(line).not.toContain(token);
  });

  it('creates an order with the token header, the documented method and trailing slash', async () => {
    const order = await create();
    expect(order).toMatchObject({
      status: QaOrderStatus.Unpaid,
      amount: '19.00',
      doctor: { owner: 'doctor1' },
    });
    expect(order.order_number).toMatch(/^\d{26}$/);
    const [req] = fake.requestsTo('/qaorder/order/create/');
    expect(req).toMatchObject({ method: 'POST', headers: { authorization: `Token ${patient.token}` } });
    expect(JSON.parse(req.body)).toEqual({ doctor: 'doctor1', order_type: 'online' });
  });

  it('calls every route with its documented method', async () => {
    const a = await create();
    const b = await create();
    const n = a.order_number;
    await client.orderDetail(patient.token, n);
    await client.newestOrder(patient.token, 'patient', doctor.username);
    await client.listOrders(patient.token, 'patient', { status: QaOrderStatus.Unpaid });
    await client.qaOrders(patient.token, 'patient');
    await client.filterOrders(patient.token, QaOrderStatus.Unpaid);
    await client.payOrder(patient.token, n, 'wx');
    fake.setStatus(n, QaOrderStatus.Answered);
    await client.finishOrder(patient.token, n);
    await client.evaluateOrder(patient.token, n, { scores: 5, content: '好评' });
    await client.doctorEvaluations(patient.token, doctor.username);
    await client.inquiryRecords(patient.token, patient.pk);
    await client.cancelOrder(patient.token, b.order_number);
    await client.destroyOrder(patient.token, b.order_number);
    expect(fake.requests.map((r) => `${r.method} ${r.path.replace(/\d{26}/, 'N')}`)).toEqual([
      'POST /qaorder/order/create/',
      'POST /qaorder/order/create/',
      'GET /qaorder/order/detail/N/',
      'GET /qaorder/order/patient/newone/',
      'GET /qaorder/order/patient/list/',
      'GET /qaorder/order/patient/list/qa/',
      'GET /qaorder/order/filter/',
      'PATCH /qaorder/order/pay/N/',
      'PUT /qaorder/order/finish/N/',
      'PUT /qaorder/order/evaluate/N/',
      'GET /qaorder/user/doctor1/',
      'GET /qaorder/patient/inquiry/record/1/',
      'PUT /qaorder/order/cancel/N/',
      'GET /qaorder/order/destroy/N/',
    ]);
    expect(fake.orders.has(b.order_number)).toBe(false);
  });

  it('pays: the Ping++ charge of the order', async () => {
    const order = await create();
    const charge = await client.payOrder(patient.token, order.order_number, 'alipay');
    expect(charge).toMatchObject({
      object: 'charge',
      order_no: order.order_number,
      amount: 1900,
      channel: 'alipay',
    });
    expect(JSON.parse(fake.requests.at(-1)!.body)).toEqual({ channel: 'alipay' });
  });

  it('follows next links across three pages', async () => {
    const other = fake.addPatient('pager');
    for (let i = 0; i < 5; i += 1)
      await client.createOrder(other.token, { doctor: 'doctor1', order_type: 'online' });
    fake.requests.length = 0;
    const all = await client.listOrders(other.token, 'patient', { pageSize: 2, all: true });
    expect(all.count).toBe(5);
    expect(all.results).toHaveLength(5);
    expect(new Set(all.results.map((o) => o.order_number)).size).toBe(5);
    const pages = fake.requestsTo('/qaorder/order/patient/list/');
    expect(pages.map((r) => r.query.get('page'))).toEqual([null, '2', '3']);
    for (const r of pages) expect(r.headers.authorization).toBe(`Token ${other.token}`);
  });

  it('refuses a next link to another origin without sending anything there', async () => {
    const other = fake.addPatient('elsewhere');
    for (let i = 0; i < 3; i += 1)
      await client.createOrder(other.token, { doctor: 'doctor1', order_type: 'online' });
    fake.linkOrigin = 'http://evil.example';
    const err = await failure(client.listOrders(other.token, 'patient', { pageSize: 2, all: true }));
    expect(err).toMatchObject({ kind: 'protocol' });
    expect(err.message).toContain('next link leaves the partner');
    expect(fake.requestsTo('/qaorder/order/patient/list/')).toHaveLength(1);
  });

  it(`stops after ${MAX_FOLLOWED_PAGES} pages`, async () => {
    const other = fake.addPatient('many');
    for (let i = 0; i < MAX_FOLLOWED_PAGES + 1; i += 1)
      await client.createOrder(other.token, { doctor: 'doctor1', order_type: 'online' });
    const err = await failure(client.listOrders(other.token, 'patient', { pageSize: 1, all: true }));
    expect(err.kind).toBe('protocol');
  });

  it('maps a refused token to auth, without the token in any message', async () => {
    const unknown = 'ab'.repeat(20);
    const err = await failure(client.orderDetail(unknown, '1'.repeat(26)));
    expect(err).toMatchObject({ kind: 'auth', httpStatus: 401, partnerMessage: 'Invalid token.' });
    expect(`${err.message} ${err.partnerMessage}`).not.toContain(unknown);
    expect(logged.join('\n')).not.toContain(unknown);
  });

  it('maps business refusals and DRF errors to api with the partner code and message', async () => {
    const order = await create();
    const finish = await failure(client.finishOrder(patient.token, order.order_number));
    expect(finish).toMatchObject({ kind: 'api', partnerCode: '-4', partnerMessage: '不能结束订单' });
    const missing = await failure(client.orderDetail(patient.token, '9'.repeat(26)));
    expect(missing).toMatchObject({ kind: 'api', httpStatus: 404, partnerCode: 'not_found' });
    const invalid = await failure(
      client.createOrder(patient.token, { doctor: 'nobody', order_type: 'online' }),
    );
    expect(invalid).toMatchObject({ kind: 'api', partnerCode: 'invalid' });
    expect(invalid.partnerMessage).toContain('doctor');
    const pastEnd = await failure(client.listOrders(patient.token, 'patient', { page: 99 }));
    expect(pastEnd).toMatchObject({ kind: 'api', partnerCode: 'invalid_page' });
    for (const e of [finish, missing, invalid, pastEnd]) expect(e.message).not.toContain(patient.token);
  });

  it('retries reads on 5xx but never repeats a PUT that may have arrived', async () => {
    const order = await create();
    fake.requests.length = 0;
    fake.failNext('http503');
    await expect(client.orderDetail(patient.token, order.order_number)).resolves.toMatchObject({ status: 0 });
    expect(fake.requests).toHaveLength(2);
    fake.requests.length = 0;
    fake.failNext('http500');
    expect((await failure(client.cancelOrder(patient.token, order.order_number))).kind).toBe('status');
    fake.failNext('reset');
    expect((await failure(client.destroyOrder(patient.token, order.order_number))).kind).toBe('network');
    expect(fake.requests).toHaveLength(2);
  });

  it('calls an answer that is not a DRF page a protocol failure', async () => {
    fake.failNext('garbage');
    expect((await failure(client.qaOrders(patient.token, 'patient'))).kind).toBe('protocol');
  });

  it('is not configured without a base URL', async () => {
    expect((await failure(newClient('').orderDetail(patient.token, '1'.repeat(26)))).kind).toBe(
      'not_configured',
    );
  });

  describe('pageWindow (our current_page/page_size over DRF pages)', () => {
    let owner: FakeQaAccount;
    let numbers: string[];
    const window = (page: number, size: number) =>
      pageWindow((p, s) => client.listOrders(owner.token, 'patient', { page: p, pageSize: s }), page, size);

    beforeAll(async () => {
      owner = fake.addPatient('window');
      for (let i = 0; i < 7; i += 1)
        await client.createOrder(owner.token, { doctor: 'doctor1', order_type: 'online' });
      numbers = (await client.listOrders(owner.token, 'patient', { all: true })).results.map(
        (o) => o.order_number,
      );
    });

    it.each([
      [true, 1, 3],
      [true, 3, 3],
      [false, 2, 3],
      [false, 3, 3],
      [false, 1, 7],
      [false, 2, 2],
    ])('honourPageSize=%s: page %i of size %i', async (honour, page, size) => {
      fake.honourPageSize = honour;
      fake.pageSize = 4;
      const got = await window(page, size);
      expect(got.count).toBe(7);
      expect(got.list.map((o) => o.order_number)).toEqual(numbers.slice((page - 1) * size, page * size));
    });

    it('answers an empty list past the end', async () => {
      await expect(window(5, 3)).resolves.toEqual({ list: [], count: 7 });
    });
  });
});
