import { expectError } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

interface RegionItem {
  id: number;
  parent_id: number;
  name: string;
  short_name: string;
  pinyin: string;
  sort: number;
}

const ITEM_KEYS = ['id', 'name', 'parent_id', 'pinyin', 'short_name', 'sort'];

describe('regions: GET /city and GET /area/city', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function list(path: string): Promise<RegionItem[]> {
    const res = await t.http.get(path).expect(200);
    expect(res.body.error_code).toBe(0);
    expect(res.body.error_message).toBe('');
    expect(Array.isArray(res.body.data.list)).toBe(true);
    return res.body.data.list as RegionItem[];
  }

  describe('GET /city', () => {
    it('without parent_id lists the 31 provinces in code order, needing no token', async () => {
      const provinces = await list('/city');
      expect(provinces).toHaveLength(31);
      expect(provinces[0]).toEqual({
        id: 110000,
        parent_id: 0,
        name: '北京市',
        short_name: '北京',
        pinyin: 'beijing',
        sort: 1,
      });
      expect(provinces.find((p) => p.id === 510000)).toMatchObject({
        name: '四川省',
        short_name: '四川',
        pinyin: 'sichuan',
      });
      expect(provinces.find((p) => p.id === 450000)).toMatchObject({
        name: '广西壮族自治区',
        short_name: '广西',
      });
      for (const p of provinces) {
        expect(Object.keys(p).sort()).toEqual(ITEM_KEYS);
        expect(p.parent_id).toBe(0);
        expect(p.id % 10000).toBe(0);
      }
      expect(provinces.map((p) => p.sort)).toEqual(provinces.map((_, i) => i + 1));
    });

    it('parent_id=0 and an empty parent_id both mean provinces', async () => {
      expect(await list('/city?parent_id=0')).toHaveLength(31);
      expect(await list('/city?parent_id=')).toHaveLength(31);
    });

    it('a municipality has exactly one city named like it', async () => {
      expect(await list('/city?parent_id=110000')).toEqual([
        { id: 110100, parent_id: 110000, name: '北京市', short_name: '北京', pinyin: 'beijing', sort: 1 },
      ]);
      const chongqing = await list('/city?parent_id=500000');
      expect(chongqing.map((c) => c.id)).toEqual([500100]);
    });

    it('a province lists its cities, a city its counties', async () => {
      const cities = await list('/city?parent_id=510000');
      expect(cities.find((c) => c.id === 510100)).toEqual({
        id: 510100,
        parent_id: 510000,
        name: '成都市',
        short_name: '成都',
        pinyin: 'chengdu',
        sort: 1,
      });
      expect(cities.every((c) => c.parent_id === 510000 && Math.floor(c.id / 10000) === 51)).toBe(true);
      const counties = await list('/city?parent_id=510100');
      expect(counties.find((c) => c.id === 510107)).toMatchObject({
        parent_id: 510100,
        name: '武侯区',
        short_name: '武侯',
        pinyin: 'wuhou',
      });
      for (const c of counties) expect(Object.keys(c).sort()).toEqual(ITEM_KEYS);
    });

    it('a county has no children: an empty list, not an error', async () => {
      expect(await list('/city?parent_id=510107')).toEqual([]);
    });

    it('a city without counties (东莞) has an empty list and no town-level rows', async () => {
      const guangdong = await list('/city?parent_id=440000');
      expect(guangdong.find((c) => c.id === 441900)).toMatchObject({ name: '东莞市' });
      expect(await list('/city?parent_id=441900')).toEqual([]);
    });

    it('an unknown parent is 404 10020', async () => {
      expectError(await t.http.get('/city?parent_id=999999'), 404, 10020);
    });

    it.each(['abc', '1.5', '-1', '1000000'])(
      'parent_id=%s is a validation error naming the field',
      async (v) => {
        const body = expectError(await t.http.get(`/city?parent_id=${v}`), 400, 10001);
        expect(body.error_message).toContain('parent_id');
        expect(body.data).toEqual({ field: 'parent_id' });
      },
    );
  });

  describe('GET /area/city', () => {
    it('accepts the full or the short city name (北京市 / 北京)', async () => {
      const full = await list(`/area/city?name=${encodeURIComponent('北京市')}`);
      const short = await list(`/area/city?name=${encodeURIComponent('北京')}`);
      expect(full).toEqual(short);
      expect(full.length).toBeGreaterThanOrEqual(16);
      expect(full.find((c) => c.id === 110105)).toEqual({
        id: 110105,
        parent_id: 110100,
        name: '朝阳区',
        short_name: '朝阳',
        pinyin: 'chaoyang',
        sort: expect.any(Number),
      });
      expect(full.every((c) => c.parent_id === 110100)).toBe(true);
    });

    it('lists the districts of 成都市 in sort order', async () => {
      const counties = await list(`/area/city?name=${encodeURIComponent('成都市')}`);
      expect(counties.map((c) => c.id)).toEqual(expect.arrayContaining([510104, 510107]));
      expect(counties.every((c) => c.parent_id === 510100)).toBe(true);
      const sorts = counties.map((c) => c.sort);
      expect(sorts).toEqual([...sorts].sort((a, b) => a - b));
    });

    it('surrounding spaces are ignored', async () => {
      const counties = await list(`/area/city?name=${encodeURIComponent(' 成都 ')}`);
      expect(counties.some((c) => c.id === 510107)).toBe(true);
    });

    it('a missing or empty name is a validation error', async () => {
      const missing = expectError(await t.http.get('/area/city'), 400, 10001);
      expect(missing.data).toEqual({ field: 'name' });
      expectError(await t.http.get('/area/city?name='), 400, 10001);
    });

    it('an unknown name, a province or a county is 404 10020', async () => {
      for (const name of ['不存在市', '四川省', '武侯区']) {
        expectError(await t.http.get(`/area/city?name=${encodeURIComponent(name)}`), 404, 10020);
      }
    });
  });
});
