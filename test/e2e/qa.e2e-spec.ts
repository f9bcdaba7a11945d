import { Logger } from '@nestjs/common';
import { ErrorCode } from 'src/common/errors/error-codes';
import { Account, expectError, registerAccount } from '../support/factories';
import { FakeFeiqingsong, FakeQaAccount } from '../support/fakes/feiqingsong.fake';
import { startTestApp, TestApp } from '../support/test-app';

type Method = 'get' | 'post' | 'delete';
interface Answer {
  status: number;
  body: Record<string, unknown> & { data: unknown };
  text: string;
}

const UNKNOWN_ORDER = '1'.repeat(26);
/** What the assertions read of `data`: lists and pages, or the fields of one object. */
interface Data {
  list: { order_number: string }[];
  page: { count: number };
  [field: string]: unknown;
}

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Every route of the module, with a body that passes validation (null: none; each row has all three). */
const ROUTES: [Method, string, object | null][] = [
  ['post', '/qa/account', { token: 'a'.repeat(40), username: 'someone' }],
  ['get', '/qa/account', null],
  ['delete', '/qa/account', null],
  ['get', '/qa/orders', null],
  ['post', '/qa/orders', { doctor: 'doctor1', order_type: 'online' }],
  ['get', '/qa/orders/qa', null],
  ['get', `/qa/orders/${UNKNOWN_ORDER}`, null],
  ['get', `/qa/orders/${UNKNOWN_ORDER}/qa`, null],
  ['post', `/qa/orders/${UNKNOWN_ORDER}/pay`, { channel: 'wx' }],
  ['post', `/qa/orders/${UNKNOWN_ORDER}/cancel`, null],
  ['post', `/qa/orders/${UNKNOWN_ORDER}/finish`, null],
  ['post', `/qa/orders/${UNKNOWN_ORDER}/evaluate`, { scores: 5, content: '好评' }],
  ['delete', `/qa/orders/${UNKNOWN_ORDER}`, null],
  ['get', '/qa/doctors/doctor1/evaluations', null],
  ['get', '/qa/inquiry-records', null],
];
/** The routes that act through the linked account. */
const PARTNER_ROUTES = ROUTES.filter(([, path]) => path !== '/qa/account');

/** Log lines written through Nest's Logger (pino itself is silent in tests). */
const logged: string[] = [];
beforeAll(() => {
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' '));
    });
  }
});
afterAll(() => jest.restoreAllMocks());

describe('/qa (肺轻松 paid Q&A orders)', () => {
  const fake = new FakeFeiqingsong();
  /** Every answer of the suite, to check that no partner token ever comes back. */
  const answers: string[] = [];
  let t: TestApp;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let doctor: Account;
  let pa: FakeQaAccount;
  let pb: FakeQaAccount;
  let pc: FakeQaAccount;

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({
      FEIQINGSONG_BASE_URL: fake.baseUrl,
      PARTNER_TIMEOUT_MS: '500',
      PARTNER_RETRY_DELAY_MS: '5',
      PARTNER_BREAKER_FAILURES: '1000',
    });
    [alice, bob, carol, doctor] = await Promise.all([
      registerAccount(t.http, 1),
      registerAccount(t.http, 1),
      registerAccount(t.http, 1),
      registerAccount(t.http, 2),
    ]);
    pa = fake.addPatient('alice_fqs', '爱丽丝');
    pb = fake.addPatient('bob_fqs', '鲍勃');
    pc = fake.addPatient('carol_fqs', '卡萝');
    fake.addDoctor('doctor1', '19.00', '李医生');
    fake.addDoctor('doctor2', '30.00', '王医生');
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  afterEach(() => {
    for (const token of fake.issued) {
      for (const line of logged) expect(line).not.toContain(token);
      for (const text of answers) expect(text).not.toContain(token);
    }
  });

  async function call(
    as: Account | undefined,
    method: Method,
    path: string,
    body?: object | null,
  ): Promise<Answer> {
    let req = t.http[method](path);
    if (as) req = req.set('X-auth-token', as.token);
    if (body && method !== 'get') req = req.send(body);
    else if (body) req = req.query(body as Record<string, string>);
    const res = await req;
    answers.push(res.text);
    return res;
  }
  const ok = (res: Answer) => {
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { error_code: 0 } });
    return res.body.data as Data;
  };
  const link = (as: Account, account: FakeQaAccount, extra: object = {}) =>
    call(as, 'post', '/qa/account', { token: account.token, username: account.username, ...extra });
  const create = async (as: Account, doctorName = 'doctor1') =>
    ok(await call(as, 'post', '/qa/orders', { doctor: doctorName, order_type: 'online' }));
  /** The requests the partner received while `run` ran. */
  async function partnerCalls(run: () => Promise<unknown>): Promise<number> {
    const before = fake.requests.length;
    await run();
    return fake.requests.length - before;
  }

  describe('who may call', () => {
    it.each(ROUTES)('%s %s: no token 401, a doctor 403', async (method, path, body) => {
      expectError(await call(undefined, method, path, body), 401, ErrorCode.TOKEN_MISSING);
      expectError(await call(doctor, method, path, body), 403, ErrorCode.ROLE_FORBIDDEN);
    });

    it.each(PARTNER_ROUTES)('%s %s without a linked account: 51200', async (method, path, body) => {
      const sent = await partnerCalls(async () =>
        expectError(await call(carol, method, path, body), 422, ErrorCode.QA_ACCOUNT_NOT_LINKED),
      );
      expect(sent).toBe(0);
    });
  });

  describe('linking an account', () => {
    it.each([
      [{ username: 'x' }, 'token'],
      [{ token: 'not-hex', username: 'x' }, 'token'],
      [{ token: 'a'.repeat(41), username: 'x' }, 'token'],
      [{ token: 'a'.repeat(40) }, 'username'],
      [{ token: 'a'.repeat(40), username: 'has space' }, 'username'],
      [{ token: 'a'.repeat(40), username: 'x', patient_pk: 0 }, 'patient_pk'],
      [{ token: 'a'.repeat(40), username: 'x', patient_pk: 'one' }, 'patient_pk'],
    ])('refuses %j before asking the partner (%s)', async (body, field) => {
      const sent = await partnerCalls(async () => {
        const res = await call(alice, 'post', '/qa/account', body);
        expect(expectError(res, 400, ErrorCode.VALIDATION_FAILED).data).toEqual({ field });
      });
      expect(sent).toBe(0);
    });

    it('refuses a token the partner does not know: 51201', async () => {
      const res = await call(alice, 'post', '/qa/account', { token: 'f'.repeat(40), username: 'alice_fqs' });
      expectError(res, 422, ErrorCode.QA_LINK_TOKEN_INVALID);
      expect(res.body.error_message).toBe('肺轻松账号令牌无效');
    });

    it("refuses another patient's pk: 51202", async () => {
      expectError(await link(alice, pa, { patient_pk: pb.pk }), 422, ErrorCode.QA_LINK_ACCOUNT_MISMATCH);
    });

    it('links, shows the link without the token, and keeps the token sealed at rest', async () => {
      const data = ok(await link(alice, pa, { patient_pk: pa.pk }));
      expect(data).toEqual({
        linked: true,
        username: 'alice_fqs',
        patient_pk: pa.pk,
        linked_at: expect.stringMatching(DATETIME),
      });
      expect(ok(await call(alice, 'get', '/qa/account'))).toEqual(data);
      const rows = await t.db.query<{ token: string; token_hash: string }[]>(
        'SELECT token, token_hash FROM feiqingsong_account WHERE user_id = $1',
        [alice.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].token).toMatch(/^v\d+:[A-Za-z0-9+/]+=*$/);
      expect(rows[0].token).not.toContain(pa.token);
      expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].token_hash).not.toBe(pa.token);
    });

    it('re-linking replaces the earlier link', async () => {
      ok(await link(alice, pa, { patient_pk: pa.pk }));
      const [{ n }] = await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM feiqingsong_account WHERE user_id = $1',
        [alice.id],
      );
      expect(n).toBe(1);
    });

    it('refuses a 肺轻松 account another patient holds: 51203', async () => {
      expectError(await link(bob, pa), 409, ErrorCode.QA_ACCOUNT_LINKED_ELSEWHERE);
    });

    it('unlinks (twice is fine)', async () => {
      ok(await link(carol, pc));
      for (let i = 0; i < 2; i += 1) {
        expect(ok(await call(carol, 'delete', '/qa/account'))).toEqual({
          linked: false,
          username: null,
          patient_pk: null,
          linked_at: null,
        });
      }
    });
  });

  describe('orders', () => {
    let paid: string;
    let unpaid: string;

    beforeAll(async () => {
      ok(await link(alice, pa, { patient_pk: pa.pk }));
      ok(await link(bob, pb));
    });

    it('validates before asking the partner', async () => {
      const cases: [Method, string, object | undefined, string][] = [
        ['post', '/qa/orders', { doctor: 'doctor1', order_type: 'weekly' }, 'order_type'],
        ['post', '/qa/orders', { order_type: 'online' }, 'doctor'],
        ['post', '/qa/orders', { doctor: '../x', order_type: 'online' }, 'doctor'],
        ['get', '/qa/orders', { status: '9' }, 'status'],
        ['get', '/qa/orders', { page_size: '101' }, 'page_size'],
        ['get', '/qa/orders/abc', undefined, 'order_number'],
        ['get', '/qa/orders/123/qa', undefined, 'order_number'],
        ['post', `/qa/orders/${UNKNOWN_ORDER}/pay`, { channel: 'cash' }, 'channel'],
        ['post', `/qa/orders/${UNKNOWN_ORDER}/evaluate`, { scores: 6, content: '好' }, 'scores'],
        ['post', `/qa/orders/${UNKNOWN_ORDER}/evaluate`, { scores: 5, content: ' ' }, 'content'],
        ['delete', '/qa/orders/1e30', undefined, 'order_number'],
        ['get', '/qa/doctors/a%20b/evaluations', undefined, 'username'],
        ['get', '/qa/inquiry-records', { current_page: '0' }, 'current_page'],
      ];
      const sent = await partnerCalls(async () => {
        for (const [method, path, body, field] of cases) {
          const res = await call(alice, method, path, body);
          expect([path, expectError(res, 400, ErrorCode.VALIDATION_FAILED).data]).toEqual([path, { field }]);
        }
      });
      expect(sent).toBe(0);
    });

    it('creates an order and records it as the patient’s', async () => {
      const order = (await create(alice)) as Record<string, unknown>;
      expect(order).toMatchObject({
        order_number: expect.stringMatching(/^\d{26}$/),
        status: 0,
        status_display: '待支付',
        amount: '19.00',
        order_type: 'online',
        doctor: { username: 'doctor1', name: '李医生' },
        patient: { username: 'alice_fqs' },
        question: null,
        answer: null,
        create_time: expect.stringMatching(DATETIME),
      });
      const [row] = await t.db.query<{ user_id: number; status: number }[]>(
        'SELECT user_id, status FROM feiqingsong_order WHERE order_number = $1',
        [order.order_number],
      );
      expect(row).toEqual({ user_id: alice.id, status: 0 });
      paid = order.order_number as string;
      unpaid = (await create(alice, 'doctor2')).order_number as string;
      await create(alice);
    });

    it('refuses an unknown doctor: 51207', async () => {
      const res = await call(alice, 'post', '/qa/orders', { doctor: 'nobody', order_type: 'online' });
      expectError(res, 422, ErrorCode.QA_REQUEST_REJECTED);
    });

    it('lists my orders on our pages, with a status filter', async () => {
      const first = ok(await call(alice, 'get', '/qa/orders', { page_size: '2' }));
      expect(first.page).toEqual({ current_page: 1, total_page: 2, count: 3, page_size: 2 });
      expect(first.list).toHaveLength(2);
      const second = ok(await call(alice, 'get', '/qa/orders', { page_size: '2', current_page: '2' }));
      expect(second.list).toHaveLength(1);
      const past = ok(await call(alice, 'get', '/qa/orders', { page_size: '2', current_page: '9' }));
      expect(past).toEqual({ list: [], page: { current_page: 9, total_page: 2, count: 3, page_size: 2 } });
      const numbers = [...first.list, ...second.list].map((o: { order_number: string }) => o.order_number);
      expect(numbers).toEqual(expect.arrayContaining([paid, unpaid]));
      const none = ok(await call(alice, 'get', '/qa/orders', { status: '5' }));
      expect(none.page.count).toBe(0);
    });

    it('shows one order; a number never created through us is 404 without asking the partner', async () => {
      expect(ok(await call(alice, 'get', `/qa/orders/${paid}`))).toMatchObject({
        order_number: paid,
        status: 0,
      });
      const sent = await partnerCalls(async () =>
        expectError(
          await call(alice, 'get', `/qa/orders/${UNKNOWN_ORDER}`),
          404,
          ErrorCode.QA_ORDER_NOT_FOUND,
        ),
      );
      expect(sent).toBe(0);
    });

    it("answers 404 for another patient's order, on every order route", async () => {
      const routes: [Method, string, object?][] = [
        ['get', `/qa/orders/${paid}`],
        ['get', `/qa/orders/${paid}/qa`],
        ['post', `/qa/orders/${paid}/pay`, { channel: 'wx' }],
        ['post', `/qa/orders/${paid}/cancel`],
        ['post', `/qa/orders/${paid}/finish`],
        ['post', `/qa/orders/${paid}/evaluate`, { scores: 5, content: '好评' }],
        ['delete', `/qa/orders/${paid}`],
      ];
      for (const [method, path, body] of routes)
        expectError(await call(bob, method, path, body), 404, ErrorCode.QA_ORDER_NOT_FOUND);
    });

    it('even when the other patient holds the same 肺轻松 account now', async () => {
      ok(await call(alice, 'delete', '/qa/account'));
      ok(await link(bob, pa));
      const sent = await partnerCalls(async () =>
        expectError(await call(bob, 'get', `/qa/orders/${paid}`), 404, ErrorCode.QA_ORDER_NOT_FOUND),
      );
      expect(sent).toBe(0);
      ok(await link(bob, pb));
      ok(await link(alice, pa, { patient_pk: pa.pk }));
    });

    it('pays: the charge for the app, and the order moves on', async () => {
      const data = ok(await call(alice, 'post', `/qa/orders/${paid}/pay`, { channel: 'wx' }));
      expect(data).toMatchObject({
        order_number: paid,
        charge: {
          object: 'charge',
          order_no: paid,
          channel: 'wx',
          amount: 1900,
          credential: { wx: expect.any(Object) },
        },
      });
      expect(ok(await call(alice, 'get', '/qa/orders', { status: '1' })).list).toEqual([
        expect.objectContaining({ order_number: paid, status: 1, channel: 'wx' }),
      ]);
      expectError(
        await call(alice, 'post', `/qa/orders/${paid}/pay`, { channel: 'wx' }),
        422,
        ErrorCode.QA_ORDER_STATE_INVALID,
      );
    });

    it('will not finish an unpaid order: 51206', async () => {
      expectError(
        await call(alice, 'post', `/qa/orders/${unpaid}/finish`),
        422,
        ErrorCode.QA_ORDER_STATE_INVALID,
      );
    });

    it('shows the question and answer, lists it among answered orders, finishes and evaluates it', async () => {
      fake.setStatus(paid, 3);
      const qa = ok(await call(alice, 'get', `/qa/orders/${paid}/qa`));
      expect(qa).toMatchObject({
        order_number: paid,
        status: 3,
        question: { condition_description: expect.any(String), create_time: expect.stringMatching(DATETIME) },
        answer: { doctor: { username: 'doctor1' }, diagnosis_result: expect.any(String) },
      });
      const answered = ok(await call(alice, 'get', '/qa/orders/qa'));
      expect(answered.list.map((o: { order_number: string }) => o.order_number)).toEqual([paid]);
      expect(ok(await call(alice, 'post', `/qa/orders/${paid}/finish`))).toMatchObject({ status: 4 });
      const evaluation = ok(
        await call(alice, 'post', `/qa/orders/${paid}/evaluate`, { scores: '5', content: '很专业' }),
      );
      expect(evaluation).toMatchObject({ scores: 5, scores_display: '五星', content: '很专业' });
      const [row] = await t.db.query<{ status: number }[]>(
        'SELECT status FROM feiqingsong_order WHERE order_number = $1',
        [paid],
      );
      expect(row.status).toBe(5);
    });

    it("lists a doctor's evaluations; an unknown doctor is 404", async () => {
      const list = ok(await call(bob, 'get', '/qa/doctors/doctor1/evaluations'));
      expect(list.list).toEqual([
        expect.objectContaining({
          scores: 5,
          content: '很专业',
          doctor: expect.objectContaining({ username: 'doctor1' }),
        }),
      ]);
      expect(list.page).toMatchObject({ count: 1, current_page: 1 });
      expectError(
        await call(bob, 'get', '/qa/doctors/nobody/evaluations'),
        404,
        ErrorCode.QA_DOCTOR_NOT_FOUND,
      );
    });

    it('cancels an unpaid order once', async () => {
      expect(ok(await call(alice, 'post', `/qa/orders/${unpaid}/cancel`))).toMatchObject({ status: 6 });
      expectError(
        await call(alice, 'post', `/qa/orders/${unpaid}/cancel`),
        422,
        ErrorCode.QA_ORDER_STATE_INVALID,
      );
    });

    it('deletes an order', async () => {
      expect(ok(await call(alice, 'delete', `/qa/orders/${unpaid}`))).toEqual({});
      expect(fake.orders.has(unpaid)).toBe(false);
      expectError(await call(alice, 'get', `/qa/orders/${unpaid}`), 404, ErrorCode.QA_ORDER_NOT_FOUND);
    });

    it('shows my inquiry records; without a patient pk at link time it is 51209', async () => {
      const records = ok(await call(alice, 'get', '/qa/inquiry-records'));
      expect(records.page.count).toBe(2);
      expect(records.list[0]).toEqual({
        order_number: expect.stringMatching(/^\d{26}$/),
        create_time: expect.stringMatching(DATETIME),
      });
      expectError(await call(bob, 'get', '/qa/inquiry-records'), 422, ErrorCode.QA_PATIENT_PK_MISSING);
    });

    it('a token the partner revoked asks the patient to link again: 51204', async () => {
      ok(await link(carol, pc));
      fake.revoke(pc.token);
      expectError(await call(carol, 'get', '/qa/orders'), 422, ErrorCode.QA_ACCOUNT_TOKEN_EXPIRED);
    });

    it('the partner down is 502, for reads, writes and linking alike', async () => {
      await fake.down();
      try {
        expectError(await call(alice, 'get', '/qa/orders'), 502, ErrorCode.PARTNER_UNAVAILABLE);
        expectError(
          await call(alice, 'post', '/qa/orders', { doctor: 'doctor1', order_type: 'online' }),
          502,
          ErrorCode.PARTNER_UNAVAILABLE,
        );
        expectError(await link(bob, pb), 502, ErrorCode.PARTNER_UNAVAILABLE);
      } finally {
        await fake.up();
      }
      const res = await call(alice, 'get', '/qa/orders');
      expect(res.status).toBe(200);
    });

    it('a partner answering garbage is 502', async () => {
      fake.failAll('garbage');
      try {
        const res = await call(alice, 'get', `/qa/orders/${paid}`);
        expectError(res, 502, ErrorCode.PARTNER_BAD_RESPONSE);
        expect(res.body.error_message).toContain('肺轻松');
      } finally {
        fake.heal();
      }
    });
  });
});
