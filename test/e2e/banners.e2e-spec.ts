import { BannersService } from 'src/modules/banners/banners.service';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
/** Seed 2.2.1 banner广告, field for field. */
const SEED_BANNER = ['href', 'id', 'jump_id', 'jump_mode', 'photo', 'title'];
const ADMIN_BANNER = [...SEED_BANNER, 'app_type', 'hospital_id', 'org_id', 'sort'].sort();
const PHOTO = 'http://files.test/uploads/2024/banner.jpg';

interface AdminBanner {
  id: number;
  app_type: number;
  sort: number;
  hospital_id: number;
  org_id: number;
}

describe('banners (/admin/banners, BannersService.forHomepage)', () => {
  let t: TestApp;
  let admin: string;
  let patient: Account;
  let doctor: Account;
  let assistant: Account;
  let hospitalId: number;
  let orgId: number;
  let banners: BannersService;

  const auditRows = (action: string) =>
    t.db.query<{ target_id: string; detail: Record<string, unknown> }[]>(
      'SELECT target_id, detail FROM audit_log WHERE action = $1 ORDER BY id DESC',
      [action],
    );
  const bannerCount = async () =>
    (await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM banner'))[0].n;
  const create = (body: object, token = admin) =>
    t.http.post('/admin/banners').set('X-auth-token', token).send(body);
  const created = async (body: object = {}) =>
    (await create({ app_type: 1, title: '活动', photo: PHOTO, ...body }).expect(200)).body
      .data as AdminBanner;
  const update = (id: number | string, body: object, token = admin) =>
    t.http.put(`/admin/banners/${id}`).set('X-auth-token', token).send(body);
  const remove = (id: number | string, token = admin) =>
    t.http.delete(`/admin/banners/${id}`).set('X-auth-token', token);
  const list = (q = '', token = admin) => t.http.get(`/admin/banners${q}`).set('X-auth-token', token);
  const ids = (items: { id: number }[]) => items.map((b) => b.id);

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    [patient, doctor, assistant] = await Promise.all(
      [1, 2, 3].map((type) => registerAccount(t.http, type as 1)),
    );
    [{ id: hospitalId }] = await t.db.query<{ id: number }[]>(
      `INSERT INTO hospital (name) VALUES ('省人民医院') RETURNING id`,
    );
    [{ id: orgId }] = await t.db.query<{ id: number }[]>(
      `INSERT INTO org (name) VALUES ('义诊联盟') RETURNING id`,
    );
    banners = t.app.get(BannersService);
  });
  afterAll(() => t.close());

  describe('POST /admin/banners', () => {
    it('creates a banner: 200 with the operator view, audited; homepages get exactly seed 2.2.1', async () => {
      const res = await create({
        app_type: 2,
        title: ' 医生招募 ',
        photo: PHOTO,
        jump_mode: 2,
        jump_id: 7,
        href: '',
        sort: 5,
      }).expect(200);
      expect(res.body).toEqual({
        error_code: 0,
        data: {
          id: expect.any(Number),
          app_type: 2,
          title: '医生招募',
          photo: PHOTO,
          jump_mode: 2,
          jump_id: 7,
          href: '',
          hospital_id: 0,
          org_id: 0,
          sort: 5,
        },
        error_message: '',
      });
      const id = res.body.data.id as number;
      expect(await banners.forHomepage(2)).toEqual([
        { id, title: '医生招募', photo: PHOTO, jump_mode: 2, jump_id: 7, href: '' },
      ]);
      const [entry] = await auditRows('banner.create');
      expect(entry).toEqual({
        target_id: String(id),
        detail: { app_type: 2, title: '医生招募', hospital_id: null, org_id: null },
      });
    });

    it('defaults: no jump, jump_id 0, empty href, sort 0; a link banner keeps its href', async () => {
      const plain = await created();
      expect(plain).toMatchObject({ jump_mode: 0, jump_id: 0, href: '', sort: 0, hospital_id: 0, org_id: 0 });
      const link = await created({ jump_mode: 1, href: 'https://example.com/a?b=1' });
      expect(link).toMatchObject({ jump_mode: 1, href: 'https://example.com/a?b=1' });
    });

    it('accepts a form-encoded body with text numbers and places a banner on a hospital or org', async () => {
      const res = await t.http
        .post('/admin/banners')
        .set('X-auth-token', admin)
        .type('form')
        .send({
          app_type: '3',
          title: '表单',
          photo: PHOTO,
          jump_mode: '0',
          sort: '-2',
          hospital_id: String(hospitalId),
        })
        .expect(200);
      expect(res.body.data).toMatchObject({ app_type: 3, sort: -2, hospital_id: hospitalId, org_id: 0 });
      expect((await created({ org_id: orgId })).org_id).toBe(orgId);
    });

    it('a placement on an unknown hospital or org is a 422 and writes nothing', async () => {
      const before = await bannerCount();
      const audits = (await auditRows('banner.create')).length;
      expect(
        expectError(
          await create({ app_type: 1, title: 'x', photo: PHOTO, hospital_id: 99999999 }),
          422,
          10052,
        ).data,
      ).toEqual({
        field: 'hospital_id',
      });
      expectError(await create({ app_type: 1, title: 'x', photo: PHOTO, org_id: 99999999 }), 422, 10053);
      expect(await bannerCount()).toBe(before);
      expect(await auditRows('banner.create')).toHaveLength(audits);
    });

    const valid = { app_type: 1, title: '标题', photo: PHOTO };
    it.each([
      ['a missing app_type', { title: 'x', photo: PHOTO }, 'app_type'],
      ['a missing title', { app_type: 1, photo: PHOTO }, 'title'],
      ['a missing photo', { app_type: 1, title: 'x' }, 'photo'],
      ['app_type 4', { ...valid, app_type: 4 }, 'app_type'],
      ['app_type "abc"', { ...valid, app_type: 'abc' }, 'app_type'],
      ['a blank title', { ...valid, title: ' ' }, 'title'],
      ['a 201-character title', { ...valid, title: 'x'.repeat(201) }, 'title'],
      ['an empty photo', { ...valid, photo: '' }, 'photo'],
      ['a photo that is no URL', { ...valid, photo: '/uploads/a.jpg' }, 'photo'],
      ['jump_mode -1', { ...valid, jump_mode: -1 }, 'jump_mode'],
      ['jump_mode "x"', { ...valid, jump_mode: 'x' }, 'jump_mode'],
      ['jump_id -3', { ...valid, jump_id: -3 }, 'jump_id'],
      ['jump_id 1.5', { ...valid, jump_id: 1.5 }, 'jump_id'],
      ['an href that is no http(s) URL', { ...valid, href: 'ftp://example.com' }, 'href'],
      ['jump_mode 1 without href', { ...valid, jump_mode: 1 }, 'href'],
      ['jump_mode 2 without jump_id', { ...valid, jump_mode: 2 }, 'jump_id'],
      ['sort "first"', { ...valid, sort: 'first' }, 'sort'],
      ['sort 2000000', { ...valid, sort: 2_000_000 }, 'sort'],
      ['hospital_id "abc"', { ...valid, hospital_id: 'abc' }, 'hospital_id'],
      ['org_id -1', { ...valid, org_id: -1 }, 'org_id'],
    ])('%s is a 400 10001 naming the field, and writes nothing', async (_name, body, field) => {
      const before = await bannerCount();
      expect(expectError(await create(body), 400, 10001).error_message).toContain(field);
      expect(await bannerCount()).toBe(before);
    });

    it('only operators: app accounts 403 20005, no token 401 20001', async () => {
      for (const a of [patient, doctor, assistant]) expectError(await create(valid, a.token), 403, 20005);
      expectError(await t.http.post('/admin/banners').send(valid), 401, 20001);
    });
  });

  describe('PUT and DELETE /admin/banners/{id}', () => {
    let banner: AdminBanner;
    beforeAll(async () => {
      banner = await created({ app_type: 3, title: '原', hospital_id: hospitalId });
    });

    it('changes only the fields given, audited with their names', async () => {
      const res = await update(banner.id, { title: '新', sort: 9, org_id: orgId }).expect(200);
      expect(res.body.data).toMatchObject({
        id: banner.id,
        app_type: 3,
        title: '新',
        photo: PHOTO,
        sort: 9,
        hospital_id: hospitalId,
        org_id: orgId,
      });
      expect(Object.keys(res.body.data).sort()).toEqual(ADMIN_BANNER);
      const [entry] = await auditRows('banner.update');
      expect(entry).toEqual({
        target_id: String(banner.id),
        detail: { fields: ['title', 'org_id', 'sort'] },
      });
    });

    it('hospital_id 0 takes the placement away; an empty body changes nothing and is not audited', async () => {
      expect((await update(banner.id, { hospital_id: 0 }).expect(200)).body.data.hospital_id).toBe(0);
      const audits = (await auditRows('banner.update')).length;
      expect((await update(banner.id, {}).expect(200)).body.data).toMatchObject({
        id: banner.id,
        title: '新',
      });
      expect(await auditRows('banner.update')).toHaveLength(audits);
    });

    it('checks the jump rules on the banner as it would become', async () => {
      expect(expectError(await update(banner.id, { jump_mode: 1 }), 400, 10001).error_message).toContain(
        'href',
      );
      await update(banner.id, { jump_mode: 1, href: 'http://example.com' }).expect(200);
      expect(expectError(await update(banner.id, { href: '' }), 400, 10001).error_message).toContain('href');
      expect(expectError(await update(banner.id, { jump_mode: 3 }), 400, 10001).error_message).toContain(
        'jump_id',
      );
      const res = await update(banner.id, { jump_mode: 3, jump_id: 12 }).expect(200);
      expect(res.body.data).toMatchObject({ jump_mode: 3, jump_id: 12, href: 'http://example.com' });
    });

    it.each([
      ['app_type 0', { app_type: 0 }, 'app_type'],
      ['an empty title', { title: '' }, 'title'],
      ['a bad photo', { photo: 'nope' }, 'photo'],
      ['a bad sort', { sort: 'x' }, 'sort'],
    ])('%s is a 400 10001 naming the field', async (_name, body, field) => {
      expect(expectError(await update(banner.id, body), 400, 10001).error_message).toContain(field);
    });

    it('unknown ids 404 10051; malformed ids 400 10001; a placement on nothing 422; none audited', async () => {
      const updates = (await auditRows('banner.update')).length;
      const deletes = (await auditRows('banner.delete')).length;
      expectError(await update(99999999, { title: 'x' }), 404, 10051);
      expectError(await remove(99999999), 404, 10051);
      for (const bad of ['abc', '0', '-1']) {
        expectError(await update(bad, { title: 'x' }), 400, 10001);
        expectError(await remove(bad), 400, 10001);
      }
      expectError(await update(banner.id, { org_id: 99999999 }), 422, 10053);
      expect(await auditRows('banner.update')).toHaveLength(updates);
      expect(await auditRows('banner.delete')).toHaveLength(deletes);
    });

    it('only operators may change or delete', async () => {
      for (const a of [patient, doctor, assistant]) {
        expectError(await update(banner.id, { title: 'x' }, a.token), 403, 20005);
        expectError(await remove(banner.id, a.token), 403, 20005);
      }
      expectError(await t.http.put(`/admin/banners/${banner.id}`).send({ title: 'x' }), 401, 20001);
      expectError(await t.http.delete(`/admin/banners/${banner.id}`), 401, 20001);
    });

    it('DELETE removes it (gone from lists and homepages), audited; a second DELETE is a 404', async () => {
      const doomed = await created({ app_type: 3, title: '删除我' });
      expect(ids(await banners.forHomepage(3))).toContain(doomed.id);
      const res = await remove(doomed.id).expect(200);
      expect(res.body).toEqual({ error_code: 0, data: { id: doomed.id }, error_message: '' });
      expect(ids(await banners.forHomepage(3))).not.toContain(doomed.id);
      expect(ids((await list('?app_type=3&page_size=100').expect(200)).body.data.list)).not.toContain(
        doomed.id,
      );
      const [entry] = await auditRows('banner.delete');
      expect(entry).toEqual({ target_id: String(doomed.id), detail: { app_type: 3, title: '删除我' } });
      expectError(await remove(doomed.id), 404, 10051);
    });
  });

  describe('GET /admin/banners and the homepages', () => {
    let a: AdminBanner;
    let b: AdminBanner;
    let c: AdminBanner;
    let atHospital: AdminBanner;
    let atOrg: AdminBanner;
    let both: AdminBanner;

    beforeAll(async () => {
      await t.db.query('DELETE FROM banner WHERE app_type = 1');
      a = await created({ title: 'a', sort: 2 });
      b = await created({ title: 'b', sort: 1 });
      c = await created({ title: 'c', sort: 2 });
      atHospital = await created({ title: '医院', hospital_id: hospitalId });
      atOrg = await created({ title: '组织', org_id: orgId });
      both = await created({ title: '医院+组织', hospital_id: hospitalId, org_id: orgId, sort: -1 });
    });

    it('forHomepage: general banners (no hospital, no org) by sort, newer first among equals', async () => {
      expect(ids(await banners.forHomepage(1))).toEqual([b.id, c.id, a.id]);
      for (const item of await banners.forHomepage(1)) expect(Object.keys(item).sort()).toEqual(SEED_BANNER);
    });

    it('forHomepage: a hospital’s or an org’s banners when given, never another app’s', async () => {
      expect(ids(await banners.forHomepage(1, { hospitalId }))).toEqual([both.id, atHospital.id]);
      expect(ids(await banners.forHomepage(1, { orgId }))).toEqual([both.id, atOrg.id]);
      expect(ids(await banners.forHomepage(1, { hospitalId, orgId }))).toEqual([both.id]);
      expect(await banners.forHomepage(1, { hospitalId: 99999999 })).toEqual([]);
      expect(await banners.forHomepage(2, { hospitalId })).toEqual([]);
    });

    it('lists one app’s banners (all placements) in homepage order, with the page object', async () => {
      const res = await list('?app_type=1').expect(200);
      expect(ids(res.body.data.list)).toEqual([both.id, atOrg.id, atHospital.id, b.id, c.id, a.id]);
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 6, page_size: 10 });
      for (const item of res.body.data.list) expect(Object.keys(item).sort()).toEqual(ADMIN_BANNER);
    });

    it('pages: a partial last page, an empty page, the size limits; an empty app_type means all', async () => {
      const last = await list('?app_type=1&page_size=4&current_page=2').expect(200);
      expect(ids(last.body.data.list)).toEqual([c.id, a.id]);
      expect(last.body.data.page).toEqual({ current_page: 2, total_page: 2, count: 6, page_size: 4 });
      const past = await list('?app_type=1&page_size=4&current_page=3').expect(200);
      expect(past.body.data.list).toEqual([]);
      const all = await list('?app_type=&page_size=100').expect(200);
      expect(all.body.data.page.count).toBe(await bannerCount());
      const types = all.body.data.list.map((x: AdminBanner) => x.app_type);
      expect(types).toEqual([...types].sort());
      for (const q of ['?app_type=4', '?app_type=abc', '?page_size=101', '?current_page=0']) {
        expectError(await list(q), 400, 10001);
      }
    });

    it('only operators', async () => {
      for (const acc of [patient, doctor, assistant]) expectError(await list('', acc.token), 403, 20005);
      expectError(await t.http.get('/admin/banners'), 401, 20001);
    });

    it('costs the same number of queries for page_size 1 and 50', async () => {
      await t.db.query(
        `INSERT INTO banner (app_type, title, photo, sort) SELECT 2, 'b' || g, $1, g FROM generate_series(1, 60) g`,
        [PHOTO],
      );
      await list('?app_type=2').expect(200);
      const one = await countQueries(t, () => list('?app_type=2&page_size=1').expect(200));
      const fifty = await countQueries(t, async () => {
        expect((await list('?app_type=2&page_size=50').expect(200)).body.data.list).toHaveLength(50);
      });
      expect(fifty).toBe(one);
    });
  });
});
