import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { ErrorCode } from 'src/common/errors/error-codes';
import { IDNOS, makePatient, shanghaiDate } from '../support/clinic-factories';
import { Account, expectError, operatorToken, registerAccount, sleep } from '../support/factories';
import { H91160_SLOT_TAKEN, H91160Fake } from '../support/fakes/h91160.fake';
import { startTestApp, TestApp } from '../support/test-app';

const APP_TOKEN = 'e2e-91160-app-token-7c2b9f41';
const ADMIN_PHONE = '13700009116';
const ADMIN_PASSWORD = 'operator-pass-91160';
const PAGE_SIZE = 5;
const SYNC_JOB = 'h91160.sync-hospitals';

/** Log lines written through Nest's Logger while the suite runs (pino itself is silent in tests). */
const logged: string[] = [];
beforeAll(() => {
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const)
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' '));
    });
});
afterAll(() => jest.restoreAllMocks());

describe('91160 hospital sync and appointments', () => {
  const fake = new H91160Fake(APP_TOKEN);
  let t: TestApp;
  let admin: string;
  let operatorHospital: { id: number; updated_at: Date };

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({
      H91160_BASE_URL: fake.baseUrl,
      H91160_APP_TOKEN: APP_TOKEN,
      H91160_SYNC_PAGE_SIZE: String(PAGE_SIZE),
      PARTNER_TIMEOUT_MS: '400',
      PARTNER_RETRY_DELAY_MS: '5',
      PARTNER_BREAKER_FAILURES: '50',
      ADMIN_PHONE,
      ADMIN_PASSWORD,
    });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    const created = await t.http
      .post('/admin/hospitals')
      .set('X-auth-token', admin)
      .send({ name: '运营创建的医院', province_id: 440000, city_id: 440300 })
      .expect(200);
    [operatorHospital] = await t.db.query(`SELECT id, updated_at FROM hospital WHERE id = $1`, [
      created.body.data.id,
    ]);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  afterEach(() => {
    for (const line of logged) expect(line).not.toContain(APP_TOKEN);
  });

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.query<{ n: string }[]>(sql, params))[0].n);
  const syncedHospitals = () => count(`SELECT count(*) AS n FROM hospital WHERE h91160_unit_id IS NOT NULL`);
  const departments = () => count(`SELECT count(*) AS n FROM hospital_department`);
  const syncState = async (): Promise<Record<string, unknown>> =>
    (await t.http.get('/admin/partners/91160/sync').set('X-auth-token', admin).expect(200)).body
      .data as Record<string, unknown>;

  /** Starts a run as an operator and waits until the queue has no sync job left to run. */
  async function runSync(): Promise<Record<string, unknown>> {
    fake.requests.length = 0;
    const res = await t.http.post('/admin/partners/91160/sync').set('X-auth-token', admin);
    expect(res.status).toBe(200);
    for (let i = 0; i < 150; i += 1) {
      const pending = await count(
        `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state NOT IN ('completed', 'failed', 'cancelled')`,
        [SYNC_JOB],
      );
      if (pending === 0) return syncState();
      await sleep(100);
    }
    throw new Error('the sync job did not finish');
  }

  describe('sync', () => {
    it('stops on a failing page 3, keeping pages 1 and 2 and its place', async () => {
      fake.failPage(3);
      const state = await runSync();
      expect(state).toMatchObject({
        status: 'failed',
        next_page: 3,
        pages_done: 2,
        page_size: PAGE_SIZE,
        hospitals_created: 10,
        last_error: expect.stringContaining('HTTP 500'),
      });
      // Reads are retried (twice) before the run gives up on the page.
      expect(fake.unitPagesRequested()).toEqual([1, 2, 3, 3, 3]);
      expect(await syncedHospitals()).toBe(10);
      expect(await departments()).toBe(7 + 9 * 2);
    });

    it('the next run resumes at page 3: no page read twice, no duplicates', async () => {
      fake.healPages();
      const state = await runSync();
      // The run's counts span both attempts; its last error stays on record until a fresh run starts.
      expect(state).toMatchObject({
        status: 'done',
        resumes: 1,
        hospitals_created: 25,
        last_error: expect.stringContaining('HTTP 500'),
      });
      expect(fake.unitPagesRequested()).toEqual([3, 4, 5]);
      const depUnits = fake.requestsTo('/basicInfo/depList').map((r) => Number(r.query.get('unitId')));
      expect(Math.min(...depUnits)).toBe(1011);
      expect(await syncedHospitals()).toBe(25);
      expect(await count(`SELECT count(DISTINCT h91160_unit_id) AS n FROM hospital`)).toBe(25);
      expect(await departments()).toBe(fake.departmentCount);
    });

    it('a second run creates nothing, updates a renamed hospital, leaves operators’ hospitals alone', async () => {
      fake.renameUnit(1003, '深圳测试医院3（新院区）');
      const state = await runSync();
      expect(state).toMatchObject({
        status: 'done',
        resumes: 0,
        hospitals_created: 0,
        hospitals_updated: 1,
        departments_created: 0,
        departments_updated: 0,
      });
      expect(fake.unitPagesRequested()).toEqual([1, 2, 3, 4, 5]);
      expect(await syncedHospitals()).toBe(25);
      const [renamed] = await t.db.query(`SELECT name FROM hospital WHERE h91160_unit_id = 1003`);
      expect(renamed.name).toBe('深圳测试医院3（新院区）');
      const [untouched] = await t.db.query(
        `SELECT name, updated_at, h91160_unit_id FROM hospital WHERE id = $1`,
        [operatorHospital.id],
      );
      expect(untouched).toEqual({
        name: '运营创建的医院',
        updated_at: operatorHospital.updated_at,
        h91160_unit_id: null,
      });
    });

    it('maps known region codes and leaves unknown ones empty', async () => {
      const rows = await t.db.query(
        `SELECT h91160_unit_id AS unit, province_id, city_id, county_id, province_name FROM hospital
          WHERE h91160_unit_id IN (1001, 1005) ORDER BY 1`,
      );
      expect(rows).toEqual([
        { unit: 1001, province_id: 440000, city_id: 440300, county_id: 440304, province_name: '广东省' },
        { unit: 1005, province_id: null, city_id: null, county_id: null, province_name: '' },
      ]);
    });

    it('a run killed mid-page resumes at its page and unit', async () => {
      // What a process killed while fetching unit 1018's departments leaves behind (its lock died with it).
      await t.db.query(
        `UPDATE h91160_sync_state SET status = 'running', next_page = 4, unit_cursor = 1018, dep_page = 1`,
      );
      const state = await runSync();
      expect(state).toMatchObject({ status: 'done', resumes: 1 });
      expect(fake.unitPagesRequested()).toEqual([4, 5]);
      const depUnits = fake.requestsTo('/basicInfo/depList').map((r) => Number(r.query.get('unitId')));
      expect(Math.min(...depUnits)).toBe(1018);
      expect(await syncedHospitals()).toBe(25);
      expect(await departments()).toBe(fake.departmentCount);
    });

    it('never runs while another run holds the lock', async () => {
      const other = new Client({ connectionString: t.databaseUrl });
      await other.connect();
      try {
        await other.query('SELECT pg_advisory_lock(91160, 1)');
        const before = await syncState();
        const state = await runSync();
        expect(fake.requests).toHaveLength(0);
        expect(state).toEqual(before);
      } finally {
        await other.end();
      }
    });

    it('is for operators only', async () => {
      const patient = await registerAccount(t.http, 1);
      expectError(
        await t.http.get('/admin/partners/91160/sync').set('X-auth-token', patient.token),
        403,
        ErrorCode.ROLE_FORBIDDEN,
      );
      expectError(
        await t.http.post('/admin/partners/91160/sync').set('X-auth-token', patient.token),
        403,
        ErrorCode.ROLE_FORBIDDEN,
      );
    });
  });

  describe('appointments', () => {
    let patient: Account;
    let other: Account;
    let hospitalId: number;
    let departmentId: number;
    const doctorId = 1001011;
    const day = shanghaiDate(2);
    const scheduleId = `S-${doctorId}-${day}-am`;

    beforeAll(async () => {
      patient = await makePatient(t, '张三');
      other = await makePatient(t, '李四');
      [{ id: hospitalId }] = await t.db.query(`SELECT id FROM hospital WHERE h91160_unit_id = 1001`);
      [{ id: departmentId }] = await t.db.query(
        `SELECT id FROM hospital_department WHERE hospital_id = $1 AND partner_dep_id = 100101`,
        [hospitalId],
      );
    });
    afterEach(() => {
      for (const line of logged) {
        expect(line).not.toContain(patient.phone);
        expect(line).not.toContain(IDNOS[0]);
      }
    });

    const as = (who: Account) => ({
      get: (path: string) => t.http.get(path).set('X-auth-token', who.token),
      post: (path: string, body: object = {}) => t.http.post(path).set('X-auth-token', who.token).send(body),
    });
    const booking = (detl: number, over: object = {}) => ({
      department_id: departmentId,
      doctor_id: doctorId,
      schedule_id: scheduleId,
      detl_id: `${scheduleId}-${detl}`,
      ...over,
    });
    const resources = async () =>
      (await as(patient).get(`/appointment/departments/${departmentId}/schedules/${scheduleId}/resources`))
        .body.data.list as { detl_id: string }[];
    const orderRequests = () => fake.requestsTo('/appointment/order').length;
    const stateOf = async (id: number) =>
      ((await t.db.query(`SELECT state FROM h91160_appointment WHERE id = $1`, [id]))[0] as { state: string })
        .state;
    const lastAttempt = async () =>
      (await t.db.query(`SELECT id, state FROM h91160_appointment ORDER BY id DESC LIMIT 1`))[0] as {
        id: number;
        state: string;
      };

    it('lists synced hospitals and their departments; other hospitals have none', async () => {
      const hospitals = await as(patient).get('/appointment/hospitals?page_size=100').expect(200);
      expect(hospitals.body.data.page.count).toBe(25);
      expect(hospitals.body.data.list.map((h: { id: number }) => h.id)).not.toContain(operatorHospital.id);
      const deps = await as(patient).get(`/appointment/hospitals/${hospitalId}/departments`).expect(200);
      expect(deps.body.data.page.count).toBe(7);
      expect(deps.body.data.list[0]).toMatchObject({
        id: departmentId,
        hospital_id: hospitalId,
        name: '科室1',
      });
      expectError(
        await as(patient).get(`/appointment/hospitals/${operatorHospital.id}/departments`),
        422,
        ErrorCode.H91160_HOSPITAL_NOT_SYNCED,
      );
      expectError(
        await as(patient).get('/appointment/hospitals/99999999/departments'),
        404,
        ErrorCode.HOSPITAL_NOT_FOUND,
      );
    });

    it("shows a department's doctors, a doctor's schedules and a schedule's free resources", async () => {
      const doctors = await as(patient).get(`/appointment/departments/${departmentId}/doctors`).expect(200);
      expect(doctors.body.data.list).toHaveLength(2);
      expect(doctors.body.data.list[0]).toMatchObject({ doctor_id: doctorId, name: `医生${doctorId}` });
      const schedules = await as(patient)
        .get(`/appointment/departments/${departmentId}/doctors/${doctorId}/schedules`)
        .query({ begin_date: day, end_date: shanghaiDate(3) })
        .expect(200);
      expect(schedules.body.data.list).toHaveLength(4);
      expect(schedules.body.data.list[0]).toMatchObject({
        schedule_id: scheduleId,
        date: day,
        fee: '25.50',
        remaining: 3,
      });
      expect((await resources()).map((r) => r.detl_id)).toEqual([1, 2, 3].map((n) => `${scheduleId}-${n}`));
      expectError(
        await as(patient).get('/appointment/departments/99999999/doctors'),
        404,
        ErrorCode.H91160_DEPARTMENT_NOT_FOUND,
      );
    });

    it('validates the schedule window before asking 91160', async () => {
      const sent = fake.requestsTo('/appointment/scheduleList').length;
      const path = `/appointment/departments/${departmentId}/doctors/${doctorId}/schedules`;
      for (const query of [
        { begin_date: shanghaiDate(3), end_date: shanghaiDate(2) },
        { begin_date: shanghaiDate(1), end_date: shanghaiDate(15) },
        { begin_date: shanghaiDate(-1), end_date: shanghaiDate(1) },
        { begin_date: '2030-02-30', end_date: '2030-03-01' },
        { begin_date: shanghaiDate(1) },
      ])
        expectError(await as(patient).get(path).query(query), 400, ErrorCode.VALIDATION_FAILED);
      expectError(
        await as(patient).get(`/appointment/departments/${departmentId}/doctors/abc/schedules`),
        400,
        ErrorCode.VALIDATION_FAILED,
      );
      expect(fake.requestsTo('/appointment/scheduleList')).toHaveLength(sent);
    });

    it('is for patients only', async () => {
      const doctor = await registerAccount(t.http, 2);
      expectError(await as(doctor).get('/appointment'), 403, ErrorCode.ROLE_FORBIDDEN);
      expectError(await as(doctor).post('/appointment', booking(1)), 403, ErrorCode.ROLE_FORBIDDEN);
      expectError(await t.http.get('/appointment/hospitals'), 401, ErrorCode.TOKEN_MISSING);
    });

    it('refuses malformed bookings and incomplete profiles without ordering', async () => {
      const before = orderRequests();
      const noResource: Record<string, unknown> = booking(1);
      delete noResource.detl_id;
      expectError(await as(patient).post('/appointment', noResource), 400, ErrorCode.VALIDATION_FAILED);
      expectError(
        await as(patient).post('/appointment', booking(1, { department_id: 'x' })),
        400,
        ErrorCode.VALIDATION_FAILED,
      );
      const bare = await registerAccount(t.http, 1);
      expectError(await as(bare).post('/appointment', booking(1)), 422, ErrorCode.H91160_PROFILE_INCOMPLETE);
      expect(orderRequests()).toBe(before);
    });

    let booked: number;

    it('books with the identity of the patient’s own profile', async () => {
      const res = await as(patient).post('/appointment', booking(1)).expect(200);
      expect(res.body.data).toMatchObject({
        state: 'booked',
        hospital_id: hospitalId,
        department_id: departmentId,
        department_name: '科室1',
        detl_id: `${scheduleId}-1`,
        begin_time: `${day} 08:00:00`,
        fee: '25.50',
        order_id: expect.stringMatching(/^\d+$/),
        his_take_no: expect.stringMatching(/^\d+$/),
      });
      booked = res.body.data.id;
      const order = fake.orders[fake.orders.length - 1].body;
      expect(order).toMatchObject({
        appToken: APP_TOKEN,
        unitId: 1001,
        depId: 100101,
        doctorId,
        detlId: `${scheduleId}-1`,
        trueName: '张三',
        mobile: patient.phone,
        cardNo: IDNOS[0],
        cardType: 1,
        sex: 1, // 91160: 1 female; the ID number is a woman's
        birthday: '1949-12-31',
      });
      expect((await resources()).map((r) => r.detl_id)).not.toContain(`${scheduleId}-1`);
      const mine = await as(patient).get('/appointment').expect(200);
      expect(mine.body.data.list.map((a: { id: number }) => a.id)).toEqual([booked]);
      expect((await as(other).get('/appointment').expect(200)).body.data.list).toEqual([]);
    });

    it('refuses a resource that is gone without ordering it', async () => {
      const before = orderRequests();
      expectError(await as(other).post('/appointment', booking(1)), 422, ErrorCode.H91160_SLOT_UNAVAILABLE);
      expect(orderRequests()).toBe(before);
    });

    it("answers 404 for another patient's appointment", async () => {
      expectError(
        await as(other).post(`/appointment/${booked}/cancel`),
        404,
        ErrorCode.H91160_APPOINTMENT_NOT_FOUND,
      );
      expect(await stateOf(booked)).toBe('booked');
    });

    it('cancels at 91160 and here, once', async () => {
      const res = await as(patient).post(`/appointment/${booked}/cancel`, { reason: '行程有变' }).expect(200);
      expect(res.body.data).toMatchObject({ id: booked, state: 'cancelled', cancel_reason: '行程有变' });
      expect(fake.cancels[fake.cancels.length - 1]).toEqual({
        orderId: Number(res.body.data.order_id),
        cancelReason: '行程有变',
      });
      expect((await resources()).map((r) => r.detl_id)).toContain(`${scheduleId}-1`);
      expectError(
        await as(patient).post(`/appointment/${booked}/cancel`),
        422,
        ErrorCode.H91160_NOT_CANCELLABLE,
      );
      expect(fake.cancels).toHaveLength(1);
    });

    it("records 91160's refusal as failed and answers 422", async () => {
      fake.refuseNext('/appointment/order', H91160_SLOT_TAKEN, '号源已约满');
      expectError(await as(patient).post('/appointment', booking(2)), 422, ErrorCode.H91160_SLOT_UNAVAILABLE);
      expect(await lastAttempt()).toMatchObject({ state: 'failed' });
    });

    it('an order without an answer is unknown, sent exactly once, and not cancellable', async () => {
      const before = orderRequests();
      fake.hangNext('/appointment/order');
      expectError(
        await as(patient).post('/appointment', booking(3)),
        502,
        ErrorCode.H91160_ORDER_RESULT_UNKNOWN,
      );
      const attempt = await lastAttempt();
      expect(attempt.state).toBe('unknown');
      await sleep(600); // longer than any retry backoff
      expect(orderRequests()).toBe(before + 1);
      const mine = await as(patient).get('/appointment').expect(200);
      expect(mine.body.data.list[0]).toMatchObject({ id: attempt.id, state: 'unknown', order_id: '' });
      expectError(
        await as(patient).post(`/appointment/${attempt.id}/cancel`),
        422,
        ErrorCode.H91160_NOT_CANCELLABLE,
      );
      // The same resource cannot be ordered again while its first order is unresolved.
      expectError(await as(patient).post('/appointment', booking(3)), 409, ErrorCode.H91160_ALREADY_BOOKED);
      expect(orderRequests()).toBe(before + 1);
    });

    it('a cancel without an answer leaves the appointment booked', async () => {
      const res = await as(other).post('/appointment', booking(2)).expect(200);
      fake.hangNext('/appointment/cancel');
      expectError(
        await as(other).post(`/appointment/${res.body.data.id}/cancel`),
        502,
        ErrorCode.H91160_CANCEL_RESULT_UNKNOWN,
      );
      expect(await stateOf(res.body.data.id)).toBe('booked');
      expect(fake.requestsTo('/appointment/cancel')).toHaveLength(2);
    });
  });
});

describe('91160 not configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ H91160_APP_TOKEN: APP_TOKEN, ADMIN_PHONE, ADMIN_PASSWORD });
  });
  afterAll(() => t.close());

  it('answers 503 to a sync start and shows the sync idle; local lists still answer', async () => {
    const admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    expectError(
      await t.http.post('/admin/partners/91160/sync').set('X-auth-token', admin),
      503,
      ErrorCode.PARTNER_NOT_CONFIGURED,
    );
    const state = await t.http.get('/admin/partners/91160/sync').set('X-auth-token', admin).expect(200);
    expect(state.body.data).toMatchObject({ status: 'idle', started_at: '', hospitals_created: 0 });
    const patient = await registerAccount(t.http, 1);
    const hospitals = await t.http
      .get('/appointment/hospitals')
      .set('X-auth-token', patient.token)
      .expect(200);
    expect(hospitals.body.data.list).toEqual([]);
  });
});
