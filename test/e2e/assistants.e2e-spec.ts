import { phoneHash } from 'src/common/crypto/personal-data';
import {
  bulkPatients,
  IDNOS,
  joinProject,
  makeDoctor,
  makePatient,
  publishProject,
  shiftProject,
  slotOf,
} from '../support/clinic-factories';
import {
  Account,
  expectError,
  nextPhone,
  operatorToken,
  registerAccount,
  sendCode,
} from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TEST_SMS_CODE, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const PHOTO = 'http://files.test/uploads/2024/a.jpg';
const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;

type Project = { id: number; plan_time: Record<string, number> };
type Obj = Record<string, unknown> & { id: number };
interface ListData {
  list: Obj[];
  page: { current_page: number; total_page: number; count: number; page_size: number };
}
const ids = (items: { id: number }[]) => items.map((i) => i.id);

/** Every route of the assistant app this module serves (method, path with a placeholder id). */
const ASSISTANT_ROUTES: [string, string][] = [
  ['post', '/assistant/bind/patient'],
  ['post', '/assistant/create/patient'],
  ['get', '/assistant/patient'],
  ['post', '/assistant/join/project/1'],
  ['get', '/assistant/project'],
  ['get', '/assistant/project/1/paitient'],
  ['get', '/assistant/project/1/patient'],
  ['get', '/assistant/diagnoses/1/cancel'],
  ['get', '/assistant/homepage'],
];

describe('assistants (3.4.3–3.4.12, 3.3.16, 3.2.1)', () => {
  let t: TestApp;
  let admin: string;
  let doctor: Account;
  let assistant: Account;
  /** Another assistant, with patients of their own. */
  let rival: Account;

  const get = (path: string, who: Account | string) =>
    t.http.get(path).set('X-auth-token', typeof who === 'string' ? who : who.token);
  const post = (path: string, who: Account, body: object) =>
    t.http.post(path).set('X-auth-token', who.token).send(body);
  const list = async (path: string, who: Account) => (await get(path, who).expect(200)).body.data as ListData;

  /** Binds `patient` to `who` the way the app does: a code sent to the patient's phone, then the bind call. */
  const bind = async (who: Account, patient: Account) => {
    await sendCode(t.http, patient.phone);
    await post('/assistant/bind/patient', who, { phone: patient.phone, verify_code: TEST_SMS_CODE }).expect(
      200,
    );
  };
  /**
   * A patient bound to `who`, the row written directly: binding through the API (tested on its own) waits out the
   * per-phone SMS gap after registration, a second per patient.
   */
  const boundPatient = async (who: Account, name?: string) => {
    const patient = await makePatient(t, name);
    await t.db.query('INSERT INTO assistant_patient (assistant_id, patient_id) VALUES ($1, $2)', [
      who.id,
      patient.id,
    ]);
    return patient;
  };
  const join = (who: Account, project: Project, patient: { id: number }, over: object = {}) =>
    post(`/assistant/join/project/${project.id}`, who, {
      user_id: patient.id,
      plan_time: slotOf(project),
      ...over,
    });
  const bookingOf = async (projectId: number, patientId: number) => {
    const [row] = await t.db.query<{ id: number; verify_status: number; assistant_user_id: number | null }[]>(
      `SELECT id, verify_status, assistant_user_id FROM diagnosis WHERE project_id = $1 AND user_id = $2
       ORDER BY id DESC LIMIT 1`,
      [projectId, patientId],
    );
    return row;
  };
  const bindings = async (assistantId: number) =>
    (
      await t.db.query<{ patient_id: number }[]>(
        'SELECT patient_id FROM assistant_patient WHERE assistant_id = $1 ORDER BY patient_id',
        [assistantId],
      )
    ).map((r) => r.patient_id);
  const helpCount = async (who: Account) =>
    (await get('/user', who).expect(200)).body.data.help_count as number;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD, JOBS_WORKERS: 'false' });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    doctor = await makeDoctor(t);
    assistant = await registerAccount(t.http, 3);
    rival = await registerAccount(t.http, 3);
  });
  afterAll(() => t.close());

  describe('roles', () => {
    it('every assistant route: 401 without a token, 403 20005 for patients, doctors and operators', async () => {
      const patient = await makePatient(t);
      for (const [method, path] of ASSISTANT_ROUTES) {
        expectError(await t.http[method as 'get' | 'post'](path), 401, 20001);
        for (const token of [patient.token, doctor.token, admin]) {
          const res = await t.http[method as 'get' | 'post'](path).set('X-auth-token', token).send({});
          expect({ path, status: res.status, code: res.body.error_code }).toEqual({
            path,
            status: 403,
            code: 20005,
          });
        }
      }
    });

    it('/custom/assistant is for patients, /doctor/assistant for doctors', async () => {
      const patient = await makePatient(t);
      for (const who of [assistant, doctor]) expectError(await get('/custom/assistant', who), 403, 20005);
      for (const who of [assistant, patient]) expectError(await get('/doctor/assistant', who), 403, 20005);
      expectError(await get('/custom/assistant', admin), 403, 20005);
      expectError(await t.http.get('/custom/assistant'), 401, 20001);
      expectError(await t.http.get('/doctor/assistant'), 401, 20001);
    });
  });

  describe('POST /assistant/bind/patient (3.4.3)', () => {
    it('binds an existing patient with the code sent to their phone; binding again is not an error', async () => {
      const patient = await makePatient(t, '赵六');
      await sendCode(t.http, patient.phone);
      const res = await post('/assistant/bind/patient', assistant, {
        phone: patient.phone,
        verify_code: TEST_SMS_CODE,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });
      expect(await bindings(assistant.id)).toContain(patient.id);
      await bind(assistant, patient);
      const rows = await t.db.query('SELECT 1 FROM assistant_patient WHERE patient_id = $1', [patient.id]);
      expect(rows).toHaveLength(1);
    });

    it('a wrong, missing or used code is a 422 20011 and binds nothing', async () => {
      const patient = await makePatient(t);
      const body = { phone: patient.phone, verify_code: TEST_SMS_CODE };
      expectError(await post('/assistant/bind/patient', rival, body), 422, 20011); // no code sent yet
      await sendCode(t.http, patient.phone);
      expectError(
        await post('/assistant/bind/patient', rival, { ...body, verify_code: '000000' }),
        422,
        20011,
      );
      expect(await bindings(rival.id)).not.toContain(patient.id);
      await post('/assistant/bind/patient', rival, body).expect(200);
      // Single use: a second assistant cannot bind with the same code.
      const third = await registerAccount(t.http, 3);
      expectError(await post('/assistant/bind/patient', third, body), 422, 20011);
      expect(await bindings(third.id)).toEqual([]);
    });

    it('a phone without a patient account (a doctor’s, or nobody’s) is a 404 20007; the code stays usable', async () => {
      for (const phone of [doctor.phone, nextPhone()]) {
        await sendCode(t.http, phone);
        expectError(
          await post('/assistant/bind/patient', assistant, { phone, verify_code: TEST_SMS_CODE }),
          404,
          20007,
        );
      }
      // The refusal rolled back the code's use: the doctor can still log in with it.
      await t.http
        .post('/login/phone')
        .send({ phone: doctor.phone, verify_code: TEST_SMS_CODE, type: 2 })
        .expect(200);
    });

    it.each([
      ['phone missing', { verify_code: '123456' }, 'phone'],
      ['phone malformed', { phone: '12345', verify_code: '123456' }, 'phone'],
      ['verify_code missing', { phone: '13812345678' }, 'verify_code'],
      ['verify_code not 6 digits', { phone: '13812345678', verify_code: '12ab' }, 'verify_code'],
    ])('rejects %s (400 naming the field)', async (_, body, field) => {
      const res = await post('/assistant/bind/patient', assistant, body);
      expectError(res, 400, 10001);
      expect(res.body.data.field).toBe(field);
    });
  });

  describe('POST /assistant/create/patient (3.4.4)', () => {
    const newPatient = (over: object = {}) => ({
      phone: nextPhone(),
      pwd: 'patient-pass',
      real_name: '钱七',
      idno: IDNOS[1], // IDNOS[2]'s check digit is wrong (fine where it is written by SQL, not here)
      height: '170',
      weight: 65,
      marital_status: 1,
      drink_status: 0,
      smoking_status: 1,
      email: 'qian@example.com',
      province_id: 110000,
      city_id: 110100,
      county_id: 110105,
      addr: '国贸三期',
      ...over,
    });
    const patientsWithPhone = async (phone: string) =>
      t.db.query<{ id: number }[]>('SELECT id FROM app_user WHERE phone_hash = $1 AND type = 1', [
        phoneHash(phone),
      ]);

    it('creates a complete, active patient account bound to the assistant, who sees it in full', async () => {
      const body = newPatient();
      const res = await post('/assistant/create/patient', assistant, body);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });
      const [{ id }] = await patientsWithPhone(body.phone);
      expect(await bindings(assistant.id)).toContain(id);
      const profile = (await get(`/user/${id}`, assistant).expect(200)).body.data as Obj;
      expect(profile).toMatchObject({
        type: 1,
        phone: body.phone,
        idno: IDNOS[1],
        real_name: '钱七',
        sex: 1,
        birthday: '1990-03-07',
        height: '170',
        weight: '65',
        marital_status: 1,
        drink_status: 0,
        smoking_status: 1,
        email: 'qian@example.com',
        province_id: 110000,
        city_id: 110100,
        county_id: 110105,
        county_name: '朝阳区',
        addr: '国贸三期',
        is_verify: 1,
      });
      expect(profile.province_name).not.toBe('');
      expect(profile).not.toHaveProperty('token');
      // The patient can sign in with the password the assistant set.
      await t.http.post('/login').send({ phone: body.phone, pwd: 'patient-pass', type: 1 }).expect(200);
    });

    it('a phone that already has a patient account is a 409 20050 hinting to bind; nothing changes', async () => {
      const existing = await makePatient(t);
      const res = await post('/assistant/create/patient', assistant, newPatient({ phone: existing.phone }));
      expectError(res, 409, 20050);
      expect(res.body.error_message).toContain('添加病人');
      expect(await patientsWithPhone(existing.phone)).toHaveLength(1);
      expect(await bindings(assistant.id)).not.toContain(existing.id);
    });

    it('the same phone may hold a patient account beside a doctor account', async () => {
      const { phone } = await registerAccount(t.http, 2);
      await post('/assistant/create/patient', rival, newPatient({ phone })).expect(200);
      expect(await patientsWithPhone(phone)).toHaveLength(1);
    });

    it.each([
      ['phone missing', { phone: undefined }, 'phone'],
      ['pwd too short', { pwd: '12345' }, 'pwd'],
      ['pwd too long', { pwd: 'x'.repeat(33) }, 'pwd'],
      ['real_name missing', { real_name: '' }, 'real_name'],
      ['an ID number with a wrong check digit', { idno: '110101199003074515' }, 'idno'],
      ['height missing', { height: undefined }, 'height'],
      ['marital_status out of range', { marital_status: 5 }, 'marital_status'],
      ['smoking_status missing', { smoking_status: undefined }, 'smoking_status'],
    ])('rejects %s (400 naming the field) and creates nothing', async (_, over, field) => {
      const body = newPatient(over);
      const res = await post('/assistant/create/patient', assistant, body);
      expectError(res, 400, 10001);
      expect(res.body.data.field).toBe(field);
      if (body.phone) expect(await patientsWithPhone(body.phone)).toEqual([]);
    });

    it('regions that do not match are a 422 10021 and create nothing', async () => {
      const body = newPatient({ province_id: 310000, city_id: 110100 });
      expectError(await post('/assistant/create/patient', assistant, body), 422, 10021);
      expect(await patientsWithPhone(body.phone)).toEqual([]);
    });
  });

  describe('GET /assistant/patient (3.4.5) and GET /user/{id} (3.4.6)', () => {
    let helper: Account;
    let mine: Account[];
    beforeAll(async () => {
      helper = await registerAccount(t.http, 3);
      mine = [await boundPatient(helper, '孙悟空'), await boundPatient(helper, '猪八戒')];
      await boundPatient(rival, '沙和尚');
    });

    it('lists only the assistant’s own patients, latest bound first, phone and ID number in full', async () => {
      const data = await list('/assistant/patient', helper);
      expect(ids(data.list)).toEqual([mine[1].id, mine[0].id]);
      expect(data.page).toEqual({ current_page: 1, total_page: 1, count: 2, page_size: 10 });
      expect(data.list[0]).toMatchObject({ phone: mine[1].phone, idno: IDNOS[0], real_name: '猪八戒' });
      expect(data.list[0]).not.toHaveProperty('token');
    });

    it('keyword matches the name or the phone number', async () => {
      const search = (keyword: string) =>
        list(`/assistant/patient?keyword=${encodeURIComponent(keyword)}`, helper);
      expect(ids((await search('悟空')).list)).toEqual([mine[0].id]);
      const tail = mine[1].phone.slice(-5);
      expect(ids((await search(tail)).list)).toEqual([mine[1].id]);
      expect((await search('沙和尚')).list).toEqual([]); // the rival's patient
      expect((await search('%')).list).toEqual([]); // "%" is literal, not a wildcard
    });

    it('paging edges: one per page, a page past the end is empty, bad values are a 400', async () => {
      const second = await list('/assistant/patient?page_size=1&current_page=2', helper);
      expect(ids(second.list)).toEqual([mine[0].id]);
      expect(second.page).toEqual({ current_page: 2, total_page: 2, count: 2, page_size: 1 });
      const past = await list('/assistant/patient?page_size=1&current_page=3', helper);
      expect(past.list).toEqual([]);
      expect(past.page.count).toBe(2);
      for (const q of ['page_size=0', 'page_size=101', 'current_page=0', 'current_page=x']) {
        expectError(await get(`/assistant/patient?${q}`, helper), 400, 10001);
      }
    });

    it('GET /user/{id}: full for the bound assistant, masked for another assistant and other patients', async () => {
      const [p] = mine;
      const full = (await get(`/user/${p.id}`, helper).expect(200)).body.data as Obj;
      expect(full).toMatchObject({ phone: p.phone, idno: IDNOS[0] });
      for (const viewer of [rival, await makePatient(t), doctor]) {
        const masked = (await get(`/user/${p.id}`, viewer).expect(200)).body.data as Obj;
        expect(masked.phone).toMatch(MASKED_PHONE);
        expect(masked.idno).toBe(`${IDNOS[0].slice(0, 4)}**********${IDNOS[0].slice(-4)}`);
      }
      // Binding is to patients only: another assistant's profile stays masked.
      const other = (await get(`/user/${rival.id}`, helper).expect(200)).body.data as Obj;
      expect(other.phone).toMatch(MASKED_PHONE);
    });

    it('GET /custom/assistant: the patient’s assistants, masked 2.2.5 objects', async () => {
      const shared = await boundPatient(helper);
      await bind(rival, shared);
      const data = (await get('/custom/assistant', shared).expect(200)).body.data as { list: Obj[] };
      expect(Object.keys(data)).toEqual(['list']);
      expect(ids(data.list)).toEqual([rival.id, helper.id]);
      expect(data.list[0]).toMatchObject({ type: 3, team_name: '' });
      expect(typeof data.list[0].help_count).toBe('number');
      expect(data.list[0].phone).toMatch(MASKED_PHONE);
      expect(data.list[0]).not.toHaveProperty('token');
      expect((await get('/custom/assistant', await makePatient(t)).expect(200)).body.data).toEqual({
        list: [],
      });
    });
  });

  describe('POST /assistant/join/project/{id} (3.4.7)', () => {
    it('books for a bound patient through the patient’s booking rules, marked as the assistant’s', async () => {
      const patient = await boundPatient(assistant);
      const project = await publishProject(t, doctor);
      const res = await join(assistant, project, patient);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });
      const booking = await bookingOf(project.id, patient.id);
      expect(booking).toMatchObject({ verify_status: 1, assistant_user_id: assistant.id });
      const [casebook] = await t.db.query<{ content: string; photo: string[] }[]>(
        'SELECT c.content, c.photo FROM casebook c JOIN diagnosis d ON d.casebook_id = c.id WHERE d.id = $1',
        [booking.id],
      );
      expect(casebook).toEqual({ content: '医助代为预约', photo: [] });
      const seen = (await get(`/project/${project.id}`, assistant).expect(200)).body.data as Obj;
      expect(seen).toMatchObject({ is_join: 1, assistant_join_count: 1, join_people_count: 1, op_cancel: 1 });
      // The patient sees it as their own booking and was told.
      const theirs = await list('/custom/diagnoses', patient);
      expect(theirs.list[0]).toMatchObject({ id: booking.id, assistant_user_id: assistant.id });
      expect((await list('/message', patient)).list[0]).toMatchObject({ title: '预约成功' });
    });

    it('keeps the casebook and photos the assistant writes', async () => {
      const patient = await boundPatient(assistant);
      const project = await publishProject(t, doctor);
      await join(assistant, project, patient, { content: '血压偏高', photo: [PHOTO] }).expect(200);
      const [casebook] = await t.db.query<{ content: string; photo: string[] }[]>(
        'SELECT content, photo FROM casebook WHERE user_id = $1 AND project_id = $2',
        [patient.id, project.id],
      );
      expect(casebook).toEqual({ content: '血压偏高', photo: [PHOTO] });
    });

    it('someone else’s patient, an unknown id or a non-patient is a 404 20051; nothing is booked', async () => {
      const project = await publishProject(t, doctor);
      const notMine = await boundPatient(rival);
      const unbound = await makePatient(t);
      for (const id of [notMine.id, unbound.id, 99999999, doctor.id, rival.id]) {
        expectError(await join(assistant, project, { id }), 404, 20051);
      }
      const [{ n }] = await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM diagnosis WHERE project_id = $1',
        [project.id],
      );
      expect(n).toBe(0);
    });

    it.each([
      ['user_id missing', { user_id: undefined }, 'user_id'],
      ['user_id not a number', { user_id: 'abc' }, 'user_id'],
      ['plan_time missing', { plan_time: undefined }, 'plan_time'],
      ['plan_time malformed', { plan_time: '9点' }, 'plan_time'],
      ['four photos', { photo: [PHOTO, PHOTO, PHOTO, PHOTO] }, 'photo'],
      ['content too long', { content: 'x'.repeat(2001) }, 'content'],
    ])('rejects %s (400 naming the field)', async (_, over, field) => {
      const patient = await boundPatient(assistant);
      const project = await publishProject(t, doctor);
      const res = await join(assistant, project, patient, over);
      expectError(res, 400, 10001);
      expect(res.body.data.field).toBe(field);
    });

    it('one active booking per patient per clinic, whoever made the first', async () => {
      const patient = await boundPatient(assistant);
      const project = await publishProject(t, doctor);
      await join(assistant, project, patient).expect(200);
      expectError(await join(assistant, project, patient, { plan_time: slotOf(project, 1) }), 409, 30008);
      const selfBooked = await boundPatient(assistant);
      await joinProject(t, selfBooked, project);
      expectError(await join(assistant, project, selfBooked), 409, 30008);
    });

    it('a full slot, a cancelled or ended clinic, a started slot and an unknown one are refused', async () => {
      const patient = await boundPatient(assistant);
      const small = await publishProject(t, doctor, { people_count: 1, begin: '09:00:00', end: '09:30:00' });
      await joinProject(t, await makePatient(t), small);
      expectError(await join(assistant, small, patient), 422, 30006);

      const cancelled = await publishProject(t, doctor);
      await get(`/project/${cancelled.id}/cancel`, doctor).expect(200);
      expectError(await join(assistant, cancelled, patient), 422, 30004);

      const ended = await publishProject(t, doctor);
      await shiftProject(t, ended.id, -3 * 24 * 60);
      expectError(await join(assistant, ended, patient), 422, 30004);

      const running = await publishProject(t, doctor, { begin: '09:00:00', end: '20:00:00' });
      const [{ m }] = await t.db.query<{ m: number }[]>(
        `SELECT ceil(extract(epoch FROM starts_at - now()) / 60)::int AS m FROM project WHERE id = $1`,
        [running.id],
      );
      await shiftProject(t, running.id, -m - 45); // started 45 minutes ago: its first slot is under way
      expectError(await join(assistant, running, patient), 422, 30007);

      expectError(await join(assistant, { id: 99999999, plan_time: small.plan_time }, patient), 404, 30001);
      expectError(await join(assistant, small, patient, { plan_time: '03:00:00 - 03:30:00' }), 422, 30005);
      expect(await bookingOf(small.id, patient.id)).toBeUndefined();
    });

    it('needs the patient’s name and ID number (422 30009)', async () => {
      const bare = await registerAccount(t.http, 1);
      await bind(assistant, bare);
      expectError(await join(assistant, await publishProject(t, doctor), bare), 422, 30009);
    });

    it('help_count counts distinct patients helped, whatever their bookings became', async () => {
      const helper = await registerAccount(t.http, 3);
      const [p1, p2] = [await boundPatient(helper), await boundPatient(helper)];
      const [x, y] = [await publishProject(t, doctor), await publishProject(t, doctor)];
      expect(await helpCount(helper)).toBe(0);
      await join(helper, x, p1).expect(200);
      expect(await helpCount(helper)).toBe(1);
      await join(helper, y, p1).expect(200);
      expect(await helpCount(helper)).toBe(1);
      await join(helper, x, p2).expect(200);
      expect(await helpCount(helper)).toBe(2);
      // Cancelling and booking the same patient again neither removes nor adds a helped patient.
      const again = await bookingOf(x.id, p1.id);
      await get(`/assistant/diagnoses/${again.id}/cancel`, helper).expect(200);
      await join(helper, x, p1).expect(200);
      expect(await helpCount(helper)).toBe(2);
      // A refused booking helps nobody.
      const p3 = await boundPatient(helper);
      expectError(await join(helper, x, p3, { plan_time: '03:00:00 - 03:30:00' }), 422, 30005);
      expect(await helpCount(helper)).toBe(2);
    });
  });

  describe('GET /assistant/diagnoses/{id}/cancel (3.4.10)', () => {
    it('cancels a booking the assistant made: seat freed, patient told; a second cancel is a 422 30014', async () => {
      const patient = await boundPatient(assistant);
      const project = await publishProject(t, doctor);
      await join(assistant, project, patient).expect(200);
      const { id } = await bookingOf(project.id, patient.id);
      const res = await get(`/assistant/diagnoses/${id}/cancel`, assistant);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });
      expect((await bookingOf(project.id, patient.id)).verify_status).toBe(3);
      const after = (await get(`/project/${project.id}`, patient).expect(200)).body.data as Project & Obj;
      expect(after.plan_time[slotOf(project)]).toBe(project.plan_time[slotOf(project)]);
      expect(after.join_people_count).toBe(0);
      expect((await list('/message', patient)).list[0]).toMatchObject({ title: '预约已取消' });
      expectError(await get(`/assistant/diagnoses/${id}/cancel`, assistant), 422, 30014);
    });

    it('cancels a booking a bound patient made themselves', async () => {
      const patient = await boundPatient(assistant);
      const project = await publishProject(t, doctor);
      const id = await joinProject(t, patient, project);
      await get(`/assistant/diagnoses/${id}/cancel`, assistant).expect(200);
      expect((await bookingOf(project.id, patient.id)).verify_status).toBe(3);
    });

    it('another assistant’s booking of a patient not bound to the caller is a 404 30011, left as it was', async () => {
      const theirs = await boundPatient(rival);
      const project = await publishProject(t, doctor);
      await join(rival, project, theirs).expect(200);
      const { id } = await bookingOf(project.id, theirs.id);
      expectError(await get(`/assistant/diagnoses/${id}/cancel`, assistant), 404, 30011);
      const stranger = await makePatient(t);
      const strangers = await joinProject(t, stranger, project, 1);
      expectError(await get(`/assistant/diagnoses/${strangers}/cancel`, assistant), 404, 30011);
      expectError(await get('/assistant/diagnoses/99999999/cancel', assistant), 404, 30011);
      expect((await bookingOf(project.id, theirs.id)).verify_status).toBe(1);
      expect((await bookingOf(project.id, stranger.id)).verify_status).toBe(1);
    });

    it('respects the cancellation deadline (422 30013)', async () => {
      const patient = await boundPatient(assistant);
      const project = await publishProject(t, doctor);
      await join(assistant, project, patient).expect(200);
      const { id } = await bookingOf(project.id, patient.id);
      await t.db.query(`UPDATE diagnosis SET visit_time = now() + interval '60 minutes' WHERE id = $1`, [id]);
      expectError(await get(`/assistant/diagnoses/${id}/cancel`, assistant), 422, 30013);
      expect((await bookingOf(project.id, patient.id)).verify_status).toBe(1);
    });
  });

  describe('GET /assistant/project (3.4.8) and /assistant/project/{id}/paitient (3.4.9)', () => {
    let helper: Account;
    let p1: Account;
    let p2: Account;
    let x: Project;
    let y: Project;
    let cancelledClinic: Project;
    beforeAll(async () => {
      helper = await registerAccount(t.http, 3);
      [p1, p2] = [await boundPatient(helper, '甲'), await boundPatient(helper, '乙')];
      [x, y, cancelledClinic] = [
        await publishProject(t, doctor),
        await publishProject(t, doctor),
        await publishProject(t, doctor),
      ];
      await join(helper, x, p1, { plan_time: slotOf(x, 2) }).expect(200);
      await join(helper, y, p1).expect(200);
      await join(helper, cancelledClinic, p2).expect(200);
      await join(helper, x, p2, { plan_time: slotOf(x, 0) }).expect(200);
      await get(`/project/${cancelledClinic.id}/cancel`, doctor).expect(200);
      // Bookings in x the helper did not make: the rival's and the patient's own.
      await join(rival, x, await boundPatient(rival)).expect(200);
      await joinProject(t, await makePatient(t), x);
    });

    it('lists the clinics where the assistant booked someone, in any state, latest booking first', async () => {
      const data = await list('/assistant/project', helper);
      expect(ids(data.list)).toEqual([x.id, cancelledClinic.id, y.id]);
      expect(data.page).toEqual({ current_page: 1, total_page: 1, count: 3, page_size: 10 });
      const [first, cancelled] = data.list;
      expect(first).toMatchObject({ is_join: 1, assistant_join_count: 2, join_people_count: 4 });
      expect(first).toHaveProperty('plan_time');
      expect(first).toHaveProperty('doctor_info');
      expect(cancelled).toMatchObject({ status: 0, is_join: 0, assistant_join_count: 0, progress_status: 3 });
      expect((await list('/assistant/project', await registerAccount(t.http, 3))).list).toEqual([]);
    });

    it('paging: one clinic per page, past the end empty', async () => {
      const second = await list('/assistant/project?page_size=1&current_page=2', helper);
      expect(ids(second.list)).toEqual([cancelledClinic.id]);
      expect(second.page).toEqual({ current_page: 2, total_page: 3, count: 3, page_size: 1 });
      expect((await list('/assistant/project?page_size=2&current_page=3', helper)).list).toEqual([]);
      expectError(await get('/assistant/project?page_size=500', helper), 400, 10001);
    });

    it('lists the assistant’s own bookings in a clinic as 2.2.9 objects in slot order, at both spellings', async () => {
      const data = await list(`/assistant/project/${x.id}/paitient`, helper);
      expect(data.list.map((d) => (d.user_info as Obj).id)).toEqual([p2.id, p1.id]);
      expect(data.page).toEqual({ current_page: 1, total_page: 1, count: 2, page_size: 10 });
      expect(data.list[0]).toMatchObject({
        project_id: x.id,
        assistant_user_id: helper.id,
        verify_status: 1,
        plan_time: slotOf(x, 0),
        user_info: { id: p2.id, phone: p2.phone, idno: IDNOS[0] },
        casebook_info: { content: '医助代为预约', photo: [] },
      });
      expect(await list(`/assistant/project/${x.id}/patient`, helper)).toEqual(data);
    });

    it('shows cancelled bookings too, pages, and answers an unknown clinic with 404 30001', async () => {
      const cancelled = await list(`/assistant/project/${cancelledClinic.id}/patient`, helper);
      expect(cancelled.list).toHaveLength(1);
      expect(cancelled.list[0]).toMatchObject({ verify_status: 3 });
      const page2 = await list(`/assistant/project/${x.id}/patient?page_size=1&current_page=2`, helper);
      expect(page2.list.map((d) => (d.user_info as Obj).id)).toEqual([p1.id]);
      expect(page2.page).toEqual({ current_page: 2, total_page: 2, count: 2, page_size: 1 });
      expect((await list(`/assistant/project/${x.id}/patient`, rival)).list).toHaveLength(1);
      expectError(await get('/assistant/project/99999999/patient', helper), 404, 30001);
      expectError(await get('/assistant/project/abc/patient', helper), 400, 10001);
    });
  });

  describe('fixed query counts (page_size 1 vs 50)', () => {
    let busy: Account;
    let crowded: Project;
    beforeAll(async () => {
      busy = await registerAccount(t.http, 3);
      const patients = await bulkPatients(t, 55);
      await t.db.query(
        'INSERT INTO assistant_patient (assistant_id, patient_id) SELECT $1, unnest($2::int[])',
        [busy.id, ids(patients)],
      );
      crowded = await publishProject(t, doctor, { people_count: 100 });
      for (const [i, p] of patients.entries()) {
        await join(busy, crowded, p, { plan_time: slotOf(crowded, i % 4) }).expect(200);
      }
      // 54 more clinics with one booking each: 55 in all.
      for (let i = 0; i < 54; i += 1) {
        const clinic = await publishProject(t, doctor, { people_count: 4 });
        await join(busy, clinic, patients[i]).expect(200);
      }
    });

    it.each([
      ['/assistant/patient', 55],
      [`/assistant/patient?keyword=${encodeURIComponent('患者')}`, 55],
      ['/assistant/project', 55],
      ['/assistant/project/{crowded}/patient', 55],
    ])('%s', async (template, count) => {
      const path = template.replace('{crowded}', String(crowded.id));
      const sep = path.includes('?') ? '&' : '?';
      let data: ListData | undefined;
      const run = (pageSize: number) =>
        countQueries(t, async () => {
          data = await list(`${path}${sep}page_size=${pageSize}`, busy);
        });
      const one = await run(1);
      expect(data!.list).toHaveLength(1);
      const fifty = await run(50);
      expect(data!.list).toHaveLength(50);
      expect(data!.page).toEqual({ current_page: 1, total_page: 2, count, page_size: 50 });
      expect(fifty).toBe(one);
    });

    it('help_count is the number of patients helped', async () => {
      expect(await helpCount(busy)).toBe(55);
    });
  });

  describe('GET /doctor/assistant (3.2.1)', () => {
    it('lists the assistants following the doctor (not following patients), latest first, masked', async () => {
      const listed = await makeDoctor(t);
      const [a1, a2] = [await registerAccount(t.http, 3), await registerAccount(t.http, 3)];
      const fan = await makePatient(t);
      for (const who of [a1, fan, a2]) await get(`/follow/user/${listed.id}`, who).expect(200);
      await get(`/follow/user/${doctor.id}`, rival).expect(200);
      const data = (await get('/doctor/assistant', listed).expect(200)).body.data as { list: Obj[] };
      expect(Object.keys(data)).toEqual(['list']);
      expect(ids(data.list)).toEqual([a2.id, a1.id]);
      expect(data.list[0].phone).toMatch(MASKED_PHONE);
      expect(data.list[0]).toMatchObject({ type: 3, help_count: 0 });
      expect(data.list[0]).not.toHaveProperty('token');
      expect((await get('/doctor/assistant', await makeDoctor(t)).expect(200)).body.data).toEqual({
        list: [],
      });
    });
  });
});

describe('GET /assistant/homepage (3.4.12)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD, JOBS_WORKERS: 'false' });
  });
  afterAll(() => t.close());

  it('banners and news of the assistant app, and up to 10 bookable clinics, the soonest first', async () => {
    const admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    const adminPost = async (path: string, body: object) =>
      (await t.http.post(path).set('X-auth-token', admin).send(body).expect(200)).body.data as Obj;
    const banner = await adminPost('/admin/banners', { app_type: 3, title: '医助', photo: PHOTO });
    await adminPost('/admin/banners', { app_type: 1, title: '患者端', photo: PHOTO });
    const news: Obj[] = [];
    for (let day = 1; day <= 6; day += 1) {
      news.push(
        await adminPost('/admin/news', {
          type: 3,
          title: `医助公告${day}`,
          content: '<p>x</p>',
          publish_time: `2024-01-0${day} 10:00:00`,
        }),
      );
    }
    await adminPost('/admin/news', {
      type: 1,
      title: '患者',
      content: 'x',
      publish_time: '2024-02-01 10:00:00',
    });

    const doctor = await makeDoctor(t);
    const assistant = await registerAccount(t.http, 3);
    const patient = await makePatient(t);
    const full = await publishProject(t, doctor, { people_count: 1, begin: '07:00:00', end: '07:30:00' });
    await joinProject(t, patient, full);
    const cancelled = await publishProject(t, doctor, { begin: '07:30:00', end: '08:00:00' });
    await t.http.get(`/project/${cancelled.id}/cancel`).set('X-auth-token', doctor.token).expect(200);
    const ended = await publishProject(t, doctor, { begin: '08:00:00', end: '08:30:00' });
    await shiftProject(t, ended.id, -3 * 24 * 60);
    const open: number[] = [];
    for (let hour = 10; hour < 22; hour += 1) {
      open.push((await publishProject(t, doctor, { begin: `${hour}:00:00`, end: `${hour}:30:00` })).id);
    }

    const res = await t.http.get('/assistant/homepage').set('X-auth-token', assistant.token).expect(200);
    const data = res.body.data as { banner: Obj[]; news: Obj[]; project_list: Obj[] };
    expect(Object.keys(data).sort()).toEqual(['banner', 'news', 'project_list']);
    expect(ids(data.banner)).toEqual([banner.id]);
    expect(ids(data.news)).toEqual(ids(news.slice(1).reverse()));
    expect(ids(data.project_list)).toEqual(open.slice(0, 10));
    expect(data.project_list[0]).toMatchObject({ progress_status: 1, is_join: 0, assistant_join_count: 0 });
  });
});
