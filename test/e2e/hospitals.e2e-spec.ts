import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';

/** Seed 2.2.10 医院信息 field for field, plus lng/lat. */
const HOSPITAL_KEYS = [
  'id',
  'name',
  'logo',
  'banner',
  'level',
  'tag',
  'province_id',
  'province_name',
  'city_id',
  'city_name',
  'county_id',
  'county_name',
  'addr',
  'lng',
  'lat',
].sort();

const LOGO = 'http://files.test/uploads/202401/logo.png';
const BANNERS = ['http://files.test/uploads/202401/b1.png', 'https://cdn.example.com/b2.jpg'];

/** 朝阳区 in 北京: names as the region table holds them. */
const FULL = {
  name: '北京协和医院',
  logo: LOGO,
  banner: BANNERS,
  level: '三级甲等',
  tag: '心血管科',
  province_id: 110000,
  city_id: 110100,
  county_id: 110105,
  addr: '国贸三期',
  lng: 116.397,
  lat: 39.909,
};
const FULL_VIEW = {
  name: '北京协和医院',
  logo: LOGO,
  banner: BANNERS,
  level: '三级甲等',
  tag: '心血管科',
  province_id: 110000,
  province_name: '北京市',
  city_id: 110100,
  city_name: '北京市',
  county_id: 110105,
  county_name: '朝阳区',
  addr: '国贸三期',
  lng: '116.397000',
  lat: '39.909000',
};

describe('hospitals (3.3.1 / 3.2.17 GET /hospital, operator POST/PUT /admin/hospitals)', () => {
  let t: TestApp;
  let admin: string;
  let patient: Account;
  let doctor: Account;
  let assistant: Account;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    patient = await registerAccount(t.http, 1);
    doctor = await registerAccount(t.http, 2);
    assistant = await registerAccount(t.http, 3);
  });
  afterAll(() => t.close());

  const create = (body: object) => t.http.post('/admin/hospitals').set('X-auth-token', admin).send(body);
  const update = (id: number | string, body: object) =>
    t.http.put(`/admin/hospitals/${id}`).set('X-auth-token', admin).send(body);
  const created = async (body: object): Promise<number> => {
    const res = await create(body);
    expect(res.status).toBe(200);
    return res.body.data.id as number;
  };
  const hospitalRows = async () =>
    (await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM hospital'))[0].n;
  const auditRows = async (action?: string) =>
    (
      await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM audit_log WHERE $1::text IS NULL OR action = $1',
        [action ?? null],
      )
    )[0].n;
  const search = (query: string, token = patient.token) =>
    t.http.get(`/hospital${query}`).set('X-auth-token', token);
  const names = (res: { body: { data: { list: { name: string }[] } } }) =>
    res.body.data.list.map((h) => h.name);

  describe('POST /admin/hospitals', () => {
    it('creates a hospital: 200, exactly the 2.2.10 object, region names from the region table, audited', async () => {
      const before = await auditRows('hospital.create');
      const res = await create(FULL).expect(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.error_message).toBe('');
      expect(Object.keys(res.body.data).sort()).toEqual(HOSPITAL_KEYS);
      expect(res.body.data).toEqual({ id: expect.any(Number), ...FULL_VIEW });
      expect(await auditRows('hospital.create')).toBe(before + 1);
      const [log] = await t.db.query<{ target_type: string; target_id: string; operator_id: number }[]>(
        `SELECT target_type, target_id, operator_id FROM audit_log WHERE action = 'hospital.create'
         ORDER BY id DESC LIMIT 1`,
      );
      expect(log).toMatchObject({ target_type: 'hospital', target_id: String(res.body.data.id) });
    });

    it('a name alone is enough: everything else is empty, ids 0, coordinates ""', async () => {
      const res = await create({ name: '  社区卫生服务中心  ' }).expect(200);
      expect(res.body.data).toEqual({
        id: expect.any(Number),
        name: '社区卫生服务中心',
        logo: '',
        banner: [],
        level: '',
        tag: '',
        province_id: 0,
        province_name: '',
        city_id: 0,
        city_name: '',
        county_id: 0,
        county_name: '',
        addr: '',
        lng: '',
        lat: '',
      });
    });

    it('ignores region names sent by the client and unknown fields', async () => {
      const res = await create({
        ...FULL,
        province_name: '火星',
        city_name: 'x',
        county_name: 'y',
        id: 999,
        created_at: 'x',
      }).expect(200);
      expect(res.body.data).toMatchObject({
        province_name: '北京市',
        city_name: '北京市',
        county_name: '朝阳区',
      });
      expect(res.body.data.id).not.toBe(999);
    });

    it('accepts a form-encoded body: banner as a JSON string or repeated keys, coordinates as text', async () => {
      const json = await t.http
        .post('/admin/hospitals')
        .set('X-auth-token', admin)
        .type('form')
        .send(
          `name=表单医院&banner=${encodeURIComponent(JSON.stringify(BANNERS))}&lng=-73.5&lat=45&province_id=510000`,
        )
        .expect(200);
      expect(json.body.data).toMatchObject({
        name: '表单医院',
        banner: BANNERS,
        lng: '-73.500000',
        lat: '45.000000',
        province_id: 510000,
        province_name: '四川省',
      });
      const repeated = await t.http
        .post('/admin/hospitals')
        .set('X-auth-token', admin)
        .type('form')
        .send(
          `name=表单医院2&banner[]=${encodeURIComponent(BANNERS[0])}&banner[]=${encodeURIComponent(BANNERS[1])}`,
        )
        .expect(200);
      expect(repeated.body.data.banner).toEqual(BANNERS);
      const single = await create({ name: '单图医院', banner: BANNERS[0] }).expect(200);
      expect(single.body.data.banner).toEqual([BANNERS[0]]);
    });

    it.each([
      ['a missing name', { logo: LOGO }, 'name'],
      ['a blank name', { name: '   ' }, 'name'],
      ['a null name', { name: null }, 'name'],
      ['a numeric name', { name: 123 }, 'name'],
      ['a 101-character name', { name: '医'.repeat(101) }, 'name'],
      ['a logo that is not a URL', { name: 'x', logo: 'logo.png' }, 'logo'],
      ['an ftp logo', { name: 'x', logo: 'ftp://files.test/a.png' }, 'logo'],
      ['a null logo', { name: 'x', logo: null }, 'logo'],
      ['a banner that is not URLs', { name: 'x', banner: ['a.png'] }, 'banner'],
      ['a banner object', { name: 'x', banner: { a: LOGO } }, 'banner'],
      ['a banner of 11 images', { name: 'x', banner: Array(11).fill(LOGO) }, 'banner'],
      ['a broken banner JSON string', { name: 'x', banner: '["http://a.test/1.png"' }, 'banner'],
      ['a null banner', { name: 'x', banner: null }, 'banner'],
      ['a 51-character level', { name: 'x', level: 'a'.repeat(51) }, 'level'],
      ['a 101-character tag', { name: 'x', tag: 'a'.repeat(101) }, 'tag'],
      ['a 201-character addr', { name: 'x', addr: 'a'.repeat(201) }, 'addr'],
      ['a null addr', { name: 'x', addr: null }, 'addr'],
      ['a text province_id', { name: 'x', province_id: 'abc' }, 'province_id'],
      ['a negative city_id', { name: 'x', city_id: -1 }, 'city_id'],
      ['a fractional county_id', { name: 'x', county_id: 1.5 }, 'county_id'],
      ['a 7-digit province_id', { name: 'x', province_id: 1100000 }, 'province_id'],
      ['lng 180.5', { name: 'x', lng: 180.5 }, 'lng'],
      ['lng -181', { name: 'x', lng: -181 }, 'lng'],
      ['lng as words', { name: 'x', lng: 'east' }, 'lng'],
      ['lat 91', { name: 'x', lat: 91 }, 'lat'],
      ['lat -90.5', { name: 'x', lat: '-90.5' }, 'lat'],
    ])('%s is a 400 10001 naming the field; nothing is created or audited', async (_name, body, field) => {
      const [rows, audits] = [await hospitalRows(), await auditRows()];
      const res = expectError(await create(body), 400, 10001);
      expect(res.error_message).toContain(field);
      expect(res.data).toEqual({ field });
      expect([await hospitalRows(), await auditRows()]).toEqual([rows, audits]);
    });

    it.each([
      ['an unknown province', { province_id: 990000 }],
      ['a city outside its province', { province_id: 510000, city_id: 110100 }],
      ['a county outside its city', { province_id: 110000, city_id: 110100, county_id: 510107 }],
      ['a county without its city', { province_id: 110000, county_id: 110105 }],
      ['a city without its province', { city_id: 110100 }],
      ['a county id given as the province', { province_id: 110105 }],
    ])('%s is a 422 10021; nothing is created', async (_name, ids) => {
      const rows = await hospitalRows();
      expectError(await create({ name: '错位医院', ...ids }), 422, 10021);
      expect(await hospitalRows()).toBe(rows);
    });

    it('app accounts get 403 20005 and no token 401 20001; nothing is created', async () => {
      const rows = await hospitalRows();
      for (const account of [patient, doctor, assistant]) {
        expectError(
          await t.http.post('/admin/hospitals').set('X-auth-token', account.token).send(FULL),
          403,
          20005,
        );
      }
      expectError(await t.http.post('/admin/hospitals').send(FULL), 401, 20001);
      expect(await hospitalRows()).toBe(rows);
    });
  });

  describe('PUT /admin/hospitals/{id}', () => {
    let id: number;
    beforeEach(async () => {
      id = await created(FULL);
    });

    it('changes only the fields sent, answers the whole object, audits the change', async () => {
      const before = await auditRows('hospital.update');
      const res = await update(id, { name: '协和医院（东院）', tag: '' }).expect(200);
      expect(Object.keys(res.body.data).sort()).toEqual(HOSPITAL_KEYS);
      expect(res.body.data).toEqual({ ...FULL_VIEW, id, name: '协和医院（东院）', tag: '' });
      expect(await auditRows('hospital.update')).toBe(before + 1);
      const [log] = await t.db.query<{ target_id: string; detail: Record<string, unknown> }[]>(
        `SELECT target_id, detail FROM audit_log WHERE action = 'hospital.update' ORDER BY id DESC LIMIT 1`,
      );
      expect(log).toEqual({ target_id: String(id), detail: { name: '协和医院（东院）', tag: '' } });
      const list = await search(`?keyword=${encodeURIComponent('东院')}`).expect(200);
      expect(list.body.data.list).toEqual([res.body.data]);
    });

    it('a county alone must fit the city kept: another county of 北京 is fine, one of 成都 is a 422', async () => {
      const res = await update(id, { county_id: 110101 }).expect(200);
      expect(res.body.data).toMatchObject({ city_id: 110100, county_id: 110101, county_name: '东城区' });
      expectError(await update(id, { county_id: 510107 }), 422, 10021);
      expectError(await update(id, { province_id: 510000 }), 422, 10021);
      const whole = await update(id, { province_id: 510000, city_id: 510100, county_id: 510107 }).expect(200);
      expect(whole.body.data).toMatchObject({
        province_name: '四川省',
        city_name: '成都市',
        county_name: '武侯区',
        addr: FULL.addr,
      });
    });

    it('clears: region ids 0 or null, coordinates "" or null, logo and banner empty', async () => {
      const res = await update(id, {
        province_id: 0,
        city_id: null,
        county_id: 0,
        lng: '',
        lat: null,
        logo: '',
        banner: [],
        addr: '',
      }).expect(200);
      expect(res.body.data).toMatchObject({
        province_id: 0,
        province_name: '',
        city_id: 0,
        city_name: '',
        county_id: 0,
        county_name: '',
        lng: '',
        lat: '',
        logo: '',
        banner: [],
        addr: '',
      });
    });

    it('an empty body changes nothing', async () => {
      const res = await update(id, {}).expect(200);
      expect(res.body.data).toEqual({ ...FULL_VIEW, id });
    });

    it.each([
      ['a blank name', { name: '' }, 'name'],
      ['a null name', { name: null }, 'name'],
      ['a null banner', { banner: null }, 'banner'],
      ['a bad logo', { logo: 'not a url' }, 'logo'],
      ['lat out of range', { lat: 100 }, 'lat'],
      ['a text county_id', { county_id: 'x' }, 'county_id'],
    ])('%s is a 400 10001 and changes nothing', async (_name, body, field) => {
      const res = expectError(await update(id, body), 400, 10001);
      expect(res.error_message).toContain(field);
      const list = await search(`?keyword=${encodeURIComponent(FULL.name)}&page_size=100`).expect(200);
      expect(list.body.data.list.find((h: { id: number }) => h.id === id)).toEqual({ ...FULL_VIEW, id });
    });

    it.each(['abc', '0', '-1', '1.5', '2147483648'])('id %s is a 400 10001', async (bad) => {
      expectError(await update(bad, { name: 'x' }), 400, 10001);
    });

    it('an unknown id is a 404 10030 and is not audited', async () => {
      const before = await auditRows();
      expectError(await update(2147483647, { name: 'x' }), 404, 10030);
      expect(await auditRows()).toBe(before);
    });

    it('app accounts get 403 20005, no token 401 20001, and nothing changes', async () => {
      for (const account of [patient, doctor, assistant]) {
        expectError(
          await t.http.put(`/admin/hospitals/${id}`).set('X-auth-token', account.token).send({ name: 'x' }),
          403,
          20005,
        );
      }
      expectError(await t.http.put(`/admin/hospitals/${id}`).send({ name: 'x' }), 401, 20001);
      const [row] = await t.db.query<{ name: string }[]>('SELECT name FROM hospital WHERE id = $1', [id]);
      expect(row.name).toBe(FULL.name);
    });
  });

  describe('GET /hospital', () => {
    /** A marker no other test's hospital carries, so counts are exact. */
    const MARK = '分页测试';
    const TOTAL = 53;
    let ids: number[];

    beforeAll(async () => {
      const rows = await t.db.query<{ id: number }[]>(
        `INSERT INTO hospital (name, level) SELECT '${MARK}医院' || lpad(g::text, 2, '0'), '二级' FROM generate_series(1, ${TOTAL}) g
         RETURNING id`,
      );
      ids = rows.map((r) => r.id).sort((a, b) => a - b);
      for (const name of [
        'Union Medical Center',
        'UNION clinic',
        'reunion 医院',
        '100% 康复',
        '100 康复',
        'a_b 门诊',
        'axb 门诊',
      ]) {
        await created({ name });
      }
    });

    const kw = (k: string) => `?keyword=${encodeURIComponent(k)}`;

    it('every app role and operators get the list; objects are exactly 2.2.10 (+lng, lat)', async () => {
      for (const token of [patient.token, doctor.token, assistant.token, admin]) {
        const res = await search(`${kw(MARK)}&page_size=1`, token).expect(200);
        expect(res.body.error_code).toBe(0);
        expect(res.body.data.list).toHaveLength(1);
        expect(Object.keys(res.body.data.list[0]).sort()).toEqual(HOSPITAL_KEYS);
        expect(res.body.data.list[0]).toMatchObject({
          id: ids[0],
          name: `${MARK}医院01`,
          level: '二级',
          banner: [],
        });
      }
    });

    it('no token is a 401 20001; a bad token 401 20002', async () => {
      expectError(await t.http.get('/hospital'), 401, 20001);
      expectError(await t.http.get('/hospital').set('X-auth-token', 'x'.repeat(43)), 401, 20002);
    });

    it('defaults to page 1 of 10 in creation order, with the page object', async () => {
      const res = await search(kw(MARK)).expect(200);
      expect(res.body.data.list.map((h: { id: number }) => h.id)).toEqual(ids.slice(0, 10));
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 6, count: TOTAL, page_size: 10 });
    });

    it('the last page is partial and a page beyond the end is empty (with the true count)', async () => {
      const last = await search(`${kw(MARK)}&current_page=6`).expect(200);
      expect(last.body.data.list.map((h: { id: number }) => h.id)).toEqual(ids.slice(50));
      const beyond = await search(`${kw(MARK)}&current_page=7`).expect(200);
      expect(beyond.body.data).toEqual({
        list: [],
        page: { current_page: 7, total_page: 6, count: TOTAL, page_size: 10 },
      });
    });

    it('3.2.17: page_size 100 returns everything in one page', async () => {
      const res = await search(`${kw(MARK)}&page_size=100`).expect(200);
      expect(res.body.data.list).toHaveLength(TOTAL);
      expect(res.body.data.page).toEqual({
        current_page: 1,
        total_page: 1,
        count: TOTAL,
        page_size: 100,
      });
    });

    it('without keyword (or with a blank one) lists every hospital', async () => {
      const total = await hospitalRows();
      for (const q of ['', '?keyword=', `?keyword=${encodeURIComponent('  ')}`]) {
        const res = await search(q).expect(200);
        expect(res.body.data.page.count).toBe(total);
      }
    });

    it('matches the keyword anywhere in the name, case-insensitively', async () => {
      expect(names(await search(kw('union')).expect(200))).toEqual([
        'Union Medical Center',
        'UNION clinic',
        'reunion 医院',
      ]);
      expect(names(await search(kw('UnIoN c')).expect(200))).toEqual(['UNION clinic']);
      expect((await search(kw('测试医院0')).expect(200)).body.data.page.count).toBe(9);
      expect((await search(kw('nothing like it')).expect(200)).body.data).toEqual({
        list: [],
        page: { current_page: 1, total_page: 0, count: 0, page_size: 10 },
      });
    });

    it('treats % and _ in the keyword literally', async () => {
      expect(names(await search(kw('100%')).expect(200))).toEqual(['100% 康复']);
      expect(names(await search(kw('a_b')).expect(200))).toEqual(['a_b 门诊']);
      expect((await search(kw('%')).expect(200)).body.data.page.count).toBe(1);
      expect((await search(kw('\\')).expect(200)).body.data.page.count).toBe(0);
    });

    it.each([
      'page_size=101',
      'page_size=0',
      'page_size=abc',
      'current_page=0',
      'current_page=-1',
      'current_page=1.5',
      `keyword=${'k'.repeat(51)}`,
    ])('?%s is a 400 10001', async (q) => {
      expectError(await search(`?${q}`), 400, 10001);
    });

    it('runs the same number of SQL queries for page_size 1 and 50 (no per-row queries)', async () => {
      await search(kw(MARK)).expect(200); // warm the token's sliding expiry
      const one = await countQueries(t, () => search(`${kw(MARK)}&page_size=1`).expect(200));
      const fifty = await countQueries(t, () => search(`${kw(MARK)}&page_size=50`).expect(200));
      const all = await countQueries(t, () => search('?page_size=50').expect(200));
      expect(fifty).toBe(one);
      expect(all).toBe(one);
      // What every request costs (rate limit, token) is measured on one that stops at validation.
      const overhead = await countQueries(t, () => search('?page_size=101').expect(400));
      expect(one - overhead).toBe(2); // page + count
    });
  });
});
