import {
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
const PHOTO = 'http://files.test/uploads/2024/sp.jpg';

/** Seed 2.2.12 专题活动信息, field for field. */
const SEED_SP = [
  'abstract',
  'addr',
  'begin',
  'date',
  'end',
  'hospital_info',
  'id',
  'join_people_count',
  'join_user',
  'lat',
  'lng',
  'org_info',
  'people_count',
  'photo',
  'price',
  'progress_status',
  'project_status',
  'service_target',
  'status',
];
const ADMIN_SP = [...SEED_SP, 'hospital_id', 'org_id', 'project_ids'].sort();
/** Seed 2.2.8 义诊信息 (v2.0), field for field. */
const SEED_PROJECT = [
  'abstract',
  'addr',
  'assistant_join_count',
  'begin',
  'date',
  'doctor_info',
  'end',
  'hospital_info',
  'id',
  'is_join',
  'join_people_count',
  'join_user',
  'lat',
  'lng',
  'op_cancel',
  'people_count',
  'plan_time',
  'price',
  'progress_status',
  'project_status',
  'service_target',
  'status',
];

type Sp = Record<string, unknown> & { id: number; project_ids: number[] };
const keys = (o: object) => Object.keys(o).sort();
const idsOf = (items: { id: number }[]) => items.map((i) => i.id);

describe('special projects (3.5.1 /sp_project, 3.5.2 /sp_project/{id}, /admin/sp_projects)', () => {
  let t: TestApp;
  let admin: string;
  let doctor: Account;
  let patient: Account;
  let otherPatient: Account;
  let assistant: Account;
  let hospitalId: number;
  let orgId: number;

  const body = (over: object = {}) => ({
    date: shanghaiDate(3),
    begin: '08:00:00',
    end: '17:00:00',
    people_count: 100,
    addr: '北京市朝阳区社区中心',
    lng: 116.4,
    lat: 39.9,
    abstract: '社区健康日',
    photo: PHOTO,
    price: 0,
    service_target: ['老年人', '儿童'],
    ...over,
  });
  const create = (payload: object, token = admin) =>
    t.http.post('/admin/sp_projects').set('X-auth-token', token).send(payload);
  const made = async (over: object = {}) => (await create(body(over)).expect(200)).body.data as Sp;
  const update = (id: number | string, payload: object, token = admin) =>
    t.http.put(`/admin/sp_projects/${id}`).set('X-auth-token', token).send(payload);
  const attach = (id: number | string, projectId: unknown, token = admin) =>
    t.http
      .post(`/admin/sp_projects/${id}/projects`)
      .set('X-auth-token', token)
      .send({ project_id: projectId });
  const detach = (id: number | string, projectId: number | string, token = admin) =>
    t.http.delete(`/admin/sp_projects/${id}/projects/${projectId}`).set('X-auth-token', token);
  const appList = (q = '', token = patient.token) => t.http.get(`/sp_project${q}`).set('X-auth-token', token);
  const clinics = (id: number | string, q = '', token = patient.token) =>
    t.http.get(`/sp_project/${id}${q}`).set('X-auth-token', token);
  /** The app's object of one special project, found in the whole list. */
  const appView = async (id: number) => {
    const res = await appList('?page_size=100').expect(200);
    return (res.body.data.list as Sp[]).find((s) => s.id === id);
  };
  const audits = (action: string) =>
    t.db.query<{ target_id: string; detail: Record<string, unknown> }[]>(
      'SELECT target_id, detail FROM audit_log WHERE action = $1 ORDER BY id',
      [action],
    );
  const spCount = async () =>
    (await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM sp_project'))[0].n;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    hospitalId = await makeHospital(t, '专题医院');
    [{ id: orgId }] = await t.db.query<{ id: number }[]>(
      `INSERT INTO org (name, logo, abstract) VALUES ('义诊联盟', 'http://files.test/o.png', '志愿者组织') RETURNING id`,
    );
    doctor = await makeDoctor(t, { hospitalId });
    [patient, otherPatient] = [await makePatient(t), await makePatient(t, '李四')];
    assistant = await registerAccount(t.http, 3);
  });
  afterAll(() => t.close());

  describe('POST /admin/sp_projects', () => {
    it('creates a special project: 200 with the operator view, instants in the platform zone, audited', async () => {
      const res = await create(body({ hospital_id: hospitalId, org_id: orgId })).expect(200);
      const sp = res.body.data as Sp;
      expect(res.body.error_code).toBe(0);
      expect(keys(sp)).toEqual(ADMIN_SP);
      expect(sp).toMatchObject({
        date: shanghaiDate(3),
        begin: '08:00:00',
        end: '17:00:00',
        people_count: 100,
        join_people_count: 0,
        addr: '北京市朝阳区社区中心',
        lng: '116.400000',
        lat: '39.900000',
        abstract: '社区健康日',
        photo: PHOTO,
        price: 0,
        status: 1,
        progress_status: 2,
        project_status: 1,
        service_target: ['老年人', '儿童'],
        hospital_info: { id: hospitalId, name: '专题医院' },
        org_info: { id: orgId, name: '义诊联盟', logo: 'http://files.test/o.png', abstract: '志愿者组织' },
        join_user: [],
        hospital_id: hospitalId,
        org_id: orgId,
        project_ids: [],
      });
      const [row] = await t.db.query<{ starts: string; ends: string }[]>(
        `SELECT to_char(starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS starts,
                to_char(ends_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS ends
         FROM sp_project WHERE id = $1`,
        [sp.id],
      );
      expect(row).toEqual({ starts: `${shanghaiDate(3)} 08:00:00`, ends: `${shanghaiDate(3)} 17:00:00` });
      expect((await audits('sp_project.create')).at(-1)).toEqual({
        target_id: String(sp.id),
        detail: {
          date: shanghaiDate(3),
          begin: '08:00:00',
          end: '17:00:00',
          hospital_id: hospitalId,
          org_id: orgId,
        },
      });
    });

    it('accepts a form body with text numbers, HH:mm times, a JSON-string service_target and a yuan price', async () => {
      const res = await t.http
        .post('/admin/sp_projects')
        .set('X-auth-token', admin)
        .type('form')
        .send({
          ...body(),
          begin: '09:30',
          end: '11:00',
          people_count: '30',
          lng: '116.397',
          lat: '39.909',
          price: '12.5',
          service_target: '["孕妇"]',
        })
        .expect(200);
      expect(res.body.data).toMatchObject({
        begin: '09:30:00',
        end: '11:00:00',
        people_count: 30,
        lng: '116.397000',
        lat: '39.909000',
        price: 12.5,
        service_target: ['孕妇'],
        hospital_info: null,
        org_info: null,
        hospital_id: 0,
        org_id: 0,
        photo: PHOTO,
      });
      const [{ price_fen }] = await t.db.query<{ price_fen: number }[]>(
        'SELECT price_fen FROM sp_project WHERE id = $1',
        [res.body.data.id],
      );
      expect(price_fen).toBe(1250);
    });

    it.each([
      ['date', { date: undefined }],
      ['date', { date: '2026/01/01' }],
      ['begin', { begin: '25:00:00' }],
      ['end', { end: undefined }],
      ['people_count', { people_count: 0 }],
      ['people_count', { people_count: 1001 }],
      ['lng', { lng: 181 }],
      ['lat', { lat: 'north' }],
      ['addr', { addr: '  ' }],
      ['service_target', { service_target: [] }],
      ['abstract', { abstract: undefined }],
      ['price', { price: -1 }],
      ['price', { price: 1.234 }],
      ['photo', { photo: 'not-a-url' }],
      ['hospital_id', { hospital_id: 'abc' }],
      ['org_id', { org_id: -1 }],
    ])('a bad %s is a 400 naming it', async (field, over) => {
      const res = await create(body(over));
      expect(expectError(res, 400, 10001).data).toEqual({ field });
      expect(res.body.error_message).toContain(field);
    });

    it('a date that does not exist is a 400; a window that is reversed or over is a 422; nothing is written', async () => {
      const before = await spCount();
      const audited = (await audits('sp_project.create')).length;
      expect(expectError(await create(body({ date: '2030-02-30' })), 400, 10001).data).toEqual({
        field: 'date',
      });
      expectError(await create(body({ begin: '10:00:00', end: '10:00:00' })), 422, 30040);
      expectError(await create(body({ begin: '11:00:00', end: '10:00:00' })), 422, 30040);
      expectError(await create(body({ date: shanghaiDate(-1) })), 422, 30040);
      expect(expectError(await create(body({ hospital_id: 99999999 })), 422, 10052).data).toEqual({
        field: 'hospital_id',
      });
      expectError(await create(body({ org_id: 99999999 })), 422, 10053);
      expect(await spCount()).toBe(before);
      expect(await audits('sp_project.create')).toHaveLength(audited);
    });

    it('only operators: 401 without a token, 403 for every app role', async () => {
      expectError(await t.http.post('/admin/sp_projects').send(body()), 401, 20001);
      for (const token of [patient.token, doctor.token, assistant.token]) {
        expectError(await create(body(), token), 403, 20005);
        expectError(await update(1, {}, token), 403, 20005);
        expectError(await attach(1, 1, token), 403, 20005);
        expectError(await detach(1, 1, token), 403, 20005);
        expectError(await t.http.get('/admin/sp_projects').set('X-auth-token', token), 403, 20005);
      }
    });
  });

  describe('PUT /admin/sp_projects/{id}', () => {
    it('changes only the fields given, audited with their names; an empty body writes and records nothing', async () => {
      const sp = await made({ hospital_id: hospitalId });
      const res = await update(sp.id, { abstract: '新的简介', price: 8, org_id: orgId }).expect(200);
      expect(res.body.data).toMatchObject({
        ...sp,
        abstract: '新的简介',
        price: 8,
        org_id: orgId,
        org_info: { id: orgId },
      });
      expect((await audits('sp_project.update')).at(-1)).toEqual({
        target_id: String(sp.id),
        detail: { fields: ['abstract', 'price_fen', 'org_id'] },
      });
      const audited = (await audits('sp_project.update')).length;
      expect((await update(sp.id, {}).expect(200)).body.data).toEqual(res.body.data);
      expect(await audits('sp_project.update')).toHaveLength(audited);
      // 0 takes a placement away.
      expect((await update(sp.id, { hospital_id: 0 }).expect(200)).body.data).toMatchObject({
        hospital_id: 0,
        hospital_info: null,
      });
    });

    it('a new date or time moves the instants; a reversed or past window is a 422', async () => {
      const sp = await made();
      await update(sp.id, { date: shanghaiDate(5), begin: '13:00:00' }).expect(200);
      const [row] = await t.db.query<{ starts: string; ends: string }[]>(
        `SELECT to_char(starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS starts,
                to_char(ends_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS ends
         FROM sp_project WHERE id = $1`,
        [sp.id],
      );
      expect(row).toEqual({ starts: `${shanghaiDate(5)} 13:00`, ends: `${shanghaiDate(5)} 17:00` });
      expectError(await update(sp.id, { end: '12:00:00' }), 422, 30040);
      expectError(await update(sp.id, { date: shanghaiDate(-2) }), 422, 30040);
      expectError(await update(sp.id, { people_count: 0 }), 400, 10001);
      expectError(await update(sp.id, { status: 2 }), 400, 10001);
    });

    it('an unknown id is a 404; a malformed id a 400', async () => {
      expectError(await update(99999999, { abstract: 'x' }), 404, 30019);
      expectError(await update('abc', { abstract: 'x' }), 400, 10001);
    });
  });

  describe('attaching clinics', () => {
    it('attaches a clinic once (again is not an error), detaches it, each change audited once', async () => {
      const sp = await made();
      const project = await publishProject(t, doctor);
      const first = await attach(sp.id, project.id).expect(200);
      expect(first.body.data.project_ids).toEqual([project.id]);
      const again = await attach(sp.id, String(project.id)).expect(200);
      expect(again.body.data.project_ids).toEqual([project.id]);
      const attached = (await audits('sp_project.attach')).filter((a) => a.target_id === String(sp.id));
      expect(attached).toEqual([{ target_id: String(sp.id), detail: { project_id: project.id } }]);

      expect((await detach(sp.id, project.id).expect(200)).body.data.project_ids).toEqual([]);
      expect((await detach(sp.id, project.id).expect(200)).body.data.project_ids).toEqual([]);
      const detached = (await audits('sp_project.detach')).filter((a) => a.target_id === String(sp.id));
      expect(detached).toHaveLength(1);
    });

    it('an unknown clinic is a 422 on project_id; an unknown special project a 404; a bad project_id a 400', async () => {
      const sp = await made();
      const project = await publishProject(t, doctor);
      expect(expectError(await attach(sp.id, 99999999), 422, 30041).data).toEqual({ field: 'project_id' });
      expectError(await attach(99999999, project.id), 404, 30019);
      expectError(await detach(99999999, project.id), 404, 30019);
      for (const bad of [undefined, 'abc', 0, 1.5]) {
        expect(expectError(await attach(sp.id, bad), 400, 10001).data).toEqual({ field: 'project_id' });
      }
      expectError(await detach(sp.id, 'abc'), 400, 10001);
    });
  });

  describe('GET /sp_project (3.5.1)', () => {
    it('lists exactly seed 2.2.12 objects with the clinics’ figures; never who joined', async () => {
      const sp = await made({ hospital_id: hospitalId, org_id: orgId });
      const a = await publishProject(t, doctor);
      const b = await publishProject(t, doctor, { people_count: 1, begin: '14:00:00', end: '14:30:00' });
      await attach(sp.id, a.id).expect(200);
      await attach(sp.id, b.id).expect(200);
      await joinProject(t, patient, a);
      await joinProject(t, otherPatient, b);
      const view = await appView(sp.id);
      expect(keys(view!)).toEqual(SEED_SP);
      expect(view).toMatchObject({
        join_people_count: 2,
        progress_status: 1,
        project_status: 1,
        join_user: [],
        hospital_info: { id: hospitalId },
        org_info: { id: orgId },
      });
      const hospitals = await t.http.get('/hospital?keyword=专题医院').set('X-auth-token', patient.token);
      expect(view!.hospital_info).toEqual(hospitals.body.data.list[0]);
    });

    it('progress_status: 2 when the open clinics are full or none is attached, 3 when all are over or it is', async () => {
      const full = await made();
      const clinic = await publishProject(t, doctor, { people_count: 1, begin: '15:00:00', end: '15:30:00' });
      await joinProject(t, patient, clinic);
      await attach(full.id, clinic.id).expect(200);
      expect(await appView(full.id)).toMatchObject({ progress_status: 2, join_people_count: 1 });

      const empty = await made();
      expect(await appView(empty.id)).toMatchObject({ progress_status: 2, join_people_count: 0 });

      const over = await made();
      const ended = await publishProject(t, doctor, { begin: '16:00:00', end: '17:00:00' });
      await shiftProject(t, ended.id, -3 * 24 * 60);
      await attach(over.id, ended.id).expect(200);
      expect(await appView(over.id)).toMatchObject({ progress_status: 3, project_status: 1 });

      const past = await made();
      await t.db.query(
        `UPDATE sp_project SET starts_at = now() - interval '3 hours', ends_at = now() - interval '1 hour' WHERE id = $1`,
        [past.id],
      );
      expect(await appView(past.id)).toMatchObject({ progress_status: 3, project_status: 3 });

      const running = await made();
      await t.db.query(
        `UPDATE sp_project SET starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour' WHERE id = $1`,
        [running.id],
      );
      expect(await appView(running.id)).toMatchObject({ project_status: 2 });
    });

    it('a withdrawn special project leaves the apps (list and clinics) but stays in the operator list', async () => {
      const sp = await made();
      await update(sp.id, { status: 0 }).expect(200);
      expect(await appView(sp.id)).toBeUndefined();
      expectError(await clinics(sp.id), 404, 30019);
      const adminList = await t.http.get('/admin/sp_projects?page_size=100').set('X-auth-token', admin);
      expect((adminList.body.data.list as Sp[]).find((s) => s.id === sp.id)).toMatchObject({
        status: 0,
        progress_status: 3,
      });
      await update(sp.id, { status: 1 }).expect(200);
      expect(await appView(sp.id)).toBeDefined();
    });

    it('newest date first', async () => {
      const later = await made({ date: shanghaiDate(9) });
      const sooner = await made({ date: shanghaiDate(8) });
      const sameDayEarlier = await made({ date: shanghaiDate(9), begin: '07:00:00' });
      const list = (await appList('?page_size=100').expect(200)).body.data.list as Sp[];
      const order = idsOf(list).filter((id) => [later.id, sooner.id, sameDayEarlier.id].includes(id));
      expect(order).toEqual([later.id, sameDayEarlier.id, sooner.id]);
    });

    it('any app role may read; operators and anonymous callers may not', async () => {
      for (const token of [patient.token, doctor.token, assistant.token])
        await appList('', token).expect(200);
      expectError(await appList('', admin), 403, 20005);
      expectError(await t.http.get('/sp_project'), 401, 20001);
      expectError(await clinics(1, '', admin), 403, 20005);
    });
  });

  describe('GET /sp_project/{id} (3.5.2)', () => {
    it('pages the clinics as seed 2.2.8 objects, soonest first, as the caller sees them', async () => {
      const sp = await made();
      const late = await publishProject(t, doctor, { date: shanghaiDate(2) });
      const early = await publishProject(t, doctor, { begin: '07:00:00', end: '08:00:00' });
      const unrelated = await publishProject(t, doctor);
      await attach(sp.id, late.id).expect(200);
      await attach(sp.id, early.id).expect(200);
      await joinProject(t, patient, early);

      const res = await clinics(sp.id).expect(200);
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 2, page_size: 10 });
      const list = res.body.data.list as (Record<string, unknown> & { id: number })[];
      expect(idsOf(list)).toEqual([early.id, late.id]);
      expect(idsOf(list)).not.toContain(unrelated.id);
      for (const p of list) expect(keys(p)).toEqual(SEED_PROJECT);
      const detail = await t.http.get(`/project/${early.id}`).set('X-auth-token', patient.token);
      expect(list[0]).toEqual(detail.body.data);
      expect(list[0]).toMatchObject({ is_join: 1, join_people_count: 1 });
      // The clinic's doctor sees who joined; another patient does not.
      const mine = (await clinics(sp.id, '', doctor.token).expect(200)).body.data.list;
      expect(mine[0].join_user).toHaveLength(1);
      const theirs = (await clinics(sp.id, '', otherPatient.token).expect(200)).body.data.list;
      expect(theirs[0]).toMatchObject({ is_join: 0, join_user: [] });
    });

    it('paging edges: past the end, the last partial page, bad values', async () => {
      const sp = await made();
      for (let i = 0; i < 3; i += 1) {
        const p = await publishProject(t, doctor, { begin: `1${i}:00:00`, end: `1${i}:30:00` });
        await attach(sp.id, p.id).expect(200);
      }
      const page2 = await clinics(sp.id, '?page_size=2&current_page=2').expect(200);
      expect(page2.body.data.list).toHaveLength(1);
      expect(page2.body.data.page).toEqual({ current_page: 2, total_page: 2, count: 3, page_size: 2 });
      const past = await clinics(sp.id, '?page_size=2&current_page=9').expect(200);
      expect(past.body.data).toEqual({
        list: [],
        page: { current_page: 9, total_page: 2, count: 3, page_size: 2 },
      });
      const blank = await clinics(sp.id, '?current_page=&page_size=').expect(200);
      expect(blank.body.data.page).toMatchObject({ current_page: 1, page_size: 10 });
      for (const q of ['?page_size=0', '?page_size=101', '?current_page=0', '?current_page=abc']) {
        expectError(await clinics(sp.id, q), 400, 10001);
        expectError(await appList(q), 400, 10001);
      }
    });

    it('an unknown special project is a 404; a malformed id a 400', async () => {
      expectError(await clinics(99999999), 404, 30019);
      expectError(await clinics('abc'), 400, 10001);
      expectError(await clinics(0), 400, 10001);
    });
  });

  describe('query counts do not grow with the page', () => {
    let crowded: Sp;

    beforeAll(async () => {
      // 55 special projects with placements and clinics, and one special project grouping 55 clinics.
      const hospitals = await Promise.all([makeHospital(t), makeHospital(t)]);
      const projects = [];
      for (let i = 0; i < 55; i += 1) {
        projects.push(await publishProject(t, doctor, { date: shanghaiDate(1 + (i % 5)), people_count: 2 }));
      }
      crowded = await made();
      await t.db.query(
        `INSERT INTO sp_project_item (sp_project_id, project_id) SELECT $1, unnest($2::int[])`,
        [crowded.id, projects.map((p) => p.id)],
      );
      const spIds = await t.db.query<{ id: number }[]>(
        `INSERT INTO sp_project (date, "begin", "end", starts_at, ends_at, people_count, addr, lng, lat, abstract,
                                 photo, price_fen, service_target, hospital_id, org_id)
         SELECT s.date, s."begin", s."end", s.starts_at, s.ends_at, s.people_count, s.addr, s.lng, s.lat, s.abstract,
                s.photo, s.price_fen, s.service_target, ($2::int[])[1 + g % 2], CASE WHEN g % 3 = 0 THEN $3::int END
         FROM sp_project s, generate_series(1, 55) g WHERE s.id = $1 RETURNING id`,
        [crowded.id, hospitals, orgId],
      );
      await t.db.query(
        `INSERT INTO sp_project_item (sp_project_id, project_id)
         SELECT sp.id, p.id FROM unnest($1::int[]) WITH ORDINALITY sp(id, n)
         JOIN unnest($2::int[]) WITH ORDINALITY p(id, n) USING (n)`,
        [spIds.map((s) => s.id), projects.map((p) => p.id)],
      );
      await joinProject(t, patient, projects[0]);
    });

    it('3.5.1 /sp_project: page_size 1 costs what page_size 50 does', async () => {
      const one = await countQueries(t, () => appList('?page_size=1').expect(200));
      const fifty = await countQueries(t, async () => {
        const res = await appList('?page_size=50').expect(200);
        expect(res.body.data.list).toHaveLength(50);
      });
      expect(fifty).toBe(one);
    });

    it('3.5.2 /sp_project/{id}: page_size 1 costs what page_size 50 does, for a patient and for the doctor', async () => {
      for (const token of [patient.token, doctor.token]) {
        const one = await countQueries(t, () => clinics(crowded.id, '?page_size=1', token).expect(200));
        const fifty = await countQueries(t, async () => {
          const res = await clinics(crowded.id, '?page_size=50', token).expect(200);
          expect(res.body.data.list).toHaveLength(50);
        });
        expect(fifty).toBe(one);
      }
    });

    it('GET /admin/sp_projects: page_size 1 costs what page_size 50 does', async () => {
      const list = (q: string) => t.http.get(`/admin/sp_projects${q}`).set('X-auth-token', admin);
      const one = await countQueries(t, () => list('?page_size=1').expect(200));
      const fifty = await countQueries(t, async () => {
        const res = await list('?page_size=50').expect(200);
        expect(res.body.data.list).toHaveLength(50);
        for (const sp of res.body.data.list as Sp[]) expect(keys(sp)).toEqual(ADMIN_SP);
      });
      expect(fifty).toBe(one);
    });
  });
});
