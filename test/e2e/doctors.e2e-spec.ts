import { User, UserType } from 'src/modules/users/user.entity';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const IDNO = '11010519491231002X';

interface DoctorRow {
  real_name: string;
  is_verify?: number;
  departments?: string;
  job_position?: string;
  good_at?: string;
  hospital_id?: number | null;
}

describe('doctor directory (3.3.9 GET /doctor/list)', () => {
  let t: TestApp;
  let patient: Account;
  let assistant: Account;
  let caller: Account;
  let admin: string;
  let phones = 0;
  const ids: Record<string, number> = {};
  const hospitals: Record<string, number> = {};
  const orgs: Record<string, number> = {};

  /** Through the entity, which seals phone and ID numbers. */
  const insertDoctor = async (d: DoctorRow): Promise<number> => {
    phones += 1;
    const inserted = await t.db.getRepository(User).insert({
      type: UserType.Doctor,
      phone: `158${String(phones).padStart(8, '0')}`,
      isVerify: d.is_verify ?? 1,
      realName: d.real_name,
      departments: d.departments ?? '',
      jobPosition: d.job_position ?? '',
      goodAt: d.good_at ?? '',
      hospitalId: d.hospital_id ?? null,
      idno: IDNO,
    });
    return inserted.identifiers[0].id as number;
  };
  const setStat = (userId: number, scoreSum: number, scoreCount: number, patients: number) =>
    t.db.query(
      `INSERT INTO user_stat (user_id, score, score_sum, score_count, patient_count) VALUES ($1, $2, $3, $4, $5)`,
      [userId, scoreCount ? scoreSum / scoreCount : 0, scoreSum, scoreCount, patients],
    );
  const member = (orgId: number, doctorId: number, status: number) =>
    t.db.query('INSERT INTO org_member (org_id, doctor_id, verify_status) VALUES ($1, $2, $3)', [
      orgId,
      doctorId,
      status,
    ]);

  const list = (query: Record<string, string | number> = {}, token = patient.token) =>
    t.http.get('/doctor/list').query(query).set('X-auth-token', token);
  const listData = async (query: Record<string, string | number> = {}) =>
    (await list(query).expect(200)).body.data as { list: { id: number }[]; page: Record<string, number> };
  const listIds = async (query: Record<string, string | number> = {}) =>
    (await listData(query)).list.map((d) => d.id);

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    patient = await registerAccount(t.http, 1);
    assistant = await registerAccount(t.http, 3);
    caller = await registerAccount(t.http, 2); // pending: never listed until approved
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    for (const [key, name] of [
      ['people', '省人民医院'],
      ['union', 'Union_Hospital 100%'],
    ]) {
      const [row] = await t.db.query<{ id: number }[]>(
        'INSERT INTO hospital (name) VALUES ($1) RETURNING id',
        [name],
      );
      hospitals[key] = row.id;
    }
    for (const key of ['o1', 'o2']) {
      const [row] = await t.db.query<{ id: number }[]>('INSERT INTO org (name) VALUES ($1) RETURNING id', [
        `组织${key}`,
      ]);
      orgs[key] = row.id;
    }
    // Inserted oldest first: the default order is d4, d3, d2, d1.
    ids.d1 = await insertDoctor({
      real_name: '张三',
      departments: '内科',
      job_position: '主任',
      good_at: '心血管',
      hospital_id: hospitals.people,
    });
    ids.d2 = await insertDoctor({
      real_name: 'Alice Wang',
      departments: '外科',
      job_position: '主治',
      good_at: '骨科',
      hospital_id: hospitals.union,
    });
    ids.d3 = await insertDoctor({
      real_name: '李四',
      departments: '内科',
      job_position: '主治',
      good_at: '糖尿病 50%',
    });
    ids.d4 = await insertDoctor({
      real_name: '王五',
      departments: '儿科',
      job_position: '主任',
      hospital_id: hospitals.people,
    });
    // Would match most filters and top both sorts, but must never be listed.
    ids.pending = await insertDoctor({
      real_name: '张待审',
      is_verify: 0,
      departments: '内科',
      job_position: '主任',
      hospital_id: hospitals.people,
    });
    ids.disabled = await insertDoctor({
      real_name: '张禁用',
      is_verify: 2,
      departments: '内科',
      job_position: '主任',
      hospital_id: hospitals.people,
    });
    await t.db.query(`UPDATE app_user SET real_name = '张患者', departments = '内科' WHERE id = $1`, [
      patient.id,
    ]);
    // Score: d4 ties d1 (the newer first); d3 has no stat row, which counts as zero.
    await setStat(ids.d1, 9, 2, 3);
    await setStat(ids.d2, 3, 1, 10);
    await setStat(ids.d4, 9, 2, 0);
    await setStat(ids.pending, 5, 1, 99);
    await setStat(ids.disabled, 5, 1, 99);
    await member(orgs.o1, ids.d1, 1);
    await member(orgs.o1, ids.d2, 0);
    await member(orgs.o1, ids.d3, 2);
    await member(orgs.o1, ids.pending, 1);
    await member(orgs.o1, ids.disabled, 1);
    await member(orgs.o2, ids.d2, 1);
    await member(orgs.o2, ids.d4, 1);
  });
  afterAll(() => t.close());

  describe('the list', () => {
    it('shows only verified doctors, newest first, paged', async () => {
      const res = await list().expect(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.error_message).toBe('');
      expect(res.body.data.list.map((d: { id: number }) => d.id)).toEqual([ids.d4, ids.d3, ids.d2, ids.d1]);
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 4, page_size: 10 });
    });

    it('each entry is the doctor object others see at /user/{id}: 2.2.4, masked, without token', async () => {
      const res = await list().expect(200);
      for (const entry of res.body.data.list) {
        const profile = await t.http.get(`/user/${entry.id}`).set('X-auth-token', patient.token).expect(200);
        expect(entry).toEqual(profile.body.data);
        expect(entry).not.toHaveProperty('token');
        expect(entry.phone).toMatch(/^158\*{4}\d{4}$/);
        expect(entry.idno).toBe('1101**********002X');
      }
      expect(JSON.stringify(res.body)).not.toContain(IDNO);
      expect(JSON.stringify(res.body)).not.toMatch(/158\d{8}/);
    });

    it('carries hospital name, figures (missing stats are zeros) and only approved orgs', async () => {
      const res = await list().expect(200);
      const byId = new Map(res.body.data.list.map((d: { id: number }) => [d.id, d]));
      expect(byId.get(ids.d1)).toMatchObject({
        type: 2,
        real_name: '张三',
        hospital_id: hospitals.people,
        hospital: '省人民医院',
        departments: '内科',
        job_position: '主任',
        good_at: '心血管',
        score: '4.5',
        patient_count: 3,
        is_verify: 1,
        org_list: [expect.objectContaining({ id: orgs.o1 })],
      });
      expect(byId.get(ids.d3)).toMatchObject({
        hospital_id: 0,
        hospital: '',
        score: '0.0',
        patient_count: 0,
      });
      expect(byId.get(ids.d3)).toMatchObject({ org_list: [] });
      expect(byId.get(ids.d2)).toMatchObject({ org_list: [expect.objectContaining({ id: orgs.o2 })] });
    });

    it('answers every app role, the same list', async () => {
      for (const token of [assistant.token, caller.token]) {
        const res = await list({}, token).expect(200);
        expect(res.body.data.page.count).toBe(4);
      }
    });

    it('refuses operators (403 20005) and requests without token (401 20001)', async () => {
      expectError(await list({}, admin), 403, 20005);
      expectError(await t.http.get('/doctor/list'), 401, 20001);
    });
  });

  describe('filters (combined with AND)', () => {
    it('keyword matches the name, case-insensitively, and never unlisted accounts', async () => {
      expect(await listIds({ keyword: '张' })).toEqual([ids.d1]);
      expect(await listIds({ keyword: 'alice' })).toEqual([ids.d2]);
      expect(await listIds({ keyword: ' WANG ' })).toEqual([ids.d2]);
    });

    it('keyword matches the hospital name or good_at too', async () => {
      expect(await listIds({ keyword: '人民' })).toEqual([ids.d4, ids.d1]);
      expect(await listIds({ keyword: 'union_hosp' })).toEqual([ids.d2]);
      expect(await listIds({ keyword: '糖尿' })).toEqual([ids.d3]);
      expect(await listIds({ keyword: '无此医生' })).toEqual([]);
    });

    it('keyword % and _ are literal characters, not wildcards', async () => {
      expect(await listIds({ keyword: '%' })).toEqual([ids.d3, ids.d2]);
      expect(await listIds({ keyword: '_' })).toEqual([ids.d2]);
      expect(await listIds({ keyword: '5_%' })).toEqual([]);
      expect(await listIds({ keyword: '\\' })).toEqual([]);
    });

    it('departments and job_position match exactly', async () => {
      expect(await listIds({ departments: '内科' })).toEqual([ids.d3, ids.d1]);
      expect(await listIds({ departments: '内' })).toEqual([]);
      expect(await listIds({ job_position: '主任' })).toEqual([ids.d4, ids.d1]);
      expect(await listIds({ departments: '内科', job_position: '主任' })).toEqual([ids.d1]);
    });

    it('hospital_id', async () => {
      expect(await listIds({ hospital_id: hospitals.people })).toEqual([ids.d4, ids.d1]);
      expect(await listIds({ hospital_id: hospitals.people, keyword: '王' })).toEqual([ids.d4]);
      expect(await listIds({ hospital_id: 2147483647 })).toEqual([]);
    });

    it('org_id lists approved members only (not pending, rejected, or unlisted doctors)', async () => {
      expect(await listIds({ org_id: orgs.o1 })).toEqual([ids.d1]);
      expect(await listIds({ org_id: orgs.o2 })).toEqual([ids.d4, ids.d2]);
      expect(await listIds({ org_id: orgs.o2, departments: '外科' })).toEqual([ids.d2]);
      expect(await listIds({ org_id: 2147483647 })).toEqual([]);
    });

    it('empty parameters mean "no filter", as forms built from the seed send them', async () => {
      const all = await listIds();
      const query = 'keyword=&sort=&departments=&job_position=&hospital_id=&org_id=&current_page=&page_size=';
      const res = await t.http.get(`/doctor/list?${query}`).set('X-auth-token', patient.token).expect(200);
      expect(res.body.data.list.map((d: { id: number }) => d.id)).toEqual(all);
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 4, page_size: 10 });
    });
  });

  describe('sorting', () => {
    it('sort 1: highest score first; ties newest first; no stat row counts as 0', async () => {
      expect(await listIds({ sort: 1 })).toEqual([ids.d4, ids.d1, ids.d2, ids.d3]);
    });

    it('sort 2: most patients first; ties (0 and no row) newest first', async () => {
      expect(await listIds({ sort: 2 })).toEqual([ids.d2, ids.d1, ids.d4, ids.d3]);
    });

    it('sorts within the filtered set and pages the sorted order', async () => {
      expect(await listIds({ sort: 1, departments: '内科' })).toEqual([ids.d1, ids.d3]);
      expect(await listIds({ sort: 2, page_size: 2, current_page: 2 })).toEqual([ids.d4, ids.d3]);
    });
  });

  describe('paging', () => {
    it('full page, partial last page, empty page beyond the end', async () => {
      const page = (current_page: number) => listData({ page_size: 3, current_page });
      const first = await page(1);
      expect(first.list.map((d) => d.id)).toEqual([ids.d4, ids.d3, ids.d2]);
      expect(first.page).toEqual({ current_page: 1, total_page: 2, count: 4, page_size: 3 });
      const last = await page(2);
      expect(last.list.map((d) => d.id)).toEqual([ids.d1]);
      expect(last.page).toEqual({ current_page: 2, total_page: 2, count: 4, page_size: 3 });
      const beyond = await page(3);
      expect(beyond).toEqual({ list: [], page: { current_page: 3, total_page: 2, count: 4, page_size: 3 } });
    });

    it('no match: an empty list and zero pages', async () => {
      const res = await list({ keyword: '无此医生' }).expect(200);
      expect(res.body.data).toEqual({
        list: [],
        page: { current_page: 1, total_page: 0, count: 0, page_size: 10 },
      });
    });
  });

  describe('validation: 400 10001 naming the field', () => {
    it.each([
      ['sort', '3'],
      ['sort', '0'],
      ['sort', 'abc'],
      ['hospital_id', 'abc'],
      ['hospital_id', '0'],
      ['hospital_id', '-1'],
      ['hospital_id', '1.5'],
      ['hospital_id', '2147483648'],
      ['org_id', 'abc'],
      ['org_id', '0'],
      ['page_size', '101'],
      ['page_size', '0'],
      ['current_page', '0'],
      ['current_page', 'x'],
      ['keyword', 'x'.repeat(51)],
    ])('%s=%s', async (field, value) => {
      const body = expectError(await list({ [field]: value }), 400, 10001);
      expect(body.error_message).toContain(field);
    });

    it('a repeated key (an array) is refused, not a 500', async () => {
      const res = await t.http
        .get('/doctor/list?departments=a&departments=b')
        .set('X-auth-token', patient.token);
      expectError(res, 400, 10001);
    });
  });

  describe('verification decides who is listed', () => {
    it('a doctor appears once an operator approves them, disappears when disabled; they see themselves masked', async () => {
      await t.db.query(`UPDATE app_user SET real_name = '赵医生' WHERE id = $1`, [caller.id]);
      expect(await listIds({ keyword: '赵医生' })).toEqual([]);

      const verify = (is_verify: number) =>
        t.http
          .post(`/admin/users/${caller.id}/verify`)
          .set('X-auth-token', admin)
          .send({ is_verify })
          .expect(200);
      await verify(1);
      const res = await list({ keyword: '赵医生' }, caller.token).expect(200);
      expect(res.body.data.list.map((d: { id: number }) => d.id)).toEqual([caller.id]);
      expect(res.body.data.list[0].phone).toBe(`${caller.phone.slice(0, 3)}****${caller.phone.slice(-4)}`);
      expect(res.body.data.list[0]).not.toHaveProperty('token');

      await verify(2);
      expect(await listIds({ keyword: '赵医生' })).toEqual([]);
      expect((await list().expect(200)).body.data.page.count).toBe(4);
    });
  });

  describe('a fixed number of queries whatever the page size', () => {
    beforeAll(async () => {
      // 60 more listed doctors, all at the union hospital and in org o2, with stats and orgs to batch.
      await t.db.getRepository(User).insert(
        Array.from({ length: 60 }, (_, i) => ({
          type: UserType.Doctor,
          phone: `157${String(i + 1).padStart(8, '0')}`,
          isVerify: 1,
          realName: `批量医生${i + 1}`,
          departments: '全科',
          hospitalId: hospitals.union,
        })),
      );
      await t.db.query(
        `INSERT INTO user_stat (user_id, score, score_sum, score_count, patient_count)
         SELECT id, 4, 4, 1, id % 7 FROM app_user WHERE real_name LIKE '批量医生%'`,
      );
      await t.db.query(
        `INSERT INTO org_member (org_id, doctor_id, verify_status)
         SELECT $1, id, 1 FROM app_user WHERE real_name LIKE '批量医生%'`,
        [orgs.o2],
      );
    });

    it.each([
      ['no filter', () => ({})],
      ['sort 1', () => ({ sort: 1 })],
      [
        'sort 2, every filter',
        () => ({
          sort: 2,
          keyword: '批量',
          departments: '全科',
          hospital_id: hospitals.union,
          org_id: orgs.o2,
        }),
      ],
    ])('%s', async (_, filters: () => Record<string, number | string>) => {
      const query = filters();
      let entries = 0;
      const run = (page_size: number) =>
        countQueries(t, async () => {
          const res = await list({ ...query, page_size }).expect(200);
          entries = res.body.data.list.length;
        });
      const one = await run(1);
      expect(entries).toBe(1);
      const fifty = await run(50);
      expect(entries).toBe(50);
      expect(fifty).toBe(one);
    });
  });
});
