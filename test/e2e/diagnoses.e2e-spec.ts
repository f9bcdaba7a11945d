import { maskIdno, maskPhone } from 'src/modules/users/user.view';
import {
  bulkPatients,
  IDNOS,
  joinProject,
  makeDoctor,
  makePatient,
  publishProject,
  shanghaiDate,
  slotOf,
} from '../support/clinic-factories';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Seed 2.2.9 诊断信息, plus the clinic, the slot and the deposit fields (DESIGN §7). */
const DIAGNOSIS_KEYS = [
  'amount',
  'assistant_user_id',
  'casebook_info',
  'confirm_no_refund',
  'diag_photo',
  'diag_result',
  'doctor_comment',
  'doctor_comment_time',
  'doctor_score',
  'id',
  'patient_comment_time',
  'patient_credit_score',
  'patient_punctuality_score',
  'plan_time',
  'project_id',
  'project_info',
  'refund_sn',
  'refund_status',
  'refund_time',
  'reject_msg',
  'sn',
  'status',
  'user_info',
  'verify_status',
  'visit_time',
];

/** The keys of the seed's 3.2.22 sample, level by level. */
const RECORD_KEYS = [
  'amount',
  'assistant_user_id',
  'casebook',
  'casebook_id',
  'confirm_no_refund',
  'created_at',
  'diag_photo',
  'diag_result',
  'doctor',
  'doctor_comment',
  'doctor_comment_show',
  'doctor_comment_time',
  'doctor_score',
  'doctor_user_id',
  'hospital_id',
  'id',
  'patient_comment_show',
  'patient_comment_time',
  'patient_credit_score',
  'patient_punctuality_score',
  'plan_time',
  'project_id',
  'refund_sn',
  'refund_status',
  'refund_time',
  'reject_msg',
  'sn',
  'status',
  'updated_at',
  'user',
  'user_id',
  'verify_status',
  'visit_time',
];
const RECORD_CASEBOOK_KEYS = ['content', 'created_at', 'id', 'photo', 'project_id', 'updated_at', 'user_id'];

interface DiagnosisItem {
  id: number;
  verify_status: number;
  status: number;
  user_info: { id: number; phone: string; idno: string };
  casebook_info: { id: number; photo: string[]; content: string } | null;
  [key: string]: unknown;
}
interface ListData {
  list: DiagnosisItem[];
  page: { current_page: number; total_page: number; count: number; page_size: number };
}

describe('reading bookings (3.2.7–3.2.9, 3.2.18, 3.2.22, 3.3.6, 3.3.8, 3.3.13, 3.3.14)', () => {
  let t: TestApp;
  let admin: string;

  const get = (path: string, token: string) => t.http.get(path).set('X-auth-token', token);
  const list = async (path: string, who: Account) =>
    (await get(path, who.token).expect(200)).body.data as ListData;
  const ids = (data: ListData) => data.list.map((d) => d.id);
  const sql = (text: string, params: unknown[] = []) => t.db.query(text, params);

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD, JOBS_WORKERS: 'false' });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
  });
  afterAll(() => t.close());

  /**
   * Doctor `doc` holds clinic `x` (tomorrow) where p1 is booked (through assistant `helper`), p2 cancelled and p3
   * was rejected, and clinic `visited` where p1 was seen and rated, p2 missed the visit and p3 was seen, unrated.
   * Another doctor holds clinic `y`, where p1 is also booked.
   */
  describe('three clinics, three patients', () => {
    let doc: Account,
      other: Account,
      p1: Account,
      p2: Account,
      p3: Account,
      helper: Account,
      stranger: Account;
    let x: Awaited<ReturnType<typeof publishProject>>;
    let y: Awaited<ReturnType<typeof publishProject>>;
    let visited: Awaited<ReturnType<typeof publishProject>>;
    const b: Record<string, number> = {};

    beforeAll(async () => {
      [doc, other] = await Promise.all([makeDoctor(t, { name: '王医生' }), makeDoctor(t)]);
      [p1, p2, p3] = await Promise.all([makePatient(t, '甲'), makePatient(t, '乙'), makePatient(t, '丙')]);
      [helper, stranger] = await Promise.all([registerAccount(t.http, 3), registerAccount(t.http, 3)]);
      [x, y, visited] = await Promise.all([
        publishProject(t, doc, { addr: '社区中心' }),
        publishProject(t, other),
        publishProject(t, doc, { date: shanghaiDate(2) }),
      ]);
      b.booked = await joinProject(t, p1, x, 1);
      b.cancelled = await joinProject(t, p2, x, 0);
      await get(`/custom/project/${x.id}/cancel`, p2.token).expect(200);
      b.rejected = await joinProject(t, p3, x, 0);
      await t.http
        .post(`/diagnoses/${b.rejected}/reject`)
        .set('X-auth-token', doc.token)
        .send({ reject_msg: '时间冲突' })
        .expect(200);
      b.elsewhere = await joinProject(t, p1, y);
      b.seenRated = await joinProject(t, p1, visited);
      b.noShow = await joinProject(t, p2, visited);
      b.seen = await joinProject(t, p3, visited);
      await sql('UPDATE diagnosis SET assistant_user_id = $1 WHERE id = $2', [helper.id, b.booked]);
      // States the clock and the write routes reach (the ratings suite drives those through the API).
      await sql(`UPDATE diagnosis SET status = 3, diag_result = '感冒' WHERE id = ANY($1)`, [
        [b.seenRated, b.seen],
      ]);
      await sql(`UPDATE diagnosis SET status = 2 WHERE id = $1`, [b.noShow]);
      await sql(
        `UPDATE diagnosis SET doctor_score = 4, doctor_comment = '耐心', patient_comment_time = now() WHERE id = $1`,
        [b.seenRated],
      );
    });

    describe('GET /diagnoses/{id} (3.2.9)', () => {
      it('gives the patient the 2.2.9 object with their own data in full', async () => {
        const res = await get(`/diagnoses/${b.booked}`, p1.token).expect(200);
        const d = res.body.data as DiagnosisItem;
        expect(Object.keys(d).sort()).toEqual(DIAGNOSIS_KEYS);
        expect(d).toMatchObject({
          id: b.booked,
          project_id: x.id,
          assistant_user_id: helper.id,
          verify_status: 1,
          reject_msg: '',
          plan_time: slotOf(x, 1),
          diag_result: '',
          diag_photo: [],
          status: 1,
          amount: '0.00',
          sn: '',
          refund_status: null,
          refund_sn: '',
          refund_time: '',
          confirm_no_refund: 0,
          patient_credit_score: 0,
          patient_punctuality_score: 0,
          doctor_comment_time: '',
          doctor_score: 0,
          doctor_comment: '',
          patient_comment_time: '',
          project_info: { id: x.id, date: x.date, begin: '09:00:00', end: '11:00:00', addr: '社区中心' },
        });
        expect(d.visit_time).toBe(`${x.date as string} ${slotOf(x, 1).slice(0, 8)}`);
        expect(d.user_info).toMatchObject({ id: p1.id, real_name: '甲', phone: p1.phone, idno: IDNOS[0] });
        expect(d.user_info).not.toHaveProperty('token');
        expect(d.casebook_info).toEqual({
          id: expect.any(Number),
          photo: ['http://files.test/c.png'],
          content: '头痛三天',
        });
      });

      it('lets the doctor, the assistant who booked it and operators read it; the patient is masked but to operators', async () => {
        for (const token of [doc.token, helper.token]) {
          const d = (await get(`/diagnoses/${b.booked}`, token).expect(200)).body.data as DiagnosisItem;
          expect(d.user_info).toMatchObject({ phone: maskPhone(p1.phone), idno: maskIdno(IDNOS[0]) });
          expect(d.casebook_info?.content).toBe('头痛三天');
        }
        const d = (await get(`/diagnoses/${b.booked}`, admin).expect(200)).body.data as DiagnosisItem;
        expect(d.user_info).toMatchObject({ phone: p1.phone, idno: IDNOS[0] });
      });

      it('is "not found" for everyone else, and for bookings that do not exist', async () => {
        for (const who of [other, p2, stranger])
          expectError(await get(`/diagnoses/${b.booked}`, who.token), 404, 30011);
        expectError(await get(`/diagnoses/${b.elsewhere}`, doc.token), 404, 30011);
        expectError(await get('/diagnoses/99999999', admin), 404, 30011);
        expectError(await get('/diagnoses/abc', p1.token), 400, 10001);
        expectError(await t.http.get(`/diagnoses/${b.booked}`), 401, 20001);
      });

      it('shows a rejection, a rating and a priced booking as the seed does', async () => {
        const rejected = (await get(`/diagnoses/${b.rejected}`, p3.token).expect(200)).body.data;
        expect(rejected).toMatchObject({ verify_status: 2, reject_msg: '时间冲突', status: 1 });
        const rated = (await get(`/diagnoses/${b.seenRated}`, doc.token).expect(200)).body.data;
        expect(rated).toMatchObject({
          status: 3,
          diag_result: '感冒',
          doctor_score: 4,
          doctor_comment: '耐心',
        });
        expect(rated.patient_comment_time).toMatch(DATETIME);

        const priced = await publishProject(t, doc, { price: 50 });
        const id = await joinProject(t, p2, priced);
        const d = (await get(`/diagnoses/${id}`, p2.token).expect(200)).body.data;
        expect(d).toMatchObject({ verify_status: 0, amount: '50.00' });
      });
    });

    describe('GET /project/{id}/patient (3.2.7)', () => {
      it('lists every booking of the doctor’s clinic, whatever its state, in slot order', async () => {
        const data = await list(`/project/${x.id}/patient`, doc);
        expect(ids(data)).toEqual([b.cancelled, b.rejected, b.booked]);
        expect(data.list.map((d) => d.verify_status)).toEqual([3, 2, 1]);
        expect(data.page).toEqual({ current_page: 1, total_page: 1, count: 3, page_size: 10 });
        expect(Object.keys(data.list[0]).sort()).toEqual(DIAGNOSIS_KEYS);
        expect(data.list[2].user_info.phone).toBe(maskPhone(p1.phone));
      });

      it('pages', async () => {
        const second = await list(`/project/${x.id}/patient?page_size=2&current_page=2`, doc);
        expect(ids(second)).toEqual([b.booked]);
        expect(second.page).toEqual({ current_page: 2, total_page: 2, count: 3, page_size: 2 });
        const beyond = await list(`/project/${x.id}/patient?page_size=2&current_page=3`, doc);
        expect(beyond.list).toEqual([]);
        expect(beyond.page.count).toBe(3);
        for (const q of ['page_size=0', 'page_size=101', 'current_page=0', 'page_size=x']) {
          expectError(await get(`/project/${x.id}/patient?${q}`, doc.token), 400, 10001);
        }
      });

      it('is the clinic’s doctor’s only: other doctors get "not found", other roles are refused', async () => {
        expectError(await get(`/project/${x.id}/patient`, other.token), 404, 30001);
        expectError(await get('/project/99999999/patient', doc.token), 404, 30001);
        expectError(await get(`/project/${x.id}/patient`, p1.token), 403, 20005);
        expectError(await get(`/project/${x.id}/patient`, helper.token), 403, 20005);
        expectError(await get(`/project/${x.id}/patient`, admin), 403, 20005);
      });
    });

    describe('GET /doctor/project/patient (3.2.8)', () => {
      it('lists booked patients of all the caller’s clinics, newest first, by visit state', async () => {
        expect(ids(await list('/doctor/project/patient', doc))).toEqual([
          b.seen,
          b.noShow,
          b.seenRated,
          b.booked,
        ]);
        expect(ids(await list('/doctor/project/patient?status=1', doc))).toEqual([b.booked]);
        expect(ids(await list('/doctor/project/patient?status=2', doc))).toEqual([b.noShow]);
        expect(ids(await list('/doctor/project/patient?status=3', doc))).toEqual([b.seen, b.seenRated]);
        expect(ids(await list('/doctor/project/patient?status=', doc))).toHaveLength(4);
        expect(ids(await list('/doctor/project/patient', other))).toEqual([b.elsewhere]);
      });

      it('refuses other states and other roles', async () => {
        for (const s of ['0', '4', 'x']) {
          expectError(await get(`/doctor/project/patient?status=${s}`, doc.token), 400, 10001);
        }
        expectError(await get('/doctor/project/patient', p1.token), 403, 20005);
      });
    });

    describe('ratings: GET /doctor/comment (3.2.18) and GET /doctor/{id}/comment (3.3.6)', () => {
      it('lists the caller’s rated bookings with casebooks', async () => {
        const mine = await list('/doctor/comment', doc);
        expect(ids(mine)).toEqual([b.seenRated]);
        expect(mine.list[0]).toMatchObject({ doctor_score: 4, doctor_comment: '耐心' });
        expect(mine.list[0].casebook_info?.content).toBe('头痛三天');
        expect((await list('/doctor/comment', other)).list).toEqual([]);
        expectError(await get('/doctor/comment', p1.token), 403, 20005);
      });

      it('shows a doctor’s ratings to every app role, patients masked and without casebooks', async () => {
        for (const who of [p1, p2, helper, other, doc]) {
          const data = await list(`/doctor/${doc.id}/comment`, who);
          expect(ids(data)).toEqual([b.seenRated]);
          expect(data.list[0].casebook_info).toBeNull();
          expect(data.list[0].user_info).toMatchObject({
            phone: maskPhone(p1.phone),
            idno: maskIdno(IDNOS[0]),
          });
          expect(Object.keys(data.list[0]).sort()).toEqual(DIAGNOSIS_KEYS);
        }
        expect((await list(`/doctor/${other.id}/comment`, p1)).page.count).toBe(0);
      });

      it('is "not found" for accounts that are not doctors', async () => {
        expectError(await get(`/doctor/${p1.id}/comment`, p2.token), 404, 30031);
        expectError(await get('/doctor/99999999/comment', p2.token), 404, 30031);
        expectError(await get(`/doctor/${doc.id}/comment`, admin), 403, 20005);
      });
    });

    describe('the patient’s lists: GET /custom/diagnoses (3.3.13) and GET /custom/need/comment (3.3.14)', () => {
      it('filters by type, newest first; no type lists everything, including other doctors’ clinics', async () => {
        expect(ids(await list('/custom/diagnoses', p1))).toEqual([b.seenRated, b.elsewhere, b.booked]);
        expect(ids(await list('/custom/diagnoses?type=1', p1))).toEqual([b.elsewhere, b.booked]);
        expect(ids(await list('/custom/diagnoses?type=4', p1))).toEqual([b.seenRated]);
        expect(ids(await list('/custom/diagnoses?type=2', p2))).toEqual([b.cancelled]);
        expect(ids(await list('/custom/diagnoses?type=2', p3))).toEqual([b.rejected]);
        expect(ids(await list('/custom/diagnoses?type=3', p2))).toEqual([b.noShow]);
        expect(ids(await list('/custom/diagnoses?type=3', p1))).toEqual([]);
        const own = await list('/custom/diagnoses?type=1', p1);
        expect(own.list[0].user_info).toMatchObject({ phone: p1.phone, idno: IDNOS[0] });
      });

      it('counts awaiting payment as booked', async () => {
        const data = await list('/custom/diagnoses?type=1', p2);
        expect(data.list.map((d) => d.verify_status)).toEqual([0]);
      });

      it('lists seen visits the patient has not rated', async () => {
        expect(ids(await list('/custom/need/comment', p3))).toEqual([b.seen]);
        expect(ids(await list('/custom/need/comment', p1))).toEqual([]);
        expect(ids(await list('/custom/need/comment', p2))).toEqual([]);
      });

      it('refuses unknown types and other roles', async () => {
        for (const type of ['0', '5', 'x']) {
          expectError(await get(`/custom/diagnoses?type=${type}`, p1.token), 400, 10001);
        }
        expectError(await get('/custom/diagnoses', doc.token), 403, 20005);
        expectError(await get('/custom/need/comment', helper.token), 403, 20005);
      });
    });

    describe('GET /project/{id}/casebook (3.3.8)', () => {
      it('gives the caller their casebook of the clinic (the latest when they booked twice)', async () => {
        const res = await get(`/project/${x.id}/casebook`, p1.token).expect(200);
        expect(res.body.data).toEqual({
          id: expect.any(Number),
          photo: ['http://files.test/c.png'],
          content: '头痛三天',
        });
        await t.http
          .post(`/project/${x.id}/join`)
          .set('X-auth-token', p2.token)
          .send({ content: '复诊', plan_time: slotOf(x, 2) })
          .expect(200);
        expect((await get(`/project/${x.id}/casebook`, p2.token).expect(200)).body.data).toEqual({
          id: expect.any(Number),
          photo: [],
          content: '复诊',
        });
        await get(`/custom/project/${x.id}/cancel`, p2.token).expect(200);
      });

      it('is "not found" without one; doctors are refused', async () => {
        expectError(await get(`/project/${y.id}/casebook`, p2.token), 404, 30030);
        expectError(await get('/project/99999999/casebook', p2.token), 404, 30030);
        expectError(await get(`/project/${x.id}/casebook`, doc.token), 403, 20005);
      });
    });

    describe('GET /all_diagnoses/{id} (3.2.22)', () => {
      it('gives a doctor who treated the patient their whole history, shaped like the seed’s sample', async () => {
        const res = await get(`/all_diagnoses/${p1.id}`, doc.token).expect(200);
        expect(Object.keys(res.body).sort()).toEqual(['data', 'error_code', 'error_message']);
        const records = res.body.data as Record<string, unknown>[];
        expect(Array.isArray(records)).toBe(true);
        // Latest visit first: the day after tomorrow's clinic, then tomorrow's 09:30 and 09:00 slots.
        expect(records.map((r) => r.id)).toEqual([b.seenRated, b.booked, b.elsewhere]);
        for (const r of records) {
          expect(Object.keys(r).sort()).toEqual(RECORD_KEYS);
          expect(Object.keys(r.casebook as object).sort()).toEqual(RECORD_CASEBOOK_KEYS);
        }
        const seen = records.find((r) => r.id === b.seenRated)!;
        expect(seen).toMatchObject({
          hospital_id: expect.any(Number),
          assistant_user_id: 0,
          user_id: p1.id,
          doctor_user_id: doc.id,
          project_id: visited.id,
          verify_status: 1,
          reject_msg: '',
          status: 3,
          amount: '0.00',
          refund_status: null,
          refund_time: null,
          refund_sn: null,
          confirm_no_refund: 0,
          sn: null,
          diag_result: '感冒',
          patient_credit_score: 0,
          patient_punctuality_score: 0,
          patient_comment_show: 1,
          doctor_comment_time: null,
          doctor_score: 4,
          doctor_comment: '耐心',
          doctor_comment_show: 1,
          plan_time: slotOf(visited, 0),
          doctor: { id: doc.id, real_name: '王医生', avatars: '' },
          user: { id: p1.id, real_name: '甲', avatars: '' },
        });
        for (const key of ['visit_time', 'patient_comment_time', 'created_at', 'updated_at']) {
          expect(seen[key]).toMatch(DATETIME);
        }
        expect(seen.casebook).toMatchObject({ user_id: p1.id, project_id: visited.id, content: '头痛三天' });
        const elsewhere = records.find((r) => r.id === b.elsewhere)!;
        expect(elsewhere).toMatchObject({
          doctor_user_id: other.id,
          doctor: { id: other.id, real_name: '李医生' },
        });
        expect(records.find((r) => r.id === b.booked)).toMatchObject({ assistant_user_id: helper.id });
      });

      it('counts any past booking, even a rejected or cancelled one', async () => {
        expect((await get(`/all_diagnoses/${p3.id}`, doc.token).expect(200)).body.data).toHaveLength(2);
        expect(
          (await get(`/all_diagnoses/${p2.id}`, doc.token).expect(200)).body.data.length,
        ).toBeGreaterThan(1);
      });

      it('refuses doctors who never had a booking with the patient, and other roles', async () => {
        expectError(await get(`/all_diagnoses/${p3.id}`, other.token), 403, 30018);
        expectError(await get('/all_diagnoses/99999999', doc.token), 403, 30018);
        expectError(await get(`/all_diagnoses/${p1.id}`, p1.token), 403, 20005);
        expectError(await get(`/all_diagnoses/${p1.id}`, helper.token), 403, 20005);
      });
    });
  });

  /**
   * One doctor's clinic with 55 bookings, and one patient with 55 bookings (one per clinic): every list costs the
   * same number of queries for 1 item as for 50.
   */
  describe('a fixed number of queries whatever the page size', () => {
    let doc: Account, patient: Account;
    let busy: Awaited<ReturnType<typeof publishProject>>;

    beforeAll(async () => {
      doc = await makeDoctor(t);
      patient = await makePatient(t);
      busy = await publishProject(t, doc, { people_count: 200 });
      const crowd = await bulkPatients(t, 55);
      for (const [i, p] of crowd.entries()) await joinProject(t, p, busy, i % 4);
      for (let i = 0; i < 55; i += 1) await joinProject(t, patient, await publishProject(t, doc));
      await sql(
        `UPDATE diagnosis SET status = 3, doctor_score = 5, doctor_comment = '好', patient_comment_time = now()
         WHERE project_id = $1`,
        [busy.id],
      );
      await sql(`UPDATE diagnosis SET status = 3 WHERE user_id = $1`, [patient.id]);
    });

    it.each([
      ['/project/{busy}/patient', 'doctor', 55],
      ['/doctor/project/patient?status=3', 'doctor', 110],
      ['/doctor/comment', 'doctor', 55],
      ['/doctor/{doctor}/comment', 'patient', 55],
      ['/custom/diagnoses', 'patient', 55],
      ['/custom/diagnoses?type=4', 'patient', 55],
      ['/custom/need/comment', 'patient', 55],
    ])('%s', async (route, caller, count) => {
      const who = caller === 'doctor' ? doc : patient;
      const path = route.replace('{busy}', String(busy.id)).replace('{doctor}', String(doc.id));
      const sep = path.includes('?') ? '&' : '?';
      let data: ListData | undefined;
      const run = (pageSize: number) =>
        countQueries(t, async () => {
          data = await list(`${path}${sep}page_size=${pageSize}`, who);
        });
      const one = await run(1);
      expect(data!.list).toHaveLength(1);
      const fifty = await run(50);
      expect(data!.list).toHaveLength(50);
      expect(data!.page).toEqual({
        current_page: 1,
        total_page: Math.ceil(count / 50),
        count,
        page_size: 50,
      });
      expect(new Set(data!.list.map((d) => d.id)).size).toBe(50);
      expect(fifty).toBe(one);
    });

    it('/all_diagnoses/{id}: the same queries for one booking as for 55', async () => {
      const lone = await makePatient(t);
      await joinProject(t, lone, busy, 1);
      const one = await countQueries(t, () => get(`/all_diagnoses/${lone.id}`, doc.token).expect(200));
      let records: unknown[] = [];
      const many = await countQueries(t, async () => {
        records = (await get(`/all_diagnoses/${patient.id}`, doc.token).expect(200)).body.data;
      });
      expect(records).toHaveLength(55);
      expect(many).toBe(one);
    });
  });
});
