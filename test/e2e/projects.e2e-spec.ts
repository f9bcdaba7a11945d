import {
  joinProject,
  makeDoctor,
  makeHospital,
  clinicBody,
  makePatient,
  publishProject,
  shanghaiDate,
  shiftProject,
  slotOf,
} from '../support/clinic-factories';
import { Account, expectError, registerAccount } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** Every key of seed 2.2.8 义诊信息, and nothing else. */
const PROJECT_KEYS = [
  'id',
  'date',
  'begin',
  'end',
  'people_count',
  'join_people_count',
  'addr',
  'lng',
  'lat',
  'abstract',
  'price',
  'status',
  'progress_status',
  'service_target',
  'hospital_info',
  'doctor_info',
  'join_user',
  'project_status',
  'op_cancel',
  'is_join',
  'assistant_join_count',
  'plan_time',
].sort();

/** The seed's own plan_time example: 74 people over 15:23–20:53 in 30-minute slots. */
const SEED_PLAN_TIME = {
  '15:23:00 - 15:53:00': 7,
  '15:53:00 - 16:23:00': 7,
  '16:23:00 - 16:53:00': 7,
  '16:53:00 - 17:23:00': 7,
  '17:23:00 - 17:53:00': 7,
  '17:53:00 - 18:23:00': 7,
  '18:23:00 - 18:53:00': 7,
  '18:53:00 - 19:23:00': 7,
  '19:23:00 - 19:53:00': 6,
  '19:53:00 - 20:23:00': 6,
  '20:23:00 - 20:53:00': 6,
};

/** The fields that depend on who asks. */
const CALLER_KEYS = ['op_cancel', 'is_join', 'join_user', 'assistant_join_count'];

type ProjectData = Record<string, unknown> & { id: number; plan_time: Record<string, number> };

describe('free clinics: publishing, detail and cancellation (3.2.3, 3.2.5, 3.2.6)', () => {
  let t: TestApp;
  let doctor: Account;
  let otherDoctor: Account;
  let patient: Account;
  let otherPatient: Account;
  let assistant: Account;
  let hospitalId: number;

  const publish = (body: Record<string, unknown>, token = doctor.token) =>
    t.http.post('/project').set('X-auth-token', token).send(clinicBody(2, body));
  const detail = async (id: number, who: Account = patient) =>
    (await t.http.get(`/project/${id}`).set('X-auth-token', who.token).expect(200)).body.data as ProjectData;
  const cancel = (id: number, who: Account = doctor) =>
    t.http.get(`/project/${id}/cancel`).set('X-auth-token', who.token);
  const projectRows = async () =>
    Number((await t.db.query<{ n: string }[]>('SELECT count(*) AS n FROM project'))[0].n);

  /** Moves a clinic (and its bookings) so that it starts `minutes` from now; negative: started that long ago. */
  const startIn = async (id: number, minutes: number) => {
    const [row] = await t.db.query<{ m: string }[]>(
      'SELECT extract(epoch FROM starts_at - now()) / 60 AS m FROM project WHERE id = $1',
      [id],
    );
    await shiftProject(t, id, Math.round(minutes - Number(row.m)));
  };

  beforeAll(async () => {
    t = await startTestApp();
    hospitalId = await makeHospital(t, '协和医院');
    doctor = await makeDoctor(t, { hospitalId, name: '王医生' });
    otherDoctor = await makeDoctor(t);
    patient = await makePatient(t, '张三');
    otherPatient = await makePatient(t, '李四');
    assistant = await registerAccount(t.http, 3);
  });
  afterAll(() => t.close());

  describe('3.2.3 POST /project', () => {
    it('answers 200 with exactly the 2.2.8 object, slots split as in the seed, price in yuan', async () => {
      const date = shanghaiDate(3);
      const res = await publish({
        date,
        begin: '15:23:00',
        end: '20:53:00',
        people_count: 74,
        price: 50,
        lng: '121.473700',
        lat: '31.230400',
        addr: '上海市黄浦区',
        service_target: ['老年人', '儿童'],
        abstract: '糖尿病筛查',
      }).expect(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.error_message).toBe('');
      const p = res.body.data as ProjectData;
      expect(Object.keys(p).sort()).toEqual(PROJECT_KEYS);
      expect(p.plan_time).toEqual(SEED_PLAN_TIME);
      expect(Object.keys(p.plan_time)).toEqual(Object.keys(SEED_PLAN_TIME));
      expect(p).toMatchObject({
        date,
        begin: '15:23:00',
        end: '20:53:00',
        people_count: 74,
        join_people_count: 0,
        addr: '上海市黄浦区',
        lng: '121.473700',
        lat: '31.230400',
        abstract: '糖尿病筛查',
        price: 50,
        status: 1,
        progress_status: 1,
        service_target: ['老年人', '儿童'],
        join_user: [],
        project_status: 1,
        op_cancel: 1,
        is_join: 0,
        assistant_join_count: 0,
      });
      expect(typeof p.price).toBe('number');
      expect(p.hospital_info).toMatchObject({ id: hospitalId, name: '协和医院' });
      expect(p.doctor_info).toMatchObject({
        id: doctor.id,
        type: 2,
        real_name: '王医生',
        hospital_id: hospitalId,
      });
      expect(p.doctor_info).not.toHaveProperty('token');
      const [row] = await t.db.query<{ price_fen: number; departments: string }[]>(
        'SELECT price_fen, departments FROM project WHERE id = $1',
        [p.id],
      );
      expect(row).toEqual({ price_fen: 5000, departments: '内科' });
      // What was published is what the detail shows.
      expect(await detail(p.id, doctor)).toEqual(p);
    });

    it('keeps cents, takes numbers as text, HH:mm times and a form body with a JSON-string array', async () => {
      const priced = await publish({ price: '12.5', people_count: '8', begin: '09:00', end: '10:45' }).expect(
        200,
      );
      expect(priced.body.data).toMatchObject({
        price: 12.5,
        people_count: 8,
        begin: '09:00:00',
        end: '10:45:00',
      });
      expect(priced.body.data.plan_time).toEqual({
        '09:00:00 - 09:30:00': 2,
        '09:30:00 - 10:00:00': 2,
        '10:00:00 - 10:30:00': 2,
        '10:30:00 - 10:45:00': 2,
      });

      const form = await t.http
        .post('/project')
        .set('X-auth-token', doctor.token)
        .type('form')
        .send({
          date: shanghaiDate(2),
          begin: '09:00:00',
          end: '10:00:00',
          people_count: '5',
          lng: '113.2644',
          lat: '23.1291',
          addr: '广州市越秀区',
          service_target: '["儿童","孕妇"]',
          abstract: '儿童保健',
          price: '0',
        })
        .expect(200);
      expect(form.body.data).toMatchObject({
        service_target: ['儿童', '孕妇'],
        price: 0,
        lng: '113.264400',
        lat: '23.129100',
        plan_time: { '09:00:00 - 09:30:00': 3, '09:30:00 - 10:00:00': 2 },
      });
    });

    it('accepts the bounds: 1 and 1000 people, lng ±180, lat ±90, price 0', async () => {
      for (const body of [
        { people_count: 1, lng: 180, lat: 90 },
        { people_count: 1000, lng: -180, lat: -90, price: 0 },
      ]) {
        const res = await publish(body).expect(200);
        expect(res.body.data.people_count).toBe(body.people_count);
      }
    });

    const year = Number(shanghaiDate(0).slice(0, 4)) + 1;
    it.each([
      ['date', { date: '' }],
      ['date', { date: undefined }],
      ['date', { date: `${year}/03/01` }],
      ['date', { date: `${year}-3-1` }],
      ['date', { date: `${year}-02-30` }],
      ['date', { date: `${year}-13-01` }],
      ['begin', { begin: '25:00:00' }],
      ['begin', { begin: '9am' }],
      ['end', { end: '' }],
      ['end', { end: '11:60:00' }],
      ['people_count', { people_count: 0 }],
      ['people_count', { people_count: 1001 }],
      ['people_count', { people_count: 1.5 }],
      ['people_count', { people_count: 'abc' }],
      ['people_count', { people_count: undefined }],
      ['lng', { lng: 181 }],
      ['lng', { lng: -180.5 }],
      ['lng', { lng: 'east' }],
      ['lng', { lng: undefined }],
      ['lat', { lat: 91 }],
      ['lat', { lat: -91 }],
      ['lat', { lat: '' }],
      ['addr', { addr: '' }],
      ['addr', { addr: 'x'.repeat(201) }],
      ['service_target', { service_target: [] }],
      ['service_target', { service_target: '' }],
      ['service_target', { service_target: '[]' }],
      ['service_target', { service_target: undefined }],
      ['service_target', { service_target: ['  '] }],
      ['service_target', { service_target: [1] }],
      ['abstract', { abstract: '' }],
      ['abstract', { abstract: undefined }],
      ['price', { price: -1 }],
      ['price', { price: 1.234 }],
      ['price', { price: 'free' }],
      ['price', { price: undefined }],
    ])('400 10001 naming %s: %j', async (field, body) => {
      const before = await projectRows();
      const res = expectError(await publish(body), 400, 10001);
      expect(res.error_message).toContain(field);
      expect(res.data).toEqual({ field });
      expect(await projectRows()).toBe(before);
    });

    it.each([
      ['a past date', { date: shanghaiDate(-1) }],
      ['begin equal to end', { begin: '10:00:00', end: '10:00:00' }],
      ['begin after end', { begin: '11:00:00', end: '09:00:00' }],
      ['today, already over', { date: shanghaiDate(0), begin: '00:00:00', end: '00:00:01' }],
    ])('422 30003 for %s', async (_, body) => {
      const before = await projectRows();
      expectError(await publish(body), 422, 30003);
      expect(await projectRows()).toBe(before);
    });

    it('refuses an unverified doctor and one without a hospital (422 30002), writing nothing', async () => {
      const pending = await makeDoctor(t);
      await t.db.query('UPDATE app_user SET is_verify = 0 WHERE id = $1', [pending.id]);
      const homeless = await makeDoctor(t);
      await t.db.query('UPDATE app_user SET hospital_id = NULL WHERE id = $1', [homeless.id]);
      const fresh = await registerAccount(t.http, 2); // never filled a profile
      const before = await projectRows();
      for (const who of [pending, homeless, fresh]) expectError(await publish({}, who.token), 422, 30002);
      expect(await projectRows()).toBe(before);
    });

    it('refuses patients and assistants (403 20005) and anonymous callers (401 20001)', async () => {
      expectError(await publish({}, patient.token), 403, 20005);
      expectError(await publish({}, assistant.token), 403, 20005);
      expectError(await t.http.post('/project').send({}), 401, 20001);
    });
  });

  describe('3.2.5 GET /project/{id}', () => {
    it('404 30001 for an unknown id, 400 10001 for a malformed one', async () => {
      expectError(await t.http.get('/project/2147483647').set('X-auth-token', patient.token), 404, 30001);
      for (const bad of ['abc', '0', '-1', '1.5', '2147483648']) {
        const body = expectError(
          await t.http.get(`/project/${bad}`).set('X-auth-token', patient.token),
          400,
          10001,
        );
        expect(body.error_message).toContain('id');
      }
    });

    it('answers every app role with the same clinic; only the caller-specific fields differ', async () => {
      const p = await publishProject(t, doctor);
      const views = await Promise.all(
        [doctor, otherDoctor, patient, assistant].map((who) => detail(p.id, who)),
      );
      const shared = (v: ProjectData) =>
        Object.fromEntries(Object.entries(v).filter(([k]) => !CALLER_KEYS.includes(k)));
      for (const v of views) {
        expect(Object.keys(v).sort()).toEqual(PROJECT_KEYS);
        expect(shared(v)).toEqual(shared(views[0]));
      }
    });

    it('progress_status: 1 bookable, 2 full, 3 cancelled, 3 ended', async () => {
      const open = await publishProject(t, doctor);
      expect((await detail(open.id)).progress_status).toBe(1);

      const single = await publishProject(t, doctor, { people_count: 1 }); // capacities 1,0,0,0
      expect(single.plan_time[slotOf(single, 0)]).toBe(1);
      await joinProject(t, patient, single);
      const full = await detail(single.id);
      expect(full).toMatchObject({ progress_status: 2, join_people_count: 1, status: 1, project_status: 1 });
      expect(Object.values(full.plan_time)).toEqual([0, 0, 0, 0]);

      const cancelled = await publishProject(t, doctor);
      await cancel(cancelled.id).expect(200);
      expect(await detail(cancelled.id)).toMatchObject({ progress_status: 3, status: 0, project_status: 1 });

      const ended = await publishProject(t, doctor);
      await startIn(ended.id, -200); // a two-hour window that began 200 minutes ago
      expect(await detail(ended.id)).toMatchObject({ progress_status: 3, status: 1, project_status: 3 });
    });

    it('project_status follows the clock: 1 not started, 2 in progress, 3 ended', async () => {
      const p = await publishProject(t, doctor);
      expect((await detail(p.id)).project_status).toBe(1);
      await startIn(p.id, 1);
      expect((await detail(p.id)).project_status).toBe(1);
      await startIn(p.id, -1);
      expect(await detail(p.id)).toMatchObject({ project_status: 2, progress_status: 1 });
      await startIn(p.id, -119);
      expect((await detail(p.id)).project_status).toBe(2);
      await startIn(p.id, -121);
      expect(await detail(p.id)).toMatchObject({ project_status: 3, progress_status: 3 });
    });

    it('op_cancel for the owning doctor: 1 until the clinic starts, 0 once started or cancelled; 0 for other doctors', async () => {
      const p = await publishProject(t, doctor);
      expect((await detail(p.id, doctor)).op_cancel).toBe(1);
      expect((await detail(p.id, otherDoctor)).op_cancel).toBe(0);
      await startIn(p.id, -5);
      expect((await detail(p.id, doctor)).op_cancel).toBe(0);

      const q = await publishProject(t, doctor);
      await cancel(q.id).expect(200);
      expect((await detail(q.id, doctor)).op_cancel).toBe(0);
    });

    it('op_cancel and is_join for a patient: only with an active booking whose slot starts more than 120 minutes ahead', async () => {
      const p = await publishProject(t, doctor); // slots at 09:00, 09:30, 10:00, 10:30
      expect(await detail(p.id, patient)).toMatchObject({ op_cancel: 0, is_join: 0 });
      await joinProject(t, patient, p, 0);
      await joinProject(t, otherPatient, p, 3);
      expect(await detail(p.id, patient)).toMatchObject({ op_cancel: 1, is_join: 1 });
      expect(await detail(p.id, assistant)).toMatchObject({
        op_cancel: 0,
        is_join: 0,
        assistant_join_count: 0,
      });

      await startIn(p.id, 121);
      expect(await detail(p.id, patient)).toMatchObject({ op_cancel: 1, is_join: 1 });
      await startIn(p.id, 119);
      expect(await detail(p.id, patient)).toMatchObject({ op_cancel: 0, is_join: 1 });
      // The deadline counts from the booked slot, not from the clinic's start: 10:30 is 90 minutes later.
      expect(await detail(p.id, otherPatient)).toMatchObject({ op_cancel: 1, is_join: 1 });
      await startIn(p.id, 29);
      expect(await detail(p.id, otherPatient)).toMatchObject({ op_cancel: 0, is_join: 1 });
      // For the doctor only the clinic's start closes cancelling.
      expect((await detail(p.id, doctor)).op_cancel).toBe(1);
    });

    it('is_join and op_cancel drop to 0 when the patient cancels the booking', async () => {
      const p = await publishProject(t, doctor);
      await joinProject(t, patient, p, 1);
      expect(await detail(p.id, patient)).toMatchObject({ is_join: 1, op_cancel: 1, join_people_count: 1 });
      await t.http.get(`/custom/project/${p.id}/cancel`).set('X-auth-token', patient.token).expect(200);
      expect(await detail(p.id, patient)).toMatchObject({ is_join: 0, op_cancel: 0, join_people_count: 0 });
    });

    it('join_user lists the active bookings, masked, to the owning doctor only; everyone else gets []', async () => {
      const p = await publishProject(t, doctor);
      await joinProject(t, patient, p, 0);
      await joinProject(t, otherPatient, p, 1);
      const owner = await detail(p.id, doctor);
      const asDoctor = async (id: number) =>
        (await t.http.get(`/user/${id}`).set('X-auth-token', doctor.token).expect(200)).body.data as Record<
          string,
          unknown
        >;
      expect(owner.join_user).toEqual([await asDoctor(patient.id), await asDoctor(otherPatient.id)]);
      const [first] = owner.join_user as Record<string, unknown>[];
      expect(first).toMatchObject({ id: patient.id, type: 1, real_name: '张三', idno: '1101**********002X' });
      expect(first.phone).toBe(`${patient.phone.slice(0, 3)}****${patient.phone.slice(-4)}`);
      expect(first).not.toHaveProperty('token');
      for (const who of [otherDoctor, patient, otherPatient, assistant]) {
        expect((await detail(p.id, who)).join_user).toEqual([]);
      }

      await t.http.get(`/custom/project/${p.id}/cancel`).set('X-auth-token', otherPatient.token).expect(200);
      expect((await detail(p.id, doctor)).join_user).toEqual([await asDoctor(patient.id)]);
    });

    it('refuses anonymous callers (401 20001)', async () => {
      const p = await publishProject(t, doctor);
      expectError(await t.http.get(`/project/${p.id}`), 401, 20001);
    });
  });

  describe('3.2.6 GET /project/{id}/cancel', () => {
    it('cancels the clinic, every active booking (verify_status 3), frees the seats and tells each patient', async () => {
      const third = await makePatient(t, '王五');
      const p = await publishProject(t, doctor);
      await joinProject(t, patient, p, 0);
      await joinProject(t, otherPatient, p, 2);
      await joinProject(t, third, p, 3);
      // Cancelled earlier by the patient: stays as it is and brings no second message.
      await t.http.get(`/custom/project/${p.id}/cancel`).set('X-auth-token', third.token).expect(200);
      const profile = async (who: Account) =>
        (await t.http.get('/user').set('X-auth-token', who.token).expect(200)).body.data as Record<
          string,
          unknown
        >;
      const joinedBefore = (await profile(patient)).join_project_count as number;

      const res = await cancel(p.id).expect(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });

      const rows = await t.db.query<{ user_id: number; verify_status: number }[]>(
        'SELECT user_id, verify_status FROM diagnosis WHERE project_id = $1 ORDER BY id',
        [p.id],
      );
      expect(rows).toEqual([
        { user_id: patient.id, verify_status: 3 },
        { user_id: otherPatient.id, verify_status: 3 },
        { user_id: third.id, verify_status: 3 },
      ]);
      const after = await detail(p.id, doctor);
      expect(after).toMatchObject({
        status: 0,
        progress_status: 3,
        join_people_count: 0,
        op_cancel: 0,
        join_user: [],
      });
      expect(after.plan_time).toEqual(p.plan_time);
      expect(await detail(p.id, patient)).toMatchObject({ is_join: 0, op_cancel: 0 });
      expect((await profile(patient)).join_project_count).toBe(joinedBefore - 1);

      const inbox = async (who: Account) =>
        (await t.http.get('/message').query({ page_size: 100 }).set('X-auth-token', who.token).expect(200))
          .body.data.list as { type: number; title: string; content: string }[];
      for (const who of [patient, otherPatient]) {
        const notices = (await inbox(who)).filter((m) => m.title === '义诊已取消');
        expect(notices).toHaveLength(1);
        expect(notices[0].type).toBe(1);
        expect(notices[0].content).toContain(p.date as string);
      }
      expect((await inbox(third)).filter((m) => m.title === '义诊已取消')).toEqual([]);
    });

    it('cannot be cancelled twice, nor once started or ended (422 30010)', async () => {
      const p = await publishProject(t, doctor);
      await cancel(p.id).expect(200);
      expectError(await cancel(p.id), 422, 30010);

      const started = await publishProject(t, doctor);
      await startIn(started.id, -1);
      expectError(await cancel(started.id), 422, 30010);
      const ended = await publishProject(t, doctor);
      await startIn(ended.id, -500);
      expectError(await cancel(ended.id), 422, 30010);
      for (const id of [started.id, ended.id]) expect((await detail(id)).status).toBe(1);
    });

    it("is the owner's alone: another doctor 404 30001, patients and assistants 403 20005; nothing changes", async () => {
      const p = await publishProject(t, doctor);
      await joinProject(t, patient, p);
      expectError(await cancel(p.id, otherDoctor), 404, 30001);
      expectError(await cancel(p.id, patient), 403, 20005);
      expectError(await cancel(p.id, assistant), 403, 20005);
      expectError(await t.http.get(`/project/${p.id}/cancel`), 401, 20001);
      expectError(await cancel(2147483647), 404, 30001);
      expectError(await cancel(Number.NaN), 400, 10001);
      expect(await detail(p.id, patient)).toMatchObject({ status: 1, is_join: 1, join_people_count: 1 });
    });

    it('a cancelled clinic takes no new bookings (422 30004)', async () => {
      const p = await publishProject(t, doctor);
      await cancel(p.id).expect(200);
      const res = await t.http
        .post(`/project/${p.id}/join`)
        .set('X-auth-token', patient.token)
        .send({ content: '头痛', plan_time: slotOf(p) });
      expectError(res, 422, 30004);
    });
  });
});
