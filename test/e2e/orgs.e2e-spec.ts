import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const LOGO = 'http://files.test/uploads/202401/org.png';
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Seed 2.2.11 组织信息, field for field. */
const ORG_KEYS = ['id', 'name', 'logo', 'abstract'].sort();
/** Seed 3.2.21 list item, field for field. */
const MEMBER_KEYS = ['id', 'verify_status', 'org_id', 'doctor_id', 'org'].sort();
/** The seed's exact answer to 3.2.19 and 3.2.20. */
const NULL_ENVELOPE = { error_code: 0, data: null, error_message: '' };

interface Org {
  id: number;
  name: string;
  logo: string;
  abstract: string;
}

describe('organisations (3.2.18–3.2.21, 3.3.21, operator /admin/orgs and /admin/org_members)', () => {
  let t: TestApp;
  let admin: string;
  let patient: Account;
  let doctor: Account;
  let other: Account;
  let assistant: Account;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    patient = await registerAccount(t.http, 1);
    doctor = await registerAccount(t.http, 2);
    other = await registerAccount(t.http, 2);
    assistant = await registerAccount(t.http, 3);
  });
  afterAll(() => t.close());

  const as = (token: string | undefined) => ({
    get: (url: string) => (token ? t.http.get(url).set('X-auth-token', token) : t.http.get(url)),
    post: (url: string, body: object = {}) =>
      (token ? t.http.post(url).set('X-auth-token', token) : t.http.post(url)).send(body),
    put: (url: string, body: object = {}) =>
      (token ? t.http.put(url).set('X-auth-token', token) : t.http.put(url)).send(body),
    delete: (url: string) => (token ? t.http.delete(url).set('X-auth-token', token) : t.http.delete(url)),
  });
  const op = () => as(admin);
  const newOrg = async (name: string, extra: object = {}): Promise<Org> => {
    const res = await op().post('/admin/orgs', { name, ...extra });
    expect(res.status).toBe(200);
    return res.body.data as Org;
  };
  const apply = (account: Account, orgId: number | string) => as(account.token).post(`/org_add/${orgId}`);
  const applicationOf = async (account: Account, orgId: number) => {
    const rows = await t.db.query<{ id: number; verify_status: number }[]>(
      'SELECT id, verify_status FROM org_member WHERE doctor_id = $1 AND org_id = $2',
      [account.id, orgId],
    );
    return rows[0];
  };
  const decide = (memberId: number, verify_status: unknown) =>
    op().post(`/admin/org_members/${memberId}/verify`, { verify_status });
  const auditRows = async (action?: string) =>
    (
      await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM audit_log WHERE $1::text IS NULL OR action = $1',
        [action ?? null],
      )
    )[0].n;
  const orgListOf = async (account: Account) =>
    (await as(account.token).get('/user').expect(200)).body.data.org_list as Org[];
  /** Rejected with the expected status and code for every listed caller. */
  const refusedFor = async (
    callers: (string | undefined)[],
    call: (c: ReturnType<typeof as>) => Promise<{ status: number; body: Record<string, unknown> }>,
    status: number,
    code: number,
  ) => {
    for (const token of callers) expectError(await call(as(token)), status, code);
  };

  describe('POST /admin/orgs and PUT /admin/orgs/{id}', () => {
    it('creates an org: exactly 2.2.11, audited', async () => {
      const before = await auditRows('org.create');
      const res = await op()
        .post('/admin/orgs', { name: ' 蓝丝带志愿医疗队 ', logo: LOGO, abstract: '三甲医院医生下沉社区。' })
        .expect(200);
      expect(Object.keys(res.body.data).sort()).toEqual(ORG_KEYS);
      expect(res.body.data).toEqual({
        id: expect.any(Number),
        name: '蓝丝带志愿医疗队',
        logo: LOGO,
        abstract: '三甲医院医生下沉社区。',
      });
      expect(await auditRows('org.create')).toBe(before + 1);
    });

    it('a name alone is enough; form bodies are accepted', async () => {
      const res = await t.http
        .post('/admin/orgs')
        .set('X-auth-token', admin)
        .type('form')
        .send({ name: '乡村健康行' })
        .expect(200);
      expect(res.body.data).toEqual({ id: expect.any(Number), name: '乡村健康行', logo: '', abstract: '' });
    });

    it('updates only the fields sent, audited with what changed', async () => {
      const org = await newOrg('旧名称', { logo: LOGO, abstract: '简介' });
      const res = await op().put(`/admin/orgs/${org.id}`, { name: '新名称' }).expect(200);
      expect(res.body.data).toEqual({ ...org, name: '新名称' });
      const cleared = await op().put(`/admin/orgs/${org.id}`, { logo: '', abstract: '' }).expect(200);
      expect(cleared.body.data).toEqual({ id: org.id, name: '新名称', logo: '', abstract: '' });
      const [log] = await t.db.query<{ target_id: string; detail: object }[]>(
        `SELECT target_id, detail FROM audit_log WHERE action = 'org.update' ORDER BY id DESC LIMIT 1`,
      );
      expect(log).toEqual({ target_id: String(org.id), detail: { logo: '', abstract: '' } });
    });

    it.each([
      ['a missing name', { logo: LOGO }, 'name'],
      ['a blank name', { name: '  ' }, 'name'],
      ['a null name', { name: null }, 'name'],
      ['a 101-character name', { name: '组'.repeat(101) }, 'name'],
      ['a logo that is not a URL', { name: 'x', logo: 'org.png' }, 'logo'],
      ['a 2001-character abstract', { name: 'x', abstract: '字'.repeat(2001) }, 'abstract'],
      ['a null abstract', { name: 'x', abstract: null }, 'abstract'],
    ])('create with %s is a 400 10001 naming the field; nothing is created', async (_name, body, field) => {
      const [{ n }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM org');
      const res = expectError(await op().post('/admin/orgs', body), 400, 10001);
      expect(res.data).toEqual({ field });
      const [{ n: after }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM org');
      expect(after).toBe(n);
    });

    it.each([
      ['a blank name', { name: '' }, 'name'],
      ['a null name', { name: null }, 'name'],
      ['a bad logo', { logo: 'ftp://x.test/a.png' }, 'logo'],
    ])('update with %s is a 400 10001', async (_name, body, field) => {
      const org = await newOrg('待改组织');
      const res = expectError(await op().put(`/admin/orgs/${org.id}`, body), 400, 10001);
      expect(res.data).toEqual({ field });
    });

    it('update: ids abc/0 are a 400 10001, an unknown id a 404 10031 (not audited)', async () => {
      for (const id of ['abc', '0', '-3'])
        expectError(await op().put(`/admin/orgs/${id}`, { name: 'x' }), 400, 10001);
      const before = await auditRows();
      expectError(await op().put('/admin/orgs/2147483647', { name: 'x' }), 404, 10031);
      expect(await auditRows()).toBe(before);
    });

    it('app accounts get 403 20005, no token 401 20001', async () => {
      const org = await newOrg('权限测试组织');
      const accounts = [patient.token, doctor.token, assistant.token];
      await refusedFor(accounts, (c) => c.post('/admin/orgs', { name: 'x' }), 403, 20005);
      await refusedFor(accounts, (c) => c.put(`/admin/orgs/${org.id}`, { name: 'x' }), 403, 20005);
      await refusedFor([undefined], (c) => c.post('/admin/orgs', { name: 'x' }), 401, 20001);
      await refusedFor([undefined], (c) => c.put(`/admin/orgs/${org.id}`, { name: 'x' }), 401, 20001);
      const [row] = await t.db.query<{ name: string }[]>('SELECT name FROM org WHERE id = $1', [org.id]);
      expect(row.name).toBe('权限测试组织');
    });
  });

  describe('GET /org (3.2.18 / 3.3.21)', () => {
    const MARK = '列表组织';
    const TOTAL = 51;
    let ids: number[];

    beforeAll(async () => {
      const rows = await t.db.query<{ id: number }[]>(
        `INSERT INTO org (name, abstract) SELECT '${MARK}' || lpad(g::text, 2, '0'), '简介' || g
         FROM generate_series(1, ${TOTAL}) g RETURNING id`,
      );
      ids = rows.map((r) => r.id).sort((a, b) => a - b);
      for (const name of ['Blue Ribbon Team', 'BLUE sky', '50%_公益']) await newOrg(name);
    });

    const kw = (k: string) => `?keyword=${encodeURIComponent(k)}`;
    const names = (res: { body: { data: { list: Org[] } } }) => res.body.data.list.map((o) => o.name);

    it('every app role and operators get exactly 2.2.11 objects with the page object', async () => {
      for (const token of [patient.token, doctor.token, assistant.token, admin]) {
        const res = await as(token)
          .get(`/org${kw(MARK)}`)
          .expect(200);
        expect(res.body.data.list).toHaveLength(10);
        expect(Object.keys(res.body.data.list[0]).sort()).toEqual(ORG_KEYS);
        expect(res.body.data.list[0]).toEqual({ id: ids[0], name: `${MARK}01`, logo: '', abstract: '简介1' });
        expect(res.body.data.page).toEqual({ current_page: 1, total_page: 6, count: TOTAL, page_size: 10 });
      }
    });

    it('no token is a 401 20001', async () => {
      expectError(await t.http.get('/org'), 401, 20001);
    });

    it('keyword matches case-insensitively anywhere in the name; % and _ are literal', async () => {
      expect(
        names(
          await as(doctor.token)
            .get(`/org${kw('blue')}`)
            .expect(200),
        ),
      ).toEqual(['Blue Ribbon Team', 'BLUE sky']);
      expect(
        names(
          await as(doctor.token)
            .get(`/org${kw('RIBBON')}`)
            .expect(200),
        ),
      ).toEqual(['Blue Ribbon Team']);
      expect(
        names(
          await as(doctor.token)
            .get(`/org${kw('%_')}`)
            .expect(200),
        ),
      ).toEqual(['50%_公益']);
      expect(
        names(
          await as(doctor.token)
            .get(`/org${kw('_')}`)
            .expect(200),
        ),
      ).toEqual(['50%_公益']);
    });

    it('the last page is partial, a page beyond the end empty, page_size 100 everything', async () => {
      const last = await as(doctor.token)
        .get(`/org${kw(MARK)}&page_size=25&current_page=3`)
        .expect(200);
      expect(last.body.data.list.map((o: Org) => o.id)).toEqual(ids.slice(50));
      expect(last.body.data.page).toEqual({ current_page: 3, total_page: 3, count: TOTAL, page_size: 25 });
      const beyond = await as(doctor.token)
        .get(`/org${kw(MARK)}&page_size=25&current_page=4`)
        .expect(200);
      expect(beyond.body.data.list).toEqual([]);
      expect(beyond.body.data.page.count).toBe(TOTAL);
      const all = await as(doctor.token)
        .get(`/org${kw(MARK)}&page_size=100`)
        .expect(200);
      expect(all.body.data.list.map((o: Org) => o.id)).toEqual(ids);
    });

    it.each([
      'page_size=101',
      'page_size=0',
      'current_page=0',
      'current_page=x',
      `keyword=${'k'.repeat(51)}`,
    ])('?%s is a 400 10001', async (q) => {
      expectError(await as(doctor.token).get(`/org?${q}`), 400, 10001);
    });

    it('runs a fixed number of SQL queries whatever the page size', async () => {
      const get = (q: string) => () => as(doctor.token).get(`/org${q}`).expect(200);
      await get('')();
      const one = await countQueries(t, get(`${kw(MARK)}&page_size=1`));
      const fifty = await countQueries(t, get(`${kw(MARK)}&page_size=50`));
      expect(fifty).toBe(one);
      const overhead = await countQueries(t, () => as(doctor.token).get('/org?page_size=101').expect(400));
      expect(one - overhead).toBe(2); // page + count
    });
  });

  describe('POST /org_add/{org_id} (3.2.19)', () => {
    let org: Org;
    beforeAll(async () => {
      org = await newOrg('申请测试组织');
    });

    it('a doctor applies: data null exactly as the seed shows, pending', async () => {
      const res = await apply(doctor, org.id).expect(200);
      expect(res.body).toEqual(NULL_ENVELOPE);
      expect(await applicationOf(doctor, org.id)).toMatchObject({ verify_status: 0 });
    });

    it('applying again while pending is a 409 10032; once approved a 409 10033', async () => {
      expectError(await apply(doctor, org.id), 409, 10032);
      const { id } = await applicationOf(doctor, org.id);
      await decide(id, 1).expect(200);
      expectError(await apply(doctor, org.id), 409, 10033);
      expect(await applicationOf(doctor, org.id)).toEqual({ id, verify_status: 1 });
    });

    it('after a rejection, applying again reopens the same application as pending', async () => {
      const target = await newOrg('拒绝后再申请');
      await apply(other, target.id).expect(200);
      const { id } = await applicationOf(other, target.id);
      await decide(id, 2).expect(200);
      const again = await apply(other, target.id).expect(200);
      expect(again.body).toEqual(NULL_ENVELOPE);
      expect(await applicationOf(other, target.id)).toEqual({ id, verify_status: 0 });
    });

    it('simultaneous applications create one row: one 200, the rest 409 10032', async () => {
      const target = await newOrg('并发申请');
      const doc = await registerAccount(t.http, 2);
      const results = await Promise.all(Array.from({ length: 8 }, () => apply(doc, target.id)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 10032);
      const rows = await t.db.query<unknown[]>('SELECT id FROM org_member WHERE org_id = $1', [target.id]);
      expect(rows).toHaveLength(1);
    });

    it('an unknown org is a 404 10031; ids abc/0 a 400 10001', async () => {
      expectError(await apply(doctor, 2147483647), 404, 10031);
      for (const id of ['abc', '0', '1.5']) expectError(await apply(doctor, id), 400, 10001);
    });

    it('patients, assistants and operators get 403 20005; no token 401 20001; nothing is stored', async () => {
      const target = await newOrg('非医生申请');
      await refusedFor(
        [patient.token, assistant.token, admin],
        (c) => c.post(`/org_add/${target.id}`),
        403,
        20005,
      );
      await refusedFor([undefined], (c) => c.post(`/org_add/${target.id}`), 401, 20001);
      const rows = await t.db.query<unknown[]>('SELECT id FROM org_member WHERE org_id = $1', [target.id]);
      expect(rows).toHaveLength(0);
    });
  });

  describe('GET /org/my (3.2.21) and DELETE /org_remove/{id} (3.2.20)', () => {
    let doc: Account;
    let rival: Account;
    const orgs: Org[] = [];

    beforeAll(async () => {
      doc = await registerAccount(t.http, 2);
      rival = await registerAccount(t.http, 2);
      for (const name of ['甲组织', '乙组织', '丙组织'])
        orgs.push(await newOrg(name, { logo: LOGO, abstract: name }));
      for (const o of orgs) await apply(doc, o.id).expect(200);
      await apply(rival, orgs[0].id).expect(200);
    });

    const mine = (account: Account, q = '') => as(account.token).get(`/org/my${q}`);

    it('lists the doctor’s own applications newest first, exactly as the seed shows', async () => {
      const res = await mine(doc).expect(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 3, page_size: 10 });
      const list = res.body.data.list;
      for (const item of list) {
        expect(Object.keys(item).sort()).toEqual(MEMBER_KEYS);
        expect(Object.keys(item.org).sort()).toEqual(ORG_KEYS);
      }
      expect(list.map((m: { org_id: number }) => m.org_id)).toEqual([orgs[2].id, orgs[1].id, orgs[0].id]);
      expect(list[2]).toEqual({
        id: (await applicationOf(doc, orgs[0].id)).id,
        verify_status: 0,
        org_id: orgs[0].id,
        doctor_id: doc.id,
        org: orgs[0],
      });
      const theirs = await mine(rival).expect(200);
      expect(theirs.body.data.list.map((m: { doctor_id: number }) => m.doctor_id)).toEqual([rival.id]);
    });

    it('shows decisions: approved 1, rejected 2', async () => {
      await decide((await applicationOf(doc, orgs[1].id)).id, 1).expect(200);
      await decide((await applicationOf(doc, orgs[2].id)).id, 2).expect(200);
      const res = await mine(doc).expect(200);
      expect(res.body.data.list.map((m: { verify_status: number }) => m.verify_status)).toEqual([2, 1, 0]);
    });

    it('pages: the last page partial, beyond the end empty; page_size 101 a 400', async () => {
      const last = await mine(doc, '?page_size=2&current_page=2').expect(200);
      expect(last.body.data.list.map((m: { org_id: number }) => m.org_id)).toEqual([orgs[0].id]);
      expect(last.body.data.page).toEqual({ current_page: 2, total_page: 2, count: 3, page_size: 2 });
      const beyond = await mine(doc, '?page_size=2&current_page=3').expect(200);
      expect(beyond.body.data).toEqual({
        list: [],
        page: { current_page: 3, total_page: 2, count: 3, page_size: 2 },
      });
      expectError(await mine(doc, '?page_size=101'), 400, 10001);
      expectError(await mine(doc, '?current_page=0'), 400, 10001);
    });

    it('a doctor without applications gets an empty page', async () => {
      const fresh = await registerAccount(t.http, 2);
      expect((await mine(fresh).expect(200)).body.data).toEqual({
        list: [],
        page: { current_page: 1, total_page: 0, count: 0, page_size: 10 },
      });
    });

    it('patients, assistants and operators get 403 20005 on /org/my; no token 401', async () => {
      await refusedFor([patient.token, assistant.token, admin], (c) => c.get('/org/my'), 403, 20005);
      await refusedFor([undefined], (c) => c.get('/org/my'), 401, 20001);
    });

    it('runs a fixed number of SQL queries whatever the page size', async () => {
      const many = await registerAccount(t.http, 2);
      await t.db.query(
        `INSERT INTO org_member (org_id, doctor_id, verify_status)
         SELECT id, $1, (id % 3)::smallint FROM org ORDER BY id LIMIT 55`,
        [many.id],
      );
      await mine(many).expect(200);
      const one = await countQueries(t, () => mine(many, '?page_size=1').expect(200));
      const fifty = await countQueries(t, async () => {
        const res = await mine(many, '?page_size=50').expect(200);
        expect(res.body.data.list).toHaveLength(50);
      });
      expect(fifty).toBe(one);
      const overhead = await countQueries(t, () => mine(many, '?page_size=101').expect(400));
      expect(one - overhead).toBe(2);
    });

    it('another doctor’s application id is a 404 10034 and stays; unknown 404; abc/0 400', async () => {
      const rivalApp = await applicationOf(rival, orgs[0].id);
      expectError(await as(doc.token).delete(`/org_remove/${rivalApp.id}`), 404, 10034);
      expect(await applicationOf(rival, orgs[0].id)).toEqual(rivalApp);
      expectError(await as(doc.token).delete('/org_remove/2147483647'), 404, 10034);
      for (const id of ['abc', '0']) expectError(await as(doc.token).delete(`/org_remove/${id}`), 400, 10001);
    });

    it('patients, assistants and operators get 403 20005; no token 401; the row stays', async () => {
      const own = await applicationOf(doc, orgs[0].id);
      await refusedFor(
        [patient.token, assistant.token, admin],
        (c) => c.delete(`/org_remove/${own.id}`),
        403,
        20005,
      );
      await refusedFor([undefined], (c) => c.delete(`/org_remove/${own.id}`), 401, 20001);
      expect(await applicationOf(doc, orgs[0].id)).toEqual(own);
    });

    it('withdraws a pending application: data null, gone from /org/my, and the doctor may apply again', async () => {
      const pending = await applicationOf(doc, orgs[0].id);
      const res = await as(doc.token).delete(`/org_remove/${pending.id}`).expect(200);
      expect(res.body).toEqual(NULL_ENVELOPE);
      expect(await applicationOf(doc, orgs[0].id)).toBeUndefined();
      const list = await mine(doc).expect(200);
      expect(list.body.data.list.map((m: { id: number }) => m.id)).not.toContain(pending.id);
      expectError(await as(doc.token).delete(`/org_remove/${pending.id}`), 404, 10034);
      await apply(doc, orgs[0].id).expect(200);
    });

    it('leaving an approved org removes it from the doctor’s org_list', async () => {
      expect((await orgListOf(doc)).map((o) => o.id)).toEqual([orgs[1].id]);
      const member = await applicationOf(doc, orgs[1].id);
      await as(doc.token).delete(`/org_remove/${member.id}`).expect(200);
      expect(await orgListOf(doc)).toEqual([]);
    });
  });

  describe('GET /admin/org_members and POST /admin/org_members/{id}/verify', () => {
    let a: TestApp;
    let adm: string;
    let d1: Account;
    let d2: Account;
    let o1: Org;
    let o2: Org;
    let apps: { id: number }[];

    /** A fresh database holding only known applications, so counts are exact. */
    beforeAll(async () => {
      a = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
      adm = await operatorToken(a.http, ADMIN_PHONE, ADMIN_PASSWORD);
      d1 = await registerAccount(a.http, 2);
      d2 = await registerAccount(a.http, 2);
      await a.db.query(`UPDATE app_user SET real_name = '李医生' WHERE id = $1`, [d1.id]);
      const org = async (name: string) =>
        (await a.http.post('/admin/orgs').set('X-auth-token', adm).send({ name, logo: LOGO }).expect(200))
          .body.data as Org;
      o1 = await org('一号组织');
      o2 = await org('二号组织');
      apps = [];
      for (const [doc, o] of [
        [d1, o1],
        [d1, o2],
        [d2, o1],
      ] as const) {
        await a.http.post(`/org_add/${o.id}`).set('X-auth-token', doc.token).expect(200);
        const [row] = await a.db.query<{ id: number }[]>(
          'SELECT id FROM org_member WHERE doctor_id = $1 AND org_id = $2',
          [doc.id, o.id],
        );
        apps.push(row);
      }
    });
    afterAll(() => a.close());

    const list = (q = '') => a.http.get(`/admin/org_members${q}`).set('X-auth-token', adm);
    const verify = (id: number | string, body: object) =>
      a.http.post(`/admin/org_members/${id}/verify`).set('X-auth-token', adm).send(body);
    const ids = (res: { body: { data: { list: { id: number }[] } } }) => res.body.data.list.map((m) => m.id);
    const audits = async () =>
      (await a.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_log'))[0].n;

    it('lists applications newest first with the org and the applicant (full phone)', async () => {
      const res = await list().expect(200);
      expect(ids(res)).toEqual(apps.map((x) => x.id).reverse());
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 3, page_size: 10 });
      const first = res.body.data.list[2];
      expect(first).toEqual({
        id: apps[0].id,
        verify_status: 0,
        org_id: o1.id,
        doctor_id: d1.id,
        org: o1,
        doctor: { id: d1.id, real_name: '李医生', phone: d1.phone },
        created_at: expect.stringMatching(DATETIME),
      });
    });

    it('filters by verify_status and org_id; empty filters mean none', async () => {
      expect(ids(await list(`?org_id=${o1.id}`).expect(200))).toEqual([apps[2].id, apps[0].id]);
      expect(ids(await list('?verify_status=0&org_id=').expect(200))).toHaveLength(3);
      expect(ids(await list('?verify_status=1').expect(200))).toEqual([]);
      expect((await list('?verify_status=&org_id=').expect(200)).body.data.page.count).toBe(3);
    });

    it.each([
      'verify_status=3',
      'verify_status=x',
      'org_id=abc',
      'org_id=0',
      'page_size=101',
      'current_page=0',
    ])('?%s is a 400 10001', async (q) => {
      expectError(await list(`?${q}`), 400, 10001);
    });

    it('approves: audited, the doctor’s org_list shows the approved org only', async () => {
      const before = await audits();
      const res = await verify(apps[0].id, { verify_status: 1 }).expect(200);
      expect(res.body.data).toEqual({ id: apps[0].id, verify_status: 1, org_id: o1.id, doctor_id: d1.id });
      expect(await audits()).toBe(before + 1);
      const [log] = await a.db.query<{ action: string; target_id: string; detail: object }[]>(
        'SELECT action, target_id, detail FROM audit_log ORDER BY id DESC LIMIT 1',
      );
      expect(log).toEqual({
        action: 'org_member.verify',
        target_id: String(apps[0].id),
        detail: { org_id: o1.id, doctor_id: d1.id, from: 0, to: 1 },
      });
      const me = await a.http.get('/user').set('X-auth-token', d1.token).expect(200);
      expect(me.body.data.org_list).toEqual([o1]); // o2 is still pending
      const seen = await a.http.get(`/user/${d1.id}`).set('X-auth-token', d2.token).expect(200);
      expect(seen.body.data.org_list).toEqual([o1]);
      expect(ids(await list('?verify_status=1').expect(200))).toEqual([apps[0].id]);
    });

    it('rejects (form body too); a rejected org is not in org_list; a decision can be reversed', async () => {
      await a.http
        .post(`/admin/org_members/${apps[1].id}/verify`)
        .set('X-auth-token', adm)
        .type('form')
        .send({ verify_status: '2' })
        .expect(200);
      expect((await a.http.get('/user').set('X-auth-token', d1.token)).body.data.org_list).toEqual([o1]);
      await verify(apps[0].id, { verify_status: 2 }).expect(200);
      expect((await a.http.get('/user').set('X-auth-token', d1.token)).body.data.org_list).toEqual([]);
      await verify(apps[0].id, { verify_status: 1 }).expect(200);
      expect((await a.http.get('/user').set('X-auth-token', d1.token)).body.data.org_list).toEqual([o1]);
    });

    it.each([
      ['a missing verify_status', {}],
      ['verify_status 0', { verify_status: 0 }],
      ['verify_status 3', { verify_status: 3 }],
      ['a text verify_status', { verify_status: 'yes' }],
    ])('%s is a 400 10001, not audited', async (_name, body) => {
      const before = await audits();
      const res = expectError(await verify(apps[2].id, body), 400, 10001);
      expect(res.data).toEqual({ field: 'verify_status' });
      expect(await audits()).toBe(before);
    });

    it('ids abc/0 are a 400 10001; an unknown id a 404 10034; neither audited', async () => {
      const before = await audits();
      for (const id of ['abc', '0']) expectError(await verify(id, { verify_status: 1 }), 400, 10001);
      expectError(await verify(2147483647, { verify_status: 1 }), 404, 10034);
      expect(await audits()).toBe(before);
    });

    it('app accounts get 403 20005 and no token 401 20001 on both routes; nothing changes', async () => {
      const callers = [d1.token, d2.token, (await registerAccount(a.http, 1)).token];
      for (const token of callers) {
        expectError(await a.http.get('/admin/org_members').set('X-auth-token', token), 403, 20005);
        expectError(
          await a.http
            .post(`/admin/org_members/${apps[2].id}/verify`)
            .set('X-auth-token', token)
            .send({ verify_status: 1 }),
          403,
          20005,
        );
      }
      expectError(await a.http.get('/admin/org_members'), 401, 20001);
      expectError(
        await a.http.post(`/admin/org_members/${apps[2].id}/verify`).send({ verify_status: 1 }),
        401,
        20001,
      );
      const [row] = await a.db.query<{ verify_status: number }[]>(
        'SELECT verify_status FROM org_member WHERE id = $1',
        [apps[2].id],
      );
      expect(row.verify_status).toBe(0);
    });

    it('runs a fixed number of SQL queries whatever the page size', async () => {
      await a.db.query(`INSERT INTO org (name) SELECT '批量' || g FROM generate_series(1, 55) g`);
      await a.db.query(
        `INSERT INTO org_member (org_id, doctor_id) SELECT id, $1 FROM org WHERE name LIKE '批量%'`,
        [d2.id],
      );
      await list().expect(200);
      const one = await countQueries(a, () => list('?page_size=1').expect(200));
      const fifty = await countQueries(a, async () => {
        const res = await list('?page_size=50').expect(200);
        expect(res.body.data.list).toHaveLength(50);
        expect(
          res.body.data.list.every((m: { doctor: { phone: string } }) => m.doctor.phone.length === 11),
        ).toBe(true);
      });
      expect(fifty).toBe(one);
      const overhead = await countQueries(a, () => list('?page_size=101').expect(400));
      expect(one - overhead).toBe(2);
    });
  });
});
