import { BookingService } from 'src/modules/projects/booking.service';
import {
  bulkPatients,
  joinProject,
  makeDoctor,
  makeHospital,
  makePatient,
  publishProject,
  shanghaiDate,
  shiftProject,
} from '../support/clinic-factories';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const PHOTO = 'http://files.test/uploads/2024/home.jpg';

type Obj = Record<string, unknown> & { id: number };
const ids = (items: { id: number }[]) => items.map((i) => i.id);
const keys = (o: object) => Object.keys(o).sort();

describe('homepages (3.3.19 /custom/homepage, 3.2.16 /doctor/index)', () => {
  let t: TestApp;
  let admin: string;
  let h1: number;
  let h2: number;
  let org: number;
  /** d1: at h1, approved member of org. d2: at h2, application pending. d3: at h1, no org. */
  let d1: Account;
  let d2: Account;
  let d3: Account;
  let patients: Account[];
  let assistant: Account;
  const clinic: Record<string, { id: number; plan_time: Record<string, number> }> = {};
  const banner: Record<string, Obj> = {};
  const news: Record<string, Obj> = {};
  const sp: Record<string, Obj> = {};
  const booking: Record<string, number> = {};

  const as = (token: string) => ({
    home: (q = '') => t.http.get(`/custom/homepage${q}`).set('X-auth-token', token),
    index: () => t.http.get('/doctor/index').set('X-auth-token', token),
    get: (path: string) => t.http.get(path).set('X-auth-token', token),
  });
  const post = async (path: string, body: object) =>
    (await t.http.post(path).set('X-auth-token', admin).send(body).expect(200)).body.data as Obj;
  const addNews = (type: number, day: string, over: object = {}) =>
    post('/admin/news', {
      type,
      title: `公告${day}`,
      content: '<p>x</p>',
      publish_time: `${day} 10:00:00`,
      ...over,
    });
  const addSp = (days: number, over: object = {}) =>
    post('/admin/sp_projects', {
      date: shanghaiDate(days),
      begin: '08:00:00',
      end: '17:00:00',
      people_count: 50,
      addr: '社区中心',
      lng: 116.4,
      lat: 39.9,
      abstract: '专题',
      price: 0,
      service_target: ['老年人'],
      ...over,
    });
  /** What the apps see of a banner or a news item: the operator's object without its placement fields. */
  const appObject = (o: Obj, adminOnly: string[]) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => !adminOnly.includes(k)));
  const bannerView = (b: Obj) => appObject(b, ['app_type', 'hospital_id', 'org_id', 'sort']);
  const newsView = (n: Obj) => appObject(n, ['type', 'hospital_id', 'org_id']);
  /** Moves a clinic so that it started `minutes` ago. */
  const startAgo = async (projectId: number, minutes: number) => {
    const [{ m }] = await t.db.query<{ m: number }[]>(
      `SELECT ceil(extract(epoch FROM starts_at - now()) / 60)::int AS m FROM project WHERE id = $1`,
      [projectId],
    );
    await shiftProject(t, projectId, -m - minutes);
  };

  beforeAll(async () => {
    // No job workers: the no-show job runs only when a test calls it.
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD, JOBS_WORKERS: 'false' });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    [h1, h2] = [await makeHospital(t, '城东医院'), await makeHospital(t, '城西医院')];
    [{ id: org }] = await t.db.query<{ id: number }[]>(
      `INSERT INTO org (name) VALUES ('义诊联盟') RETURNING id`,
    );
    d1 = await makeDoctor(t, { hospitalId: h1, name: '王医生' });
    d2 = await makeDoctor(t, { hospitalId: h2 });
    d3 = await makeDoctor(t, { hospitalId: h1 });
    await t.db.query(
      `INSERT INTO org_member (org_id, doctor_id, verify_status) VALUES ($1, $2, 1), ($1, $3, 0)`,
      [org, d1.id, d2.id],
    );
    patients = [];
    for (let i = 0; i < 6; i += 1) patients.push(await makePatient(t, `患者${i}`));
    assistant = await registerAccount(t.http, 3);

    // Clinics: d1's tomorrow morning, the day after, one under way, one cancelled, one over; d2's and d3's.
    clinic.c1 = await publishProject(t, d1);
    clinic.c2 = await publishProject(t, d1, { date: shanghaiDate(2) });
    clinic.c3 = await publishProject(t, d2, { begin: '07:00:00', end: '08:00:00' });
    clinic.c4 = await publishProject(t, d3, { begin: '10:00:00', end: '12:00:00' });
    clinic.running = await publishProject(t, d1, { begin: '15:00:00', end: '18:00:00' });
    clinic.cancelled = await publishProject(t, d1, { begin: '12:00:00', end: '13:00:00' });
    clinic.ended = await publishProject(t, d1, { begin: '13:00:00', end: '14:00:00' });
    await as(d1.token).get(`/project/${clinic.cancelled.id}/cancel`).expect(200);

    // d1's bookings: two waiting in c1 (slot 2 booked first), one in c2; one rejected, one cancelled; d2's one.
    booking.c1Late = await joinProject(t, patients[0], clinic.c1, 1);
    booking.c1Early = await joinProject(t, patients[1], clinic.c1, 0);
    booking.c2 = await joinProject(t, patients[2], clinic.c2);
    booking.rejected = await joinProject(t, patients[3], clinic.c1);
    await t.http
      .post(`/diagnoses/${booking.rejected}/reject`)
      .set('X-auth-token', d1.token)
      .send({ reject_msg: '名额调整' })
      .expect(200);
    booking.cancelled = await joinProject(t, patients[4], clinic.c1);
    await as(patients[4].token).get(`/custom/project/${clinic.c1.id}/cancel`).expect(200);
    booking.otherDoctor = await joinProject(t, patients[5], clinic.c3);
    // In the clinic that is over: one seen, one still waiting (the no-show job has not run yet).
    booking.seen = await joinProject(t, patients[0], clinic.ended);
    booking.overdue = await joinProject(t, patients[1], clinic.ended);
    await shiftProject(t, clinic.ended.id, -48 * 60); // yesterday, whatever the hour now
    await as(d1.token).get(`/diagnoses/${booking.seen}/done`).expect(200);
    await startAgo(clinic.running.id, 30);

    banner.general = await post('/admin/banners', { app_type: 1, title: '通用', photo: PHOTO });
    banner.doctorApp = await post('/admin/banners', { app_type: 2, title: '医生端', photo: PHOTO });
    banner.h1 = await post('/admin/banners', { app_type: 1, title: '城东', photo: PHOTO, hospital_id: h1 });
    banner.org = await post('/admin/banners', { app_type: 1, title: '联盟', photo: PHOTO, org_id: org });

    for (let day = 1; day <= 6; day += 1) news[`g${day}`] = await addNews(1, `2024-01-0${day}`);
    news.h1 = await addNews(1, '2024-01-07', { hospital_id: h1 });
    news.org = await addNews(1, '2024-01-08', { org_id: org });
    news.future = await addNews(1, '2099-01-01');
    news.doctor = await addNews(2, '2024-01-05');

    for (let day = 3; day <= 8; day += 1) sp[`g${day}`] = await addSp(day);
    sp.h1 = await addSp(10, { hospital_id: h1 });
    sp.org = await addSp(11, { org_id: org });
    sp.withdrawn = await addSp(12);
    await t.http.put(`/admin/sp_projects/${sp.withdrawn.id}`).set('X-auth-token', admin).send({ status: 0 });
  });
  afterAll(() => t.close());

  describe('GET /custom/homepage (3.3.19)', () => {
    it('the patient app: general banners, the newest news, upcoming clinics soonest first, special projects', async () => {
      const patient = patients[0];
      const res = await as(patient.token).home().expect(200);
      expect(res.body.error_code).toBe(0);
      const data = res.body.data as Record<string, Obj[]>;
      expect(keys(data)).toEqual(['banner', 'news', 'project_list', 'special_pro_list']);
      expect(data.banner).toEqual([bannerView(banner.general)]);
      expect(keys(data.banner[0])).toEqual(['href', 'id', 'jump_id', 'jump_mode', 'photo', 'title']);
      expect(data.news).toEqual([news.org, news.h1, news.g6, news.g5, news.g4].map(newsView));
      expect(keys(data.news[0])).toEqual(['content', 'id', 'photo', 'publish_time', 'title']);
      // Under way first; cancelled and finished clinics are not shown.
      const { c1, c2, c3, c4, running } = clinic;
      expect(ids(data.project_list)).toEqual([running.id, c3.id, c1.id, c4.id, c2.id]);
      for (const p of data.project_list) {
        expect(p).toEqual((await as(patient.token).get(`/project/${p.id}`)).body.data);
      }
      expect(data.project_list.find((p) => p.id === c1.id)).toMatchObject({ is_join: 1 });
      expect(ids(data.special_pro_list)).toEqual(ids([sp.org, sp.h1, sp.g8, sp.g7, sp.g6]));
      expect(data.special_pro_list[1]).toEqual(
        (await as(patient.token).get('/sp_project?page_size=100')).body.data.list.find(
          (s: Obj) => s.id === sp.h1.id,
        ),
      );
    });

    it('a hospital homepage: what is placed on it and the clinics held there', async () => {
      const data = (await as(patients[0].token).home(`?hospital_id=${h1}`).expect(200)).body.data;
      expect(data.banner).toEqual([bannerView(banner.h1)]);
      expect(data.news).toEqual([newsView(news.h1)]);
      const { c1, c2, c4, running } = clinic;
      expect(ids(data.project_list)).toEqual([running.id, c1.id, c4.id, c2.id]);
      expect(ids(data.special_pro_list)).toEqual([sp.h1.id]);
    });

    it('an organisation homepage: clinics of its approved members only', async () => {
      const data = (await as(patients[0].token).home(`?org_id=${org}`).expect(200)).body.data;
      expect(data.banner).toEqual([bannerView(banner.org)]);
      expect(data.news).toEqual([newsView(news.org)]);
      expect(ids(data.project_list)).toEqual([clinic.running.id, clinic.c1.id, clinic.c2.id]);
      expect(ids(data.special_pro_list)).toEqual([sp.org.id]);
    });

    it('both given: what fits both (d2 is at h2 but not yet approved by the org)', async () => {
      const data = (await as(patients[0].token).home(`?hospital_id=${h2}&org_id=${org}`).expect(200)).body
        .data;
      expect(data).toEqual({ banner: [], news: [], project_list: [], special_pro_list: [] });
    });

    it('empty parameters mean none; unknown ids are 404s; malformed ones 400s naming the field', async () => {
      const home = as(patients[0].token).home;
      const plain = (await home().expect(200)).body.data;
      expect((await home('?hospital_id=&org_id=').expect(200)).body.data).toEqual(plain);
      expectError(await home('?hospital_id=99999999'), 404, 10030);
      expectError(await home('?org_id=99999999'), 404, 10031);
      for (const [q, field] of [
        ['?hospital_id=abc', 'hospital_id'],
        ['?hospital_id=0', 'hospital_id'],
        ['?org_id=-3', 'org_id'],
        ['?org_id=99999999999', 'org_id'],
      ]) {
        expect(expectError(await home(q), 400, 10001).data).toEqual({ field });
      }
    });

    it('patients and assistants; not doctors, operators or anonymous callers', async () => {
      const res = await as(assistant.token).home().expect(200);
      expect(res.body.data.project_list.length).toBeGreaterThan(0);
      expectError(await as(d1.token).home(), 403, 20005);
      expectError(await as(admin).home(), 403, 20005);
      expectError(await t.http.get('/custom/homepage'), 401, 20001);
    });
  });

  describe('GET /doctor/index (3.2.16)', () => {
    it('the doctor app: doctor news, the caller’s own profile, their upcoming clinics and waiting bookings', async () => {
      const res = await as(d1.token).index().expect(200);
      const data = res.body.data as Record<string, unknown> &
        Record<'project_list' | 'diagnoses_list', Obj[]>;
      expect(keys(data)).toEqual(['diagnoses_list', 'doctor_info', 'news', 'project_list']);
      expect(data.news).toEqual([newsView(news.doctor)]);
      expect(data.doctor_info).toEqual((await as(d1.token).get('/user')).body.data);
      expect(data.doctor_info).toMatchObject({
        id: d1.id,
        phone: d1.phone,
        token: d1.token,
        real_name: '王医生',
      });
      const { c1, c2, running } = clinic;
      expect(ids(data.project_list)).toEqual([running.id, c1.id, c2.id]);
      for (const p of data.project_list) {
        expect(p).toEqual((await as(d1.token).get(`/project/${p.id}`)).body.data);
      }
    });

    it('diagnoses_list: booked and waiting, earliest visit first, each a short diagnosis with a masked patient', async () => {
      const list = (await as(d1.token).index().expect(200)).body.data.diagnoses_list as Obj[];
      expect(ids(list)).toEqual([booking.overdue, booking.c1Early, booking.c1Late, booking.c2]);
      for (const d of list) {
        expect(keys(d)).toEqual(['id', 'plan_time', 'status', 'user_info', 'verify_status', 'visit_time']);
        expect(d).toMatchObject({ verify_status: 1, status: 1 });
      }
      const slot = Object.keys(clinic.c1.plan_time)[0];
      expect(list[1]).toMatchObject({
        plan_time: slot,
        visit_time: `${shanghaiDate(1)} ${slot.slice(0, 8)}`,
      });
      const patient = list[1].user_info as Record<string, unknown>;
      expect(patient).toEqual((await as(d1.token).get(`/user/${patients[1].id}`)).body.data);
      expect(patient).toMatchObject({
        id: patients[1].id,
        phone: expect.stringMatching(/^\d{3}\*{4}\d{4}$/),
      });
      expect(patient.idno).toBe('1101**********002X');
      expect(patient).not.toHaveProperty('token');
    });

    it('a waiting booking of a finished clinic leaves the list once the no-show job has run', async () => {
      await t.app.get(BookingService).markNoShows();
      const list = (await as(d1.token).index().expect(200)).body.data.diagnoses_list as Obj[];
      expect(ids(list)).toEqual([booking.c1Early, booking.c1Late, booking.c2]);
    });

    it('another doctor sees only their own', async () => {
      const data = (await as(d2.token).index().expect(200)).body.data;
      expect(ids(data.project_list)).toEqual([clinic.c3.id]);
      expect(ids(data.diagnoses_list)).toEqual([booking.otherDoctor]);
      expect((await as(d3.token).index().expect(200)).body.data.diagnoses_list).toEqual([]);
    });

    it('doctors only', async () => {
      expectError(await as(patients[0].token).index(), 403, 20005);
      expectError(await as(assistant.token).index(), 403, 20005);
      expectError(await as(admin).index(), 403, 20005);
      expectError(await t.http.get('/doctor/index'), 401, 20001);
    });
  });

  describe('caps and query counts', () => {
    it('at most 10 clinics, 5 news, 5 special projects, 10 bookings; the query count stays the same', async () => {
      const measure = async (call: () => Promise<unknown>) => {
        await call(); // refreshes the token's last use, so the measured call does not
        return countQueries(t, call);
      };
      const patientHome = () => as(patients[0].token).home(`?hospital_id=${h1}`).expect(200);
      const doctorHome = () => as(d1.token).index().expect(200);
      const before = [await measure(patientHome), await measure(doctorHome)];

      const crowd = await bulkPatients(t, 12);
      for (let i = 0; i < 12; i += 1) {
        const p = await publishProject(t, d1, {
          date: shanghaiDate(3),
          begin: `0${i % 10}:00:00`,
          end: `0${i % 10}:30:00`,
        });
        await joinProject(t, crowd[i], p);
      }
      for (let day = 1; day <= 6; day += 1) await addNews(2, `2024-02-0${day}`);
      for (let i = 0; i < 6; i += 1) await addSp(4, { hospital_id: h1 });

      const after = [await measure(patientHome), await measure(doctorHome)];
      expect(after).toEqual(before);
      const home = (await patientHome()).body.data;
      expect(home.project_list).toHaveLength(10);
      expect(home.special_pro_list).toHaveLength(5);
      const index = (await doctorHome()).body.data;
      expect(index.news).toHaveLength(5);
      expect(index.project_list).toHaveLength(10);
      expect(index.diagnoses_list).toHaveLength(10);
    });
  });
});
