import {
  joinProject,
  makeDoctor,
  makeHospital,
  makePatient,
  ProjectInput,
  publishProject,
  shanghaiDate,
  shiftProject,
} from '../support/clinic-factories';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000001';
const ADMIN_PASSWORD = 'admin-pass-1';

interface Point {
  lng: number;
  lat: number;
}

/** City centres: the clinics are published there and the callers stand near them. */
const CITIES = {
  beijing: { lng: 116.4074, lat: 39.9042 },
  tianjin: { lng: 117.2008, lat: 39.0842 },
  shanghai: { lng: 121.4737, lat: 31.2304 },
  guangzhou: { lng: 113.2644, lat: 23.1291 },
  urumqi: { lng: 87.6168, lat: 43.8256 },
  newYork: { lng: -74.006, lat: 40.7128 },
  sydney: { lng: 151.2093, lat: -33.8688 },
} satisfies Record<string, Point>;

/** Great-circle distance in metres on a sphere of earthdistance's radius (`earth()`, 6378168 m). */
function haversine(a: Point, b: Point): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6378168 * Math.asin(Math.sqrt(h));
}

type Clinic = 'bj' | 'tj' | 'sh' | 'gz' | 'urc' | 'nyc' | 'syd';
interface Entry {
  id: number;
  distance?: number;
  [key: string]: unknown;
}
interface PageData {
  list: Entry[];
  page: { current_page: number; total_page: number; count: number; page_size: number };
}

describe('free clinic lists (3.3.2 /project, 3.2.4 /doctor/project, 3.3.11 /custom/doctor/{id}/project)', () => {
  let t: TestApp;
  let admin: string;
  const hospitals: Record<'xiehe' | 'union' | 'people', number> = { xiehe: 0, union: 0, people: 0 };
  const orgs: Record<'o1' | 'o2', number> = { o1: 0, o2: 0 };
  let dA: Account; // 王医生, 内科, 协和医院; approved in o1
  let dB: Account; // Alice Zhang, 儿科, Union_Hospital 100%; pending in o1, approved in o2
  let dC: Account; // 李医生, 内科, 人民医院; rejected in o1, approved in o2
  let idle: Account; // a verified doctor without clinics
  let patient: Account;
  let patient2: Account;
  let assistant: Account;
  const id = {} as Record<Clinic | 'cancelled' | 'ended', number>;
  const where = {} as Record<Clinic, Point>;

  /** Newest first: bj was given the latest created_at on purpose, so this is not simply id order. */
  const NEWEST: Clinic[] = ['bj', 'tj', 'syd', 'nyc', 'urc', 'gz', 'sh'];
  const newest = (...names: Clinic[]) => NEWEST.filter((n) => names.includes(n)).map((n) => id[n]);

  const get = (
    url: string,
    query: Record<string, string | number> = {},
    who?: Account,
    location?: string,
  ) => {
    const req = t.http
      .get(url)
      .query(query)
      .set('X-auth-token', who?.token ?? patient.token);
    return location === undefined ? req : req.set('X-location', location);
  };
  const data = async (
    url: string,
    query: Record<string, string | number> = {},
    who?: Account,
    location?: string,
  ) => (await get(url, query, who, location).expect(200)).body.data as PageData;
  const list = (query: Record<string, string | number> = {}, location?: string, who?: Account) =>
    data('/project', query, who, location);
  const ids = async (query: Record<string, string | number> = {}, location?: string) =>
    (await list(query, location)).list.map((p) => p.id);

  const publishAt = async (doctor: Account, city: Point, over: ProjectInput) =>
    (await publishProject(t, doctor, { lng: city.lng, lat: city.lat, ...over })).id;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    hospitals.xiehe = await makeHospital(t, '协和医院');
    hospitals.union = await makeHospital(t, 'Union_Hospital 100%');
    hospitals.people = await makeHospital(t, '人民医院');
    for (const key of ['o1', 'o2'] as const) {
      const [row] = await t.db.query<{ id: number }[]>('INSERT INTO org (name) VALUES ($1) RETURNING id', [
        key,
      ]);
      orgs[key] = row.id;
    }
    dA = await makeDoctor(t, { name: '王医生', departments: '内科', hospitalId: hospitals.xiehe });
    dB = await makeDoctor(t, { name: 'Alice Zhang', departments: '儿科', hospitalId: hospitals.union });
    dC = await makeDoctor(t, { name: '李医生', departments: '内科', hospitalId: hospitals.people });
    idle = await makeDoctor(t);
    patient = await makePatient(t, '张三');
    patient2 = await makePatient(t, '李四');
    assistant = await registerAccount(t.http, 3);
    for (const [org, doctor, status] of [
      [orgs.o1, dA.id, 1],
      [orgs.o1, dB.id, 0],
      [orgs.o1, dC.id, 2],
      [orgs.o2, dB.id, 1],
      [orgs.o2, dC.id, 1],
    ]) {
      await t.db.query('INSERT INTO org_member (org_id, doctor_id, verify_status) VALUES ($1, $2, $3)', [
        org,
        doctor,
        status,
      ]);
    }

    const clinics: [Clinic, Account, Point, ProjectInput][] = [
      ['bj', dA, CITIES.beijing, { date: shanghaiDate(1), addr: '北京市东城区', abstract: '社区义诊' }],
      [
        'sh',
        dA,
        CITIES.shanghai,
        {
          date: shanghaiDate(2),
          addr: '上海市黄浦区',
          abstract: '糖尿病筛查 50%',
          service_target: ['老年人', '儿童'],
        },
      ],
      [
        'gz',
        dB,
        CITIES.guangzhou,
        { date: shanghaiDate(3), addr: '广州市越秀区', abstract: 'Eye check', service_target: ['儿童'] },
      ],
      [
        'urc',
        dB,
        CITIES.urumqi,
        { date: shanghaiDate(4), addr: '乌鲁木齐市天山区', abstract: '高原病', service_target: ['牧民'] },
      ],
      [
        'nyc',
        dC,
        CITIES.newYork,
        { date: shanghaiDate(5), addr: 'New York', abstract: 'overseas clinic', service_target: ['华侨'] },
      ],
      [
        'syd',
        dC,
        CITIES.sydney,
        {
          date: shanghaiDate(6),
          addr: 'Sydney',
          abstract: 'overseas clinic',
          service_target: ['华侨', '老年人'],
        },
      ],
      ['tj', dC, CITIES.tianjin, { date: shanghaiDate(1), addr: '天津市和平区', abstract: '义诊' }],
    ];
    for (const [name, doctor, city, over] of clinics) {
      id[name] = await publishAt(doctor, city, over);
      where[name] = city;
    }
    // Never listed, though at the very spot the Beijing callers stand: one cancelled, one over.
    id.cancelled = await publishAt(dA, CITIES.beijing, {
      date: shanghaiDate(1),
      begin: '14:00:00',
      end: '16:00:00',
    });
    await t.http.get(`/project/${id.cancelled}/cancel`).set('X-auth-token', dA.token).expect(200);
    id.ended = await publishAt(dA, CITIES.beijing, { date: shanghaiDate(1) });
    await shiftProject(t, id.ended, -3 * 24 * 60);
    // In progress (started, not ended) is still listed.
    await t.db.query(
      `UPDATE project SET starts_at = now() - interval '30 minutes', ends_at = now() + interval '90 minutes' WHERE id = $1`,
      [id.tj],
    );
    await t.db.query(`UPDATE project SET created_at = now() + interval '1 minute' WHERE id = $1`, [id.bj]);

    // Bookings: gz 2, sh 1; bj's only booking was cancelled and does not count.
    const detail = async (pid: number) =>
      (await t.http.get(`/project/${pid}`).set('X-auth-token', patient.token).expect(200)).body.data as {
        id: number;
        plan_time: Record<string, number>;
      };
    await joinProject(t, patient, await detail(id.gz));
    await joinProject(t, patient2, await detail(id.gz), 1);
    await joinProject(t, patient, await detail(id.sh));
    await joinProject(t, patient2, await detail(id.bj));
    await t.http.get(`/custom/project/${id.bj}/cancel`).set('X-auth-token', patient2.token).expect(200);
  });
  afterAll(() => t.close());

  describe('3.3.2 GET /project', () => {
    it('lists published clinics that have not ended, newest first, in the envelope with a page', async () => {
      const res = await get('/project').expect(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.error_message).toBe('');
      expect(res.body.data.list.map((p: Entry) => p.id)).toEqual(newest(...NEWEST));
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 7, page_size: 10 });
    });

    it('each entry is the clinic as GET /project/{id} shows it to the same caller (2.2.8, no distance)', async () => {
      for (const who of [patient, dA, assistant]) {
        const entries = (await list({}, undefined, who)).list;
        for (const entry of entries) {
          const detail = await t.http.get(`/project/${entry.id}`).set('X-auth-token', who.token).expect(200);
          expect(entry).toEqual(detail.body.data);
        }
      }
    });

    it('carries each caller’s own facts: is_join for the patient, join_user for the owning doctor only', async () => {
      const byId = async (who: Account) =>
        new Map((await list({}, undefined, who)).list.map((p) => [p.id, p]));
      const asPatient = await byId(patient);
      expect(asPatient.get(id.gz)).toMatchObject({
        is_join: 1,
        op_cancel: 1,
        join_people_count: 2,
        join_user: [],
      });
      expect(asPatient.get(id.bj)).toMatchObject({ is_join: 0, op_cancel: 0, join_people_count: 0 });
      const asOwner = await byId(dA);
      expect(asOwner.get(id.sh)?.join_user).toEqual([expect.objectContaining({ id: patient.id, type: 1 })]);
      expect(asOwner.get(id.sh)?.op_cancel).toBe(1);
      expect(asOwner.get(id.gz)).toMatchObject({ join_user: [], op_cancel: 0 });
      expect((await byId(dB)).get(id.gz)?.join_user).toHaveLength(2);
    });

    it('answers every app role; refuses operators (403 20005) and anonymous callers (401 20001)', async () => {
      for (const who of [patient, dB, assistant, idle])
        expect((await list({}, undefined, who)).page.count).toBe(7);
      expectError(await t.http.get('/project').set('X-auth-token', admin), 403, 20005);
      expectError(await t.http.get('/project'), 401, 20001);
    });

    describe('filters (combined with AND)', () => {
      it('keyword: address, abstract, doctor name or hospital name, case-insensitive', async () => {
        expect(await ids({ keyword: '黄浦' })).toEqual(newest('sh'));
        expect(await ids({ keyword: 'EYE' })).toEqual(newest('gz'));
        expect(await ids({ keyword: 'alice' })).toEqual(newest('gz', 'urc'));
        expect(await ids({ keyword: '协和' })).toEqual(newest('bj', 'sh'));
        expect(await ids({ keyword: ' Overseas ' })).toEqual(newest('nyc', 'syd'));
        expect(await ids({ keyword: '义诊' })).toEqual(newest('bj', 'tj'));
        expect(await ids({ keyword: '无此义诊' })).toEqual([]);
      });

      it('keyword % and _ are literal characters, not wildcards', async () => {
        expect(await ids({ keyword: '%' })).toEqual(newest('sh', 'gz', 'urc'));
        expect(await ids({ keyword: '_' })).toEqual(newest('gz', 'urc'));
        expect(await ids({ keyword: '5_%' })).toEqual([]);
        expect(await ids({ keyword: '\\' })).toEqual([]);
      });

      it('service_target: the clinic serves exactly that group (one of its list)', async () => {
        expect(await ids({ service_target: '儿童' })).toEqual(newest('sh', 'gz'));
        expect(await ids({ service_target: '老年人' })).toEqual(newest('bj', 'sh', 'syd', 'tj'));
        expect(await ids({ service_target: '华侨' })).toEqual(newest('nyc', 'syd'));
        expect(await ids({ service_target: '老年' })).toEqual([]);
      });

      it('departments match exactly', async () => {
        expect(await ids({ departments: '内科' })).toEqual(newest('bj', 'sh', 'nyc', 'syd', 'tj'));
        expect(await ids({ departments: '儿科' })).toEqual(newest('gz', 'urc'));
        expect(await ids({ departments: '内' })).toEqual([]);
      });

      it('hospital_id', async () => {
        expect(await ids({ hospital_id: hospitals.union })).toEqual(newest('gz', 'urc'));
        expect(await ids({ hospital_id: hospitals.xiehe })).toEqual(newest('bj', 'sh'));
        expect(await ids({ hospital_id: 2147483647 })).toEqual([]);
      });

      it('org_id: clinics of approved members only (not pending or rejected ones)', async () => {
        expect(await ids({ org_id: orgs.o1 })).toEqual(newest('bj', 'sh'));
        expect(await ids({ org_id: orgs.o2 })).toEqual(newest('gz', 'urc', 'nyc', 'syd', 'tj'));
        expect(await ids({ org_id: 2147483647 })).toEqual([]);
      });

      it('combine with AND, and with every sort', async () => {
        const q = { departments: '内科', service_target: '老年人', org_id: orgs.o2 };
        expect(await ids(q)).toEqual(newest('syd', 'tj'));
        expect(await ids({ ...q, keyword: 'sydney' })).toEqual(newest('syd'));
        expect(await ids({ ...q, sort: 1 }, '116.397-39.909')).toEqual([id.tj, id.syd]);
        expect(await ids({ departments: '内科', sort: 1 }, '116.397-39.909')).toEqual([
          id.bj,
          id.tj,
          id.sh,
          id.syd,
          id.nyc,
        ]);
        expect(await ids({ hospital_id: hospitals.xiehe, sort: 3 })).toEqual([id.sh, id.bj]);
      });

      it('empty parameters mean "no filter", as forms built from the seed send them', async () => {
        const query =
          'keyword=&sort=&service_target=&departments=&hospital_id=&org_id=&current_page=&page_size=';
        const res = await t.http.get(`/project?${query}`).set('X-auth-token', patient.token).expect(200);
        expect(res.body.data.list.map((p: Entry) => p.id)).toEqual(newest(...NEWEST));
        expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 7, page_size: 10 });
      });
    });

    describe('sorting', () => {
      it('sort 2 and no sort: newest published first (created_at, then id)', async () => {
        expect(await ids({ sort: 2 })).toEqual(newest(...NEWEST));
        expect(await ids({})).toEqual(newest(...NEWEST));
      });

      it('sort 3: most booked first (active bookings only), ties by id, newest id first', async () => {
        expect(await ids({ sort: 3 })).toEqual([id.gz, id.sh, id.tj, id.syd, id.nyc, id.urc, id.bj]);
      });

      it.each([
        ['Beijing', '116.397-39.909', { lng: 116.397, lat: 39.909 }],
        ['Shanghai', '121.47-31.23', { lng: 121.47, lat: 31.23 }],
        ['Guangzhou, comma form', '113.26,23.13', { lng: 113.26, lat: 23.13 }],
        ['Urumqi', '87.6-43.8', { lng: 87.6, lat: 43.8 }],
        ['New York, negative longitude', '-73.9-40.7', { lng: -73.9, lat: 40.7 }],
        ['Sydney, negative latitude', '151.2--33.9', { lng: 151.2, lat: -33.9 }],
      ])('sort 1 from %s: nearest first, distance in metres', async (_, header, here) => {
        const names = Object.keys(where) as Clinic[];
        const expected = names
          .map((n) => ({ id: id[n], metres: haversine(here, where[n]) }))
          .sort((a, b) => a.metres - b.metres);
        const res = await list({ sort: 1 }, header);
        expect(res.list.map((p) => p.id)).toEqual(expected.map((e) => e.id));
        res.list.forEach((entry, i) => {
          expect(Number.isInteger(entry.distance)).toBe(true);
          expect(Math.abs(entry.distance! - expected[i].metres)).toBeLessThan(
            50 + expected[i].metres * 0.002,
          );
        });
      });

      it('sort 1 from Tiananmen: Beijing, Tianjin, Shanghai (≈1067 km), Guangzhou, Urumqi, Sydney, New York', async () => {
        const res = await list({ sort: 1 }, '116.397-39.909');
        expect(res.list.map((p) => p.id)).toEqual([id.bj, id.tj, id.sh, id.gz, id.urc, id.syd, id.nyc]);
        const km = new Map(res.list.map((p) => [p.id, p.distance! / 1000]));
        expect(km.get(id.bj)).toBeLessThan(2);
        expect(km.get(id.tj)).toBeGreaterThan(105);
        expect(km.get(id.tj)).toBeLessThan(120);
        expect(km.get(id.sh)).toBeGreaterThan(1060);
        expect(km.get(id.sh)).toBeLessThan(1075);
        expect(km.get(id.gz)).toBeGreaterThan(1880);
        expect(km.get(id.gz)).toBeLessThan(1900);
      });

      it('sort 1 pages the distance order: full pages, a partial last one, an empty one beyond', async () => {
        const all = await ids({ sort: 1 }, '116.397-39.909');
        const page = (current_page: number) =>
          list({ sort: 1, page_size: 3, current_page }, '116.397-39.909');
        const pages = await Promise.all([1, 2, 3, 4].map(page));
        expect(pages.map((p) => p.list.map((e) => e.id))).toEqual([
          all.slice(0, 3),
          all.slice(3, 6),
          all.slice(6),
          [],
        ]);
        expect(pages.map((p) => p.page)).toEqual(
          [1, 2, 3, 4].map((current_page) => ({ current_page, total_page: 3, count: 7, page_size: 3 })),
        );
      });

      it.each([
        ['no header', undefined],
        ['an empty header', ''],
        ['text', 'somewhere'],
        ['one number', '116.397'],
        ['out of range', '200-100'],
        ['latitude out of range', '116.397-95'],
        ['three numbers', '116.397-39.909-10'],
      ])('sort 1 with %s falls back to newest, without distance', async (_, header) => {
        const res = await list({ sort: 1 }, header);
        expect(res.list.map((p) => p.id)).toEqual(newest(...NEWEST));
        for (const entry of res.list) expect(entry).not.toHaveProperty('distance');
      });

      it('a readable location adds distance to the other sorts too, without changing their order', async () => {
        const near = await list({ sort: 3 }, '116.397-39.909');
        expect(near.list.map((p) => p.id)).toEqual(await ids({ sort: 3 }));
        const newestWithDistance = await list({}, '121.47,31.23');
        expect(newestWithDistance.list.map((p) => p.id)).toEqual(newest(...NEWEST));
        const sh = newestWithDistance.list.find((p) => p.id === id.sh)!;
        expect(sh.distance).toBeLessThan(1000);
        const detail = await t.http.get(`/project/${id.sh}`).set('X-auth-token', patient.token).expect(200);
        expect(Object.keys(sh).sort()).toEqual([...Object.keys(detail.body.data), 'distance'].sort());
      });
    });

    describe('paging', () => {
      it('full pages, a partial last page, an empty page beyond the end', async () => {
        const page = (current_page: number) => list({ page_size: 3, current_page });
        const [first, second, last, beyond] = await Promise.all([1, 2, 3, 4].map(page));
        expect(first.list.map((p) => p.id)).toEqual(newest(...NEWEST).slice(0, 3));
        expect(second.list.map((p) => p.id)).toEqual(newest(...NEWEST).slice(3, 6));
        expect(last.list.map((p) => p.id)).toEqual(newest(...NEWEST).slice(6));
        expect(last.page).toEqual({ current_page: 3, total_page: 3, count: 7, page_size: 3 });
        expect(beyond).toEqual({
          list: [],
          page: { current_page: 4, total_page: 3, count: 7, page_size: 3 },
        });
      });

      it('no match: an empty list and zero pages', async () => {
        expect(await list({ keyword: '无此义诊' })).toEqual({
          list: [],
          page: { current_page: 1, total_page: 0, count: 0, page_size: 10 },
        });
      });
    });

    describe('validation: 400 10001 naming the field', () => {
      it.each([
        ['sort', '4'],
        ['sort', '0'],
        ['sort', 'near'],
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
        ['service_target', 'x'.repeat(51)],
        ['departments', 'x'.repeat(51)],
      ])('%s=%s', async (field, value) => {
        const body = expectError(await get('/project', { [field]: value }), 400, 10001);
        expect(body.error_message).toContain(field);
      });

      it.each(['keyword', 'service_target', 'departments', 'sort'])(
        'a repeated %s key (an array) is refused, not a 500',
        async (field) => {
          const res = await t.http.get(`/project?${field}=1&${field}=2`).set('X-auth-token', patient.token);
          expect(expectError(res, 400, 10001).error_message).toContain(field);
        },
      );
    });
  });

  describe('3.2.4 GET /doctor/project', () => {
    it("lists the caller's own clinics in every state, latest date (then start time) first", async () => {
      const res = await get('/doctor/project', {}, dA).expect(200);
      const mine = res.body.data as PageData;
      expect(mine.list.map((p) => p.id)).toEqual([id.sh, id.cancelled, id.bj, id.ended]);
      expect(mine.page).toEqual({ current_page: 1, total_page: 1, count: 4, page_size: 10 });
      const byId = new Map(mine.list.map((p) => [p.id, p]));
      expect(byId.get(id.cancelled)).toMatchObject({ status: 0, progress_status: 3, op_cancel: 0 });
      expect(byId.get(id.ended)).toMatchObject({ status: 1, project_status: 3, progress_status: 3 });
      expect(byId.get(id.sh)).toMatchObject({ op_cancel: 1, join_people_count: 1 });
      expect(byId.get(id.sh)?.join_user).toEqual([expect.objectContaining({ id: patient.id })]);
      for (const entry of mine.list) {
        const detail = await t.http.get(`/project/${entry.id}`).set('X-auth-token', dA.token).expect(200);
        expect(entry).toEqual(detail.body.data);
      }
    });

    it('shows only the caller’s clinics; a doctor without any gets an empty page', async () => {
      expect((await data('/doctor/project', {}, dC)).list.map((p) => p.id)).toEqual([id.syd, id.nyc, id.tj]);
      expect(await data('/doctor/project', {}, idle)).toEqual({
        list: [],
        page: { current_page: 1, total_page: 0, count: 0, page_size: 10 },
      });
    });

    it('pages: a partial last page and an empty one beyond', async () => {
      const page = (current_page: number) => data('/doctor/project', { page_size: 3, current_page }, dA);
      expect((await page(1)).list.map((p) => p.id)).toEqual([id.sh, id.cancelled, id.bj]);
      expect(await page(2)).toMatchObject({
        list: [expect.objectContaining({ id: id.ended })],
        page: { current_page: 2, total_page: 2, count: 4, page_size: 3 },
      });
      expect((await page(3)).list).toEqual([]);
    });

    it('is for doctors only: patients, assistants and operators 403 20005; anonymous 401', async () => {
      for (const token of [patient.token, assistant.token, admin]) {
        expectError(await t.http.get('/doctor/project').set('X-auth-token', token), 403, 20005);
      }
      expectError(await t.http.get('/doctor/project'), 401, 20001);
      expectError(await get('/doctor/project', { page_size: 101 }, dA), 400, 10001);
    });
  });

  describe('3.3.11 GET /custom/doctor/{id}/project', () => {
    const ofDoctor = (doctor: number, query: Record<string, string | number> = {}, who?: Account) =>
      data(`/custom/doctor/${doctor}/project`, query, who);

    it("lists a doctor's published clinics, past ones included, cancelled ones not, latest date first", async () => {
      const res = await ofDoctor(dA.id);
      expect(res.list.map((p) => p.id)).toEqual([id.sh, id.bj, id.ended]);
      expect(res.page).toEqual({ current_page: 1, total_page: 1, count: 3, page_size: 10 });
      expect(res.list.find((p) => p.id === id.sh)).toMatchObject({ is_join: 1, join_user: [] });
      expect((await ofDoctor(dC.id)).list.map((p) => p.id)).toEqual([id.syd, id.nyc, id.tj]);
    });

    it('answers every app role; the owner sees join_user in it as in the detail', async () => {
      for (const who of [patient, assistant, dB]) expect((await ofDoctor(dA.id, {}, who)).page.count).toBe(3);
      const own = await ofDoctor(dA.id, {}, dA);
      expect(own.list.find((p) => p.id === id.sh)?.join_user).toHaveLength(1);
      expectError(await t.http.get(`/custom/doctor/${dA.id}/project`).set('X-auth-token', admin), 403, 20005);
      expectError(await t.http.get(`/custom/doctor/${dA.id}/project`), 401, 20001);
    });

    it('pages, and an empty page for a doctor without clinics', async () => {
      const last = await ofDoctor(dA.id, { page_size: 2, current_page: 2 });
      expect(last).toMatchObject({
        list: [expect.objectContaining({ id: id.ended })],
        page: { current_page: 2, total_page: 2, count: 3, page_size: 2 },
      });
      expect((await ofDoctor(dA.id, { page_size: 2, current_page: 3 })).list).toEqual([]);
      expect(await ofDoctor(idle.id)).toEqual({
        list: [],
        page: { current_page: 1, total_page: 0, count: 0, page_size: 10 },
      });
    });

    it('404 30031 for an unknown id or an account that is not a doctor; 400 for a malformed id', async () => {
      for (const missing of [2147483647, patient.id, assistant.id]) {
        expectError(await get(`/custom/doctor/${missing}/project`), 404, 30031);
      }
      for (const bad of ['abc', '0', '1.5']) {
        expect(expectError(await get(`/custom/doctor/${bad}/project`), 400, 10001).error_message).toContain(
          'id',
        );
      }
      expectError(await get(`/custom/doctor/${dA.id}/project`, { current_page: 0 }), 400, 10001);
    });
  });

  describe('a fixed number of queries whatever the page size', () => {
    let bulk: Account;

    beforeAll(async () => {
      // 60 more clinics of one doctor (approved in o2) around Beijing. Two are booked, neither on the first page
      // of one: join_user then costs nothing extra there unless the batching is what it should be.
      bulk = await makeDoctor(t, { name: '批量医生', departments: '全科', hospitalId: hospitals.union });
      await t.db.query('INSERT INTO org_member (org_id, doctor_id, verify_status) VALUES ($1, $2, 1)', [
        orgs.o2,
        bulk.id,
      ]);
      const rows = await t.db.query<{ id: number }[]>(
        `INSERT INTO project (doctor_id, hospital_id, departments, date, begin, "end", starts_at, ends_at,
                              people_count, addr, lng, lat, abstract, service_target)
         SELECT $1, $2, '全科', (now() AT TIME ZONE 'Asia/Shanghai')::date + 7, '09:00', '11:00',
                now() + interval '7 days', now() + interval '7 days 2 hours', 10, '批量地址' || g,
                116 + g / 100.0, 39 + g / 100.0, '批量义诊' || g, '["老年人"]'::jsonb
         FROM generate_series(1, 60) g RETURNING id`,
        [bulk.id, hospitals.union],
      );
      await t.db.query(
        `INSERT INTO project_slot (project_id, idx, begin, "end", capacity, remaining)
         SELECT unnest($1::int[]), 0, '09:00', '11:00', 10, 10`,
        [rows.map((r) => r.id)],
      );
      for (const [who, row] of [
        [patient, rows[58]],
        [patient2, rows[30]],
      ] as const) {
        await joinProject(t, who, { id: row.id, plan_time: { '09:00:00 - 11:00:00': 10 } });
      }
    });

    interface Case {
      url: string;
      query?: Record<string, string | number>;
      who: Account;
      location?: string;
    }
    // Functions: the accounts and ids exist only once the suite has started.
    it.each<[string, () => Case]>([
      ['/project, no filter, as a patient', () => ({ url: '/project', who: patient })],
      [
        '/project, sort 1 with a location',
        () => ({ url: '/project', query: { sort: 1 }, who: patient, location: '116.397-39.909' }),
      ],
      [
        '/project, sort 3 and every filter',
        () => ({
          url: '/project',
          query: {
            sort: 3,
            keyword: '批量',
            service_target: '老年人',
            departments: '全科',
            hospital_id: hospitals.union,
            org_id: orgs.o2,
          },
          who: patient,
        }),
      ],
      ['/project as the doctor who owns them', () => ({ url: '/project', who: bulk })],
      ['/project as an assistant', () => ({ url: '/project', who: assistant })],
      ['/doctor/project', () => ({ url: '/doctor/project', who: bulk })],
      ['/custom/doctor/{id}/project', () => ({ url: `/custom/doctor/${bulk.id}/project`, who: patient })],
    ])('%s', async (_, make) => {
      const { url, query, who, location } = make();
      let entries = 0;
      const run = (page_size: number) =>
        countQueries(t, async () => {
          entries = (await data(url, { ...query, page_size }, who, location)).list.length;
        });
      const one = await run(1);
      expect(entries).toBe(1);
      const fifty = await run(50);
      expect(entries).toBe(50);
      expect(fifty).toBe(one);
    });
  });
});
