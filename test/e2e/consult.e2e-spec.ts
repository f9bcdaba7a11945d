import { Logger } from '@nestjs/common';
import { ErrorCode } from 'src/common/errors/error-codes';
import { IDNOS, makeDoctor, makeHospital, makePatient } from '../support/clinic-factories';
import { Account, expectError, operatorToken, sleep } from '../support/factories';
import { FakeLinkingcloud, LC_DEPTS } from '../support/fakes/linkingcloud.fake';
import { startTestApp, TestApp } from '../support/test-app';

const APP_ID = 'lc-e2e-app-51c0';
const SECRET = 'lc-e2e-secret-9f27d4a1';
const ADMIN_PHONE = '13700005111';
const ADMIN_PASSWORD = 'operator-pass-lc';

const QUESTION = {
  doctor_id: 'LCD1001',
  dept_id: 'D01',
  content: '咳嗽两周，夜间加重，需要做什么检查？',
  images: ['http://files.test/uploads/a.png', 'https://files.test/uploads/b.jpg'],
  consult_name: '图文咨询',
  consult_amount: '9.9',
};

/** Seven days of half-days, Monday first. */
const week = (monday: { morning: number; afternoon: number }) => [
  monday,
  ...Array.from({ length: 6 }, () => ({ morning: 0, afternoon: 0 })),
];

const logged: string[] = [];
beforeAll(() => {
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' '));
    });
  }
});
afterAll(() => jest.restoreAllMocks());

/** Polls `check` until it holds (jobs run on a one-second poll, retries back off). */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 25_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('/consult (联空医问)', () => {
  const fake = new FakeLinkingcloud({ appId: APP_ID, appSecret: SECRET });
  let t: TestApp;
  let patient: Account;
  let other: Account;
  let doctor: Account;
  let operator: string;

  const as = (who: Account) => ({
    get: (path: string) => t.http.get(path).set('X-auth-token', who.token),
    post: (path: string, body: object) => t.http.post(path).set('X-auth-token', who.token).send(body),
    put: (path: string, body: object) => t.http.put(path).set('X-auth-token', who.token).send(body),
  });
  const gatewayCalls = () => fake.requestsTo('/api/gateway').length;
  const ask = (who: Account, over: object = {}) =>
    as(who).post('/consult/questions', { ...QUESTION, ...over });

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({
      LINKINGCLOUD_BASE_URL: fake.baseUrl,
      LINKINGCLOUD_APP_ID: APP_ID,
      LINKINGCLOUD_APP_SECRET: SECRET,
      PARTNER_RETRY_DELAY_MS: '10',
      PARTNER_TIMEOUT_MS: '1000',
      PARTNER_BREAKER_HALF_OPEN_MS: '300',
      ADMIN_PHONE,
      ADMIN_PASSWORD,
    });
    [patient, other, doctor] = await Promise.all([makePatient(t), makePatient(t, '李四'), makeDoctor(t)]);
    operator = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  afterEach(() => {
    fake.heal();
    for (const line of logged) {
      expect(line).not.toContain(SECRET);
      for (const token of fake.issuedTokens) expect(line).not.toContain(token);
    }
  });

  describe('departments and doctors', () => {
    it('lists the departments', async () => {
      const res = await as(patient).get('/consult/departments').expect(200);
      expect(res.body.data).toEqual({ list: LC_DEPTS });
    });

    it("pages a department's doctors, without their ID numbers", async () => {
      const res = await as(patient).get('/consult/departments/D01/doctors?page_size=2').expect(200);
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 2, count: 3, page_size: 2 });
      expect(res.body.data.list.map((d: { doctor_id: string }) => d.doctor_id)).toEqual([
        'LCD1001',
        'LCD1002',
      ]);
      expect(res.body.data.list[0]).not.toHaveProperty('doctor_idcardno');
      expect(res.body.data.list[0]).toMatchObject({ doctor_name: '王医生', dept_name: '呼吸内科' });
      const two = await as(patient).get('/consult/departments/D01/doctors?page_size=2&current_page=2');
      expect(two.body.data.list).toHaveLength(1);
    });

    it('an unknown department is 404 51100; a malformed id or page is 400 before any partner call', async () => {
      expectError(
        await as(patient).get('/consult/departments/D99/doctors'),
        404,
        ErrorCode.CONSULT_DEPT_NOT_FOUND,
      );
      const calls = gatewayCalls();
      expectError(
        await as(patient).get('/consult/departments/a%20b/doctors'),
        400,
        ErrorCode.VALIDATION_FAILED,
      );
      expectError(
        await as(patient).get('/consult/departments/D01/doctors?page_size=0'),
        400,
        ErrorCode.VALIDATION_FAILED,
      );
      expect(gatewayCalls()).toBe(calls);
    });
  });

  describe('questions', () => {
    let asked: { id: number; order_id: string };

    it('stores the question with our order_id and sends it, signed, to the doctor', async () => {
      const res = await ask(patient).expect(200);
      asked = res.body.data;
      expect(res.body.data).toMatchObject({
        order_id: expect.stringMatching(/^LC\d{22}$/) as string,
        doctor_id: 'LCD1001',
        doctor_name: '王医生',
        dept_id: 'D01',
        dept_name: '呼吸内科',
        content: QUESTION.content,
        images: QUESTION.images,
        consult_name: '图文咨询',
        consult_amount: '9.90',
        delivery_status: 'sent',
      });
      expect(fake.questions.get(asked.order_id)).toMatchObject({
        app_id: APP_ID,
        openid: `u${patient.id}`,
        patient_nickname: '张三',
        ask_imagelist: QUESTION.images.join(','),
        consult_amount: '9.90',
        dept_id: 'D01',
      });
      expect(fake.questions.get(asked.order_id)).not.toHaveProperty('patient_tel');
    });

    it.each([
      ['no content', { content: '' }],
      ['a content of 1001 characters', { content: 'x'.repeat(1001) }],
      ['an image that is no URL', { images: ['not a url'] }],
      ['ten images', { images: Array.from({ length: 10 }, (_, i) => `http://files.test/${i}.png`) }],
      ['an amount with three decimals', { consult_amount: '1.234' }],
      ['a negative amount', { consult_amount: -1 }],
      ['a malformed doctor id', { doctor_id: 'LCD 1001' }],
      ['no doctor id', { doctor_id: undefined }],
      ['no consult name', { consult_name: ' ' }],
    ])('%s is 400, before any partner call', async (_, over) => {
      const calls = gatewayCalls();
      expectError(await ask(patient, over), 400, ErrorCode.VALIDATION_FAILED);
      expect(gatewayCalls()).toBe(calls);
    });

    it('an unknown doctor, a doctor of another department or an unknown department is 404', async () => {
      expectError(await ask(patient, { doctor_id: 'LCD9999' }), 404, ErrorCode.CONSULT_DOCTOR_NOT_FOUND);
      expectError(await ask(patient, { dept_id: 'D02' }), 404, ErrorCode.CONSULT_DOCTOR_NOT_FOUND);
      expectError(await ask(patient, { dept_id: 'D99' }), 404, ErrorCode.CONSULT_DEPT_NOT_FOUND);
    });

    it('a question the partner refuses is kept as rejected, not sent again', async () => {
      fake.refuseNext('lc.ask.send.user', '2009', '医生暂停接诊');
      const res = await ask(patient, { doctor_id: 'LCD1002' }).expect(200);
      expect(res.body.data.delivery_status).toBe('rejected');
      expect(fake.questions.has(res.body.data.order_id)).toBe(false);
      const sent = gatewayCalls();
      await sleep(2500);
      expect(gatewayCalls()).toBe(sent);
    });

    it("lists my questions (newest first, paged), never someone else's", async () => {
      await ask(other).expect(200);
      const mine = await as(patient).get('/consult/questions?page_size=1').expect(200);
      expect(mine.body.data.page).toMatchObject({ count: 2, total_page: 2 });
      const all = await as(patient).get('/consult/questions').expect(200);
      expect(all.body.data.list.map((q: { id: number }) => q.id)).toContain(asked.id);
      const theirs = await as(other).get('/consult/questions').expect(200);
      expect(theirs.body.data.list.map((q: { id: number }) => q.id)).not.toContain(asked.id);
      expectError(
        await as(patient).get('/consult/questions?current_page=0'),
        400,
        ErrorCode.VALIDATION_FAILED,
      );
    });

    it("shows one of my questions; someone else's is 404, a malformed id 400", async () => {
      const res = await as(patient).get(`/consult/questions/${asked.id}`).expect(200);
      expect(res.body.data).toMatchObject({
        id: asked.id,
        order_id: asked.order_id,
        delivery_status: 'sent',
      });
      expectError(
        await as(other).get(`/consult/questions/${asked.id}`),
        404,
        ErrorCode.CONSULT_QUESTION_NOT_FOUND,
      );
      expectError(
        await as(patient).get('/consult/questions/99999999'),
        404,
        ErrorCode.CONSULT_QUESTION_NOT_FOUND,
      );
      expectError(await as(patient).get('/consult/questions/abc'), 400, ErrorCode.VALIDATION_FAILED);
    });

    it('shows the evaluation once there is one; undelivered questions have none (409)', async () => {
      const path = `/consult/questions/${asked.id}/evaluation`;
      expect((await as(patient).get(path).expect(200)).body.data).toEqual({ evaluation: null });
      const evaluation = {
        evaluate_content: '很耐心',
        evaluate_score: '5',
        evaluate_time: '2025-01-02 10:00:00',
      };
      fake.evaluations.set(asked.order_id, evaluation);
      expect((await as(patient).get(path).expect(200)).body.data).toEqual({ evaluation });
      expectError(await as(other).get(path), 404, ErrorCode.CONSULT_QUESTION_NOT_FOUND);
      const [rejected] = await t.db.query<{ id: number }[]>(
        `SELECT id FROM consult_question WHERE patient_user_id = $1 AND delivery = 'rejected'`,
        [patient.id],
      );
      expectError(
        await as(patient).get(`/consult/questions/${rejected.id}/evaluation`),
        409,
        ErrorCode.CONSULT_QUESTION_NOT_DELIVERED,
      );
    });

    it('a partner failing is 502 with our code, nothing of the partner or its credentials', async () => {
      fake.failAll('http500');
      const res = await as(patient).get(`/consult/questions/${asked.id}/evaluation`);
      expectError(res, 502, ErrorCode.PARTNER_UNAVAILABLE);
      expect(res.body.error_message).toContain('联空医问');
      const text = JSON.stringify(res.body);
      for (const secret of [SECRET, APP_ID, fake.baseUrl, ...fake.issuedTokens])
        expect(text).not.toContain(secret);
    });

    it('a question asked during an outage is stored, then delivered by the queue with the same order_id, once', async () => {
      await fake.down();
      const res = await ask(patient, { doctor_id: 'LCD1003' }).expect(200);
      const { id, order_id: orderId } = res.body.data as { id: number; order_id: string };
      expect(res.body.data.delivery_status).toBe('pending');
      await sleep(1500);
      await fake.up();
      await until('the queued send', async () => {
        const q = await as(patient).get(`/consult/questions/${id}`);
        return q.body.data.delivery_status === 'sent';
      });
      expect(fake.questions.get(orderId)).toMatchObject({ order_id: orderId, doctor_id: 'LCD1003' });
      const sends = fake
        .requestsTo('/api/gateway')
        .map((r) => JSON.parse(r.body) as { method: string; order_id?: string })
        .filter((b) => b.method === 'lc.ask.send.user' && b.order_id === orderId);
      expect(sends).toHaveLength(1);
      const [row] = await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM consult_question WHERE patient_user_id = $1 AND lc_doctor_id = $2',
        [patient.id, 'LCD1003'],
      );
      expect(row.n).toBe(1);
    });
  });

  describe('roles', () => {
    it.each([
      ['get', '/consult/departments'],
      ['get', '/consult/departments/D01/doctors'],
      ['post', '/consult/questions'],
      ['get', '/consult/questions'],
      ['get', '/consult/questions/1'],
      ['get', '/consult/questions/1/evaluation'],
    ] as const)('%s %s: 403 for a doctor, 401 without a token', async (method, path) => {
      const sent = method === 'post' ? as(doctor).post(path, QUESTION) : as(doctor).get(path);
      expectError(await sent, 403, ErrorCode.ROLE_FORBIDDEN);
      expectError(await t.http[method](path), 401, ErrorCode.TOKEN_MISSING);
    });
  });

  describe('sync to 联空医问', () => {
    const doctorProfile = (hospitalId: number, workTime: ReturnType<typeof week>) => ({
      real_name: '李医生',
      idno: IDNOS[1],
      hospital_id: hospitalId,
      departments: '内科',
      job_position: '主任医师',
      good_at: '常见病',
      work_photo: ['http://files.test/p.png'],
      work_time: workTime,
    });
    const schedulesOf = (lcDoctorId: string) => fake.schedules.filter((s) => s.doctor_id === lcDoctorId);

    it('operators link a doctor (validated, audited); the hours are pushed at once', async () => {
      const link = (who: string, id: number, body: object) =>
        t.http.put(`/admin/consult/doctors/${id}/link`).set('X-auth-token', who).send(body);
      const body = { lc_doctor_id: 'LCD1001', lc_service_id: 'S01' };
      expectError(
        await link(operator, doctor.id, { ...body, lc_doctor_id: '' }),
        400,
        ErrorCode.VALIDATION_FAILED,
      );
      expectError(await link(operator, patient.id, body), 404, ErrorCode.CONSULT_DOCTOR_ACCOUNT_NOT_FOUND);
      expectError(await link(patient.token, doctor.id, body), 403, ErrorCode.ROLE_FORBIDDEN);
      const res = await link(operator, doctor.id, body).expect(200);
      expect(res.body.data).toEqual({ user_id: doctor.id, ...body });
      await until('the first push', () => schedulesOf('LCD1001').length === 1);
      expect(schedulesOf('LCD1001')[0]).toMatchObject({
        service_id: 'S01',
        is_full_day: '0',
        monday_list: [],
      });
      const [audit] = await t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'consult.link_doctor' AND target_id = $1`,
        [String(doctor.id)],
      );
      expect(audit.n).toBe(1);
    });

    it("a change of the doctor's work_time reaches the partner's schedule", async () => {
      const hospitalId = await makeHospital(t);
      await as(doctor)
        .put('/user', doctorProfile(hospitalId, week({ morning: 1, afternoon: 1 })))
        .expect(200);
      await until('the work_time push', () => schedulesOf('LCD1001').length === 2);
      expect(schedulesOf('LCD1001')[1]).toMatchObject({
        method: 'lc.ask.update.scheduling',
        doctor_id: 'LCD1001',
        service_id: 'S01',
        monday_list: [
          { begintime: '08:00', endtime: '12:00' },
          { begintime: '14:00', endtime: '18:00' },
        ],
        tuesday_list: [],
      });
      // Saving the same hours again changes nothing and pushes nothing.
      await as(doctor)
        .put('/user', doctorProfile(hospitalId, week({ morning: 1, afternoon: 1 })))
        .expect(200);
      await sleep(2500);
      expect(schedulesOf('LCD1001')).toHaveLength(2);
    });

    it("a patient's profile change reaches upload.user, signed, with the phone", async () => {
      await as(patient)
        .put('/user', {
          real_name: '张三丰',
          idno: IDNOS[0],
          height: '170',
          weight: '60',
          marital_status: 1,
          drink_status: 0,
          smoking_status: 0,
        })
        .expect(200);
      await until('the upload', () => fake.userUploads.some((u) => u.openid === `u${patient.id}`));
      expect(fake.userUploads.find((u) => u.openid === `u${patient.id}`)).toMatchObject({
        patient_nickname: '张三丰',
        patient_tel: patient.phone,
        sign: expect.any(String) as string,
      });
    });
  });
});

describe('/consult when 联空医问 is not configured or refuses our credentials', () => {
  const fake = new FakeLinkingcloud({ appId: APP_ID, appSecret: SECRET });
  let unconfigured: TestApp;
  let wrongSecret: TestApp;
  let patient: Account;
  let refused: Account;

  beforeAll(async () => {
    await fake.start();
    [unconfigured, wrongSecret] = await Promise.all([
      startTestApp({}),
      startTestApp({
        LINKINGCLOUD_BASE_URL: fake.baseUrl,
        LINKINGCLOUD_APP_ID: APP_ID,
        LINKINGCLOUD_APP_SECRET: 'not-the-secret-4b1e',
      }),
    ]);
    [patient, refused] = await Promise.all([makePatient(unconfigured), makePatient(wrongSecret)]);
  });
  afterAll(async () => {
    await Promise.all([unconfigured.close(), wrongSecret.close()]);
    await fake.stop();
  });

  it('answers 503 50100 (after validation), storing nothing', async () => {
    const http = unconfigured.http;
    const res = await http.get('/consult/departments').set('X-auth-token', patient.token);
    expectError(res, 503, ErrorCode.PARTNER_NOT_CONFIGURED);
    expect(res.body.error_message).toContain('联空医问');
    const post = (body: object) =>
      http.post('/consult/questions').set('X-auth-token', patient.token).send(body);
    expectError(await post({ ...QUESTION, content: '' }), 400, ErrorCode.VALIDATION_FAILED);
    expectError(await post(QUESTION), 503, ErrorCode.PARTNER_NOT_CONFIGURED);
    const [row] = await unconfigured.db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM consult_question',
    );
    expect(row.n).toBe(0);
  });

  it('a refused secret is 502 50103, the secret nowhere in the answer', async () => {
    const res = await wrongSecret.http.get('/consult/departments').set('X-auth-token', refused.token);
    expectError(res, 502, ErrorCode.PARTNER_AUTH_FAILED);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('not-the-secret-4b1e');
    expect(text).not.toContain('invalid_clientSecret');
    expect(fake.tokenFetches).toBe(1);
  });
});
