import { NewsService } from 'src/modules/news/news.service';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/** Seed 2.2.2 新闻公告, field for field. */
const SEED_NEWS = ['content', 'id', 'photo', 'publish_time', 'title'];
const ADMIN_NEWS = [...SEED_NEWS, 'hospital_id', 'org_id', 'type'].sort();
const PHOTO = 'http://files.test/uploads/2024/news.jpg';

/** A Shanghai wall-clock time `minutes` from now (UTC+8, no DST). */
const shanghai = (minutes: number) =>
  new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

describe('news (3.2.14 GET /news/{type}/list, 3.2.15 GET /news/{id}, /admin/news)', () => {
  let t: TestApp;
  let admin: string;
  let patient: Account;
  let doctor: Account;
  let assistant: Account;
  let hospitalId: number;
  let orgId: number;

  const auditCount = async (action: string) => {
    const [row] = await t.db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM audit_log WHERE action = $1',
      [action],
    );
    return row.n;
  };
  const create = (body: object, token = admin) =>
    t.http.post('/admin/news').set('X-auth-token', token).send(body);
  const created = async (body: object) => {
    const res = await create({ type: 1, title: '公告', content: '<p>正文</p>', ...body }).expect(200);
    return res.body.data as { id: number; publish_time: string; type: number };
  };
  const update = (id: number | string, body: object, token = admin) =>
    t.http.put(`/admin/news/${id}`).set('X-auth-token', token).send(body);
  const get = (path: string, token = patient.token) => t.http.get(path).set('X-auth-token', token);
  const ids = (res: { body: { data: { list: { id: number }[] } } }) => res.body.data.list.map((n) => n.id);

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
  });
  afterAll(() => t.close());

  describe('POST /admin/news', () => {
    it('publishes: 200 with the operator view, audited, and the apps read exactly seed 2.2.2', async () => {
      const before = await auditCount('news.create');
      const res = await create({
        type: 2,
        title: '  医生端公告  ',
        photo: PHOTO,
        content: '<div>富文本</div>',
        publish_time: '2020-01-02 03:04:05',
        hospital_id: hospitalId,
        org_id: orgId,
      }).expect(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.data).toEqual({
        id: expect.any(Number),
        type: 2,
        title: '医生端公告',
        photo: PHOTO,
        content: '<div>富文本</div>',
        publish_time: '2020-01-02 03:04:05',
        hospital_id: hospitalId,
        org_id: orgId,
      });
      const id = res.body.data.id as number;
      // Shanghai wall-clock time, stored as the instant.
      const [row] = await t.db.query<{ utc: string }[]>(
        `SELECT to_char(publish_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS utc FROM news WHERE id = $1`,
        [id],
      );
      expect(row.utc).toBe('2020-01-01 19:04:05');
      const detail = await get(`/news/${id}`, doctor.token).expect(200);
      expect(detail.body).toEqual({
        error_code: 0,
        data: {
          id,
          title: '医生端公告',
          photo: PHOTO,
          content: '<div>富文本</div>',
          publish_time: '2020-01-02 03:04:05',
        },
        error_message: '',
      });
      expect(await auditCount('news.create')).toBe(before + 1);
      const [entry] = await t.db.query<{ target_id: string; detail: object; operator_id: number }[]>(
        `SELECT target_id, detail, operator_id FROM audit_log WHERE action = 'news.create' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry).toMatchObject({
        target_id: String(id),
        detail: { type: 2, title: '医生端公告', hospital_id: hospitalId, org_id: orgId },
      });
    });

    it('publish_time defaults to now (visible at once); photo, hospital_id and org_id are optional', async () => {
      const start = shanghai(-0.1);
      const news = await created({ title: '即时' });
      expect(news.publish_time).toMatch(DATETIME);
      expect(news.publish_time >= start && news.publish_time <= shanghai(0.1)).toBe(true);
      expect(news).toMatchObject({ photo: '', hospital_id: 0, org_id: 0 });
      await get(`/news/${news.id}`).expect(200);
    });

    it('accepts a form-encoded body with text numbers; empty or 0 placements mean none', async () => {
      const res = await t.http
        .post('/admin/news')
        .set('X-auth-token', admin)
        .type('form')
        .send({ type: '3', title: '表单', content: 'x', hospital_id: '', org_id: '0', photo: '' })
        .expect(200);
      expect(res.body.data).toMatchObject({ type: 3, hospital_id: 0, org_id: 0, photo: '' });
      const json = await create({ type: 3, title: 'null 放置', content: 'x', hospital_id: null }).expect(200);
      expect(json.body.data.hospital_id).toBe(0);
    });

    it('a placement on an unknown hospital or org is a 422 and writes nothing', async () => {
      const before = await auditCount('news.create');
      const [{ n }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM news');
      const base = { type: 1, title: 'x', content: 'x' };
      const h = expectError(await create({ ...base, hospital_id: 99999999 }), 422, 10052);
      expect(h.data).toEqual({ field: 'hospital_id' });
      const o = expectError(await create({ ...base, org_id: 99999999 }), 422, 10053);
      expect(o.data).toEqual({ field: 'org_id' });
      const [{ n: after }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM news');
      expect(after).toBe(n);
      expect(await auditCount('news.create')).toBe(before);
    });

    const valid = { type: 1, title: '标题', content: '内容' };
    it.each([
      ['a missing type', { title: 'x', content: 'x' }, 'type'],
      ['a missing title', { type: 1, content: 'x' }, 'title'],
      ['a missing content', { type: 1, title: 'x' }, 'content'],
      ['type 4', { ...valid, type: 4 }, 'type'],
      ['type 0', { ...valid, type: 0 }, 'type'],
      ['type "abc"', { ...valid, type: 'abc' }, 'type'],
      ['a blank title', { ...valid, title: '   ' }, 'title'],
      ['a 201-character title', { ...valid, title: '长'.repeat(201) }, 'title'],
      ['a numeric title', { ...valid, title: 12 }, 'title'],
      ['an empty content', { ...valid, content: '' }, 'content'],
      ['a photo that is no URL', { ...valid, photo: 'news.jpg' }, 'photo'],
      ['a javascript: photo', { ...valid, photo: 'javascript:alert(1)' }, 'photo'],
      ['a 501-character photo', { ...valid, photo: `http://x/${'a'.repeat(492)}` }, 'photo'],
      ['publish_time 2月30日', { ...valid, publish_time: '2024-02-30 10:00:00' }, 'publish_time'],
      ['publish_time without seconds', { ...valid, publish_time: '2024-01-01 10:00' }, 'publish_time'],
      ['publish_time ISO', { ...valid, publish_time: '2024-01-01T10:00:00Z' }, 'publish_time'],
      ['publish_time a number', { ...valid, publish_time: 1700000000 }, 'publish_time'],
      ['hospital_id "abc"', { ...valid, hospital_id: 'abc' }, 'hospital_id'],
      ['hospital_id -1', { ...valid, hospital_id: -1 }, 'hospital_id'],
      ['org_id 1.5', { ...valid, org_id: 1.5 }, 'org_id'],
    ])('%s is a 400 10001 naming the field, and writes nothing', async (_name, body, field) => {
      const before = await auditCount('news.create');
      const res = expectError(await create(body), 400, 10001);
      expect(res.error_message).toContain(field);
      expect(await auditCount('news.create')).toBe(before);
    });

    it('only operators: app accounts 403 20005, no token 401 20001', async () => {
      for (const a of [patient, doctor, assistant]) expectError(await create(valid, a.token), 403, 20005);
      expectError(await t.http.post('/admin/news').send(valid), 401, 20001);
    });
  });

  describe('PUT /admin/news/{id}', () => {
    let id: number;
    beforeAll(async () => {
      id = (await created({ type: 1, title: '原标题', photo: PHOTO, hospital_id: hospitalId })).id;
    });

    it('changes only the fields given and records which in the audit log', async () => {
      const before = await auditCount('news.update');
      const res = await update(id, { title: '新标题', org_id: orgId }).expect(200);
      expect(res.body.data).toMatchObject({
        id,
        type: 1,
        title: '新标题',
        photo: PHOTO,
        content: '<p>正文</p>',
        hospital_id: hospitalId,
        org_id: orgId,
      });
      expect(Object.keys(res.body.data).sort()).toEqual(ADMIN_NEWS);
      expect((await get(`/news/${id}`).expect(200)).body.data.title).toBe('新标题');
      expect(await auditCount('news.update')).toBe(before + 1);
      const [entry] = await t.db.query<{ target_id: string; detail: object }[]>(
        `SELECT target_id, detail FROM audit_log WHERE action = 'news.update' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry).toEqual({ target_id: String(id), detail: { fields: ['title', 'org_id'] } });
    });

    it('hospital_id 0 takes the placement away; null for a required field changes nothing', async () => {
      const res = await update(id, { hospital_id: 0, title: null }).expect(200);
      expect(res.body.data).toMatchObject({ hospital_id: 0, org_id: orgId, title: '新标题' });
      const [row] = await t.db.query<{ hospital_id: number | null }[]>(
        'SELECT hospital_id FROM news WHERE id = $1',
        [id],
      );
      expect(row.hospital_id).toBeNull();
    });

    it('an empty body changes nothing and is not audited', async () => {
      const before = await auditCount('news.update');
      const res = await update(id, {}).expect(200);
      expect(res.body.data).toMatchObject({ id, title: '新标题' });
      expect(await auditCount('news.update')).toBe(before);
    });

    it('moving publish_time into the future hides the item from the apps; back again shows it', async () => {
      await update(id, { publish_time: shanghai(60) }).expect(200);
      expectError(await get(`/news/${id}`), 404, 10050);
      expect(ids(await get('/news/1/list?page_size=100').expect(200))).not.toContain(id);
      await update(id, { publish_time: shanghai(-1) }).expect(200);
      await get(`/news/${id}`).expect(200);
    });

    it('unknown id 404 10050; malformed ids 400 10001; a placement on nothing 422; none audited', async () => {
      const before = await auditCount('news.update');
      expectError(await update(99999999, { title: 'x' }), 404, 10050);
      expectError(await update('abc', { title: 'x' }), 400, 10001);
      expectError(await update(0, { title: 'x' }), 400, 10001);
      expectError(await update(id, { hospital_id: 99999999 }), 422, 10052);
      expect(await auditCount('news.update')).toBe(before);
    });

    it.each([
      ['type 9', { type: 9 }, 'type'],
      ['an empty title', { title: '' }, 'title'],
      ['a bad publish_time', { publish_time: '2024-13-01 00:00:00' }, 'publish_time'],
      ['a bad photo', { photo: 'ftp://x/y.jpg' }, 'photo'],
    ])('%s is a 400 10001 naming the field', async (_name, body, field) => {
      expect(expectError(await update(id, body), 400, 10001).error_message).toContain(field);
    });

    it('only operators', async () => {
      for (const a of [patient, doctor, assistant])
        expectError(await update(id, { title: 'x' }, a.token), 403, 20005);
      expectError(await t.http.put(`/admin/news/${id}`).send({ title: 'x' }), 401, 20001);
    });
  });

  describe('the app routes and GET /admin/news', () => {
    /** Type 2 items made here, oldest first: three published, one scheduled. */
    let published: number[];
    let scheduled: number;

    beforeAll(async () => {
      await t.db.query('DELETE FROM news WHERE type = 2');
      published = [];
      for (const minutes of [-30, -20, -10]) {
        published.push(
          (await created({ type: 2, title: `已发布 ${minutes}`, publish_time: shanghai(minutes) })).id,
        );
      }
      scheduled = (await created({ type: 2, title: '定时', publish_time: shanghai(120) })).id;
    });

    it('lists one app’s published items, newest first, as seed 2.2.2 with the page object', async () => {
      const res = await get('/news/2/list', doctor.token).expect(200);
      expect(ids(res)).toEqual([...published].reverse());
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 3, page_size: 10 });
      for (const item of res.body.data.list) {
        expect(Object.keys(item).sort()).toEqual(SEED_NEWS);
        expect(item.publish_time).toMatch(DATETIME);
      }
    });

    it('orders by publish_time, not by id', async () => {
      const back = (await created({ type: 2, title: '补发', publish_time: shanghai(-25) })).id;
      const res = await get('/news/2/list', doctor.token).expect(200);
      expect(ids(res)).toEqual([published[2], published[1], back, published[0]]);
      await t.db.query('DELETE FROM news WHERE id = $1', [back]);
    });

    it('any signed-in account reads any app’s list; without a token 401', async () => {
      for (const token of [patient.token, doctor.token, assistant.token, admin]) {
        expect(ids(await get('/news/2/list', token).expect(200))).toEqual([...published].reverse());
      }
      expectError(await t.http.get('/news/2/list'), 401, 20001);
      expectError(await t.http.get(`/news/${published[0]}`), 401, 20001);
    });

    it.each(['4', '0', 'abc', '-1', '1.5'])('type %s is a 400 10001 naming type', async (type) => {
      expect(expectError(await get(`/news/${type}/list`), 400, 10001).error_message).toContain('type');
    });

    it('pages: a partial last page, an empty page past the end, and the size limits', async () => {
      const p2 = await get('/news/2/list?page_size=2&current_page=2').expect(200);
      expect(ids(p2)).toEqual([published[0]]);
      expect(p2.body.data.page).toEqual({ current_page: 2, total_page: 2, count: 3, page_size: 2 });
      const past = await get('/news/2/list?page_size=2&current_page=5').expect(200);
      expect(past.body.data).toEqual({
        list: [],
        page: { current_page: 5, total_page: 2, count: 3, page_size: 2 },
      });
      await get('/news/2/list?page_size=100').expect(200);
      for (const q of ['page_size=101', 'page_size=0', 'current_page=0', 'page_size=abc']) {
        expectError(await get(`/news/2/list?${q}`), 400, 10001);
      }
    });

    it('an app with nothing published lists an empty page', async () => {
      await t.db.query('DELETE FROM news WHERE type = 3');
      await created({ type: 3, title: '未来', publish_time: shanghai(30) });
      const res = await get('/news/3/list').expect(200);
      expect(res.body.data).toEqual({
        list: [],
        page: { current_page: 1, total_page: 0, count: 0, page_size: 10 },
      });
    });

    it('GET /news/{id}: published 200; scheduled and unknown 404 10050; malformed ids 400 10001', async () => {
      const res = await get(`/news/${published[0]}`, assistant.token).expect(200);
      expect(Object.keys(res.body.data).sort()).toEqual(SEED_NEWS);
      expect(res.body.data.id).toBe(published[0]);
      expectError(await get(`/news/${scheduled}`), 404, 10050);
      expectError(await get('/news/99999999'), 404, 10050);
      for (const bad of ['abc', '0', '-1', '1.5', 'list']) expectError(await get(`/news/${bad}`), 400, 10001);
    });

    it('/news/{n} and /news/{n}/list never shadow each other', async () => {
      // Make sure an item exists whose id equals an app type.
      const [{ id }] = await t.db.query<{ id: number }[]>(
        `INSERT INTO news (id, type, title, content, publish_time) OVERRIDING SYSTEM VALUE
         VALUES (2, 1, '二号', 'x', now() - interval '1 minute')
         ON CONFLICT (id) DO UPDATE SET publish_time = now() - interval '1 minute' RETURNING id`,
      );
      expect(id).toBe(2);
      const detail = await get('/news/2').expect(200);
      expect(detail.body.data.id).toBe(2);
      expect(detail.body.data).not.toHaveProperty('list');
      const list = await get('/news/2/list').expect(200);
      expect(list.body.data).toHaveProperty('list');
    });

    it('GET /admin/news lists scheduled items too, with type filter and paging; only operators', async () => {
      const list = (q: string, token = admin) => t.http.get(`/admin/news${q}`).set('X-auth-token', token);
      const res = await list('?type=2').expect(200);
      expect(ids(res)).toEqual([scheduled, ...[...published].reverse()]);
      expect(res.body.data.page.count).toBe(4);
      for (const item of res.body.data.list) expect(Object.keys(item).sort()).toEqual(ADMIN_NEWS);
      const all = await list('?type=').expect(200);
      const [{ n }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM news');
      expect(all.body.data.page.count).toBe(n);
      const last = await list('?type=2&page_size=3&current_page=2').expect(200);
      expect(ids(last)).toEqual([published[0]]);
      for (const q of ['?type=9', '?type=abc', '?page_size=101']) expectError(await list(q), 400, 10001);
      for (const a of [patient, doctor, assistant]) expectError(await list('', a.token), 403, 20005);
      expectError(await t.http.get('/admin/news'), 401, 20001);
    });
  });

  describe('fixed query counts', () => {
    beforeAll(async () => {
      await t.db.query(
        `INSERT INTO news (type, title, content, publish_time)
         SELECT 3, '批量 ' || g, 'x', now() - g * interval '1 minute' FROM generate_series(1, 60) g`,
      );
    });

    it('GET /news/{type}/list costs the same for page_size 1 and 50', async () => {
      await get('/news/3/list').expect(200); // the token's sliding expiry may write once; not in the counts
      const one = await countQueries(t, () => get('/news/3/list?page_size=1').expect(200));
      const fifty = await countQueries(t, async () => {
        const res = await get('/news/3/list?page_size=50').expect(200);
        expect(res.body.data.list).toHaveLength(50);
      });
      expect(fifty).toBe(one);
    });

    it('GET /admin/news costs the same for page_size 1 and 50', async () => {
      const list = (size: number) => t.http.get(`/admin/news?page_size=${size}`).set('X-auth-token', admin);
      await list(1).expect(200);
      const one = await countQueries(t, () => list(1).expect(200));
      const fifty = await countQueries(t, () => list(50).expect(200));
      expect(fifty).toBe(one);
    });
  });

  describe('NewsService.latest (for the homepages)', () => {
    it('returns the newest published items of one app, limited; a hospital’s or org’s only when given', async () => {
      await t.db.query('DELETE FROM news WHERE type = 1');
      const general = await created({ type: 1, title: '通用', publish_time: shanghai(-5) });
      const atHospital = await created({
        type: 1,
        title: '医院',
        publish_time: shanghai(-3),
        hospital_id: hospitalId,
      });
      const atOrg = await created({ type: 1, title: '组织', publish_time: shanghai(-4), org_id: orgId });
      await created({ type: 1, title: '医院·定时', publish_time: shanghai(30), hospital_id: hospitalId });
      await created({ type: 2, title: '医生端', publish_time: shanghai(-1), hospital_id: hospitalId });
      const news = t.app.get(NewsService);
      const idsOf = (list: { id: number }[]) => list.map((n) => n.id);
      expect(idsOf(await news.latest(1, 10))).toEqual([atHospital.id, atOrg.id, general.id]);
      expect(idsOf(await news.latest(1, 2))).toEqual([atHospital.id, atOrg.id]);
      expect(idsOf(await news.latest(1, 10, { hospitalId }))).toEqual([atHospital.id]);
      expect(idsOf(await news.latest(1, 10, { orgId }))).toEqual([atOrg.id]);
      expect(await news.latest(1, 10, { hospitalId: 99999999 })).toEqual([]);
      const [item] = await news.latest(1, 1);
      expect(Object.keys(item).sort()).toEqual(SEED_NEWS);
    });
  });
});
