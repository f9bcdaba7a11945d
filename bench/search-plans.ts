/**
 * Query plans of the directory searches (3.3.1 `/hospital`, 3.2.18 `/org`) on 100,000 rows each.
 *
 *   createdb -h 127.0.0.1 -U postgres bench_plans   # or let this script create it
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_plans \
 *     npx ts-node -T -r tsconfig-paths/register bench/search-plans.ts
 *
 * It migrates the database, replaces its hospitals and orgs with generated ones, ANALYZEs, then runs the app's
 * own list code (`pageByName`) with a few keywords and prints `EXPLAIN (ANALYZE, BUFFERS)` of exactly the SQL
 * that code sent (page and count queries). A 2-character Chinese keyword has no trigram, so the index cannot
 * serve it: that case is printed too, to show what it costs.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource, Logger } from 'typeorm';
import { dataSourceOptions, runMigrations } from 'src/database/data-source';
import { KeywordPageQuery } from 'src/modules/hospitals/dto/directory.fields';
import { pageByName } from 'src/modules/hospitals/directory.helpers';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { toHospitalView } from 'src/modules/hospitals/hospital.view';
import { Org } from 'src/modules/orgs/org.entity';
import { toOrgView } from 'src/modules/orgs/org.view';

const ROWS = 100_000;

type Directory = typeof Hospital | typeof Org;

/**
 * What the apps search for: a fragment of one name (as typed, ≥ 3 characters so it has trigrams; the keyword is
 * read from the generated row), a Latin word in 1% of names in another case, and a 2-character Chinese word.
 */
const SEARCHES: [label: string, entity: Directory, keyword: string | { fragmentOfRow: number }][] = [
  ['hospital, 4-character fragment of one name', Hospital, { fragmentOfRow: 4242 }],
  ['hospital, Latin word in 1% of names, other case', Hospital, 'UNION'],
  ['hospital, 2 Chinese characters (no trigram)', Hospital, '华西'],
  ['org, 4-character fragment of one name', Org, { fragmentOfRow: 4242 }],
  ['org, Latin word in 1% of names, other case', Org, 'ribbon'],
];

/** A pseudo-random character of `chars` for row `g` (deterministic, so runs compare). */
const pick = (chars: string, g: string, prime: number) =>
  `substr('${chars}', 1 + ((${g})::bigint * ${prime} % ${[...chars].length})::int, 1)`;
const GIVEN =
  '仁爱德济华信诚明光正博雅慈善福寿祥瑞嘉禾丰源恒昌盛兴隆裕广厚淳朴清远方圆同舟共长乐永宁康泰安和平松柏兰桂蓉杏林春晖';

/** Records the statements the app sends, to EXPLAIN them verbatim. */
class Capture implements Logger {
  queries: { sql: string; params: unknown[] }[] = [];
  logQuery(sql: string, params?: unknown[]): void {
    this.queries.push({ sql, params: params ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** Creates the scratch database when missing; refuses names without "bench", since it replaces table contents. */
async function ensureDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/bench/.test(name))
    throw new Error(`refusing to fill "${name}": use a scratch database named *bench*`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/**
 * Names from city, type and brand word lists plus two pseudo-random characters, so names are about as varied as
 * real ones; every 97th hospital and 89th org carries a Latin word.
 */
async function fill(db: DataSource): Promise<void> {
  await db.query('TRUNCATE hospital, org RESTART IDENTITY CASCADE');
  await db.query(
    `INSERT INTO hospital (name, level, tag, addr)
     SELECT (ARRAY['北京','上海','广州','深圳','成都','重庆','武汉','西安','南京','杭州','长沙','郑州','济南','沈阳',
                   '昆明','贵阳','南宁','福州','合肥','太原','石家庄','哈尔滨','长春','兰州','西宁','银川','乌鲁木齐',
                   '拉萨','呼和浩特','海口','天津','苏州','无锡','宁波','厦门','青岛','大连','佛山','东莞','温州'])[1 + g % 40]
         || ${pick(GIVEN, 'g', 7919)} || ${pick(GIVEN, 'g / 57', 104729)}
         || (ARRAY['医院','人民医院','中医院','妇幼保健院','社区卫生服务中心','诊所','专科医院','华西医院',
                   '协和医院','儿童医院','肿瘤医院','口腔医院'])[1 + (g / 40) % 12]
         || CASE WHEN g % 97 = 0 THEN ' Union Medical' ELSE '' END,
            (ARRAY['三级甲等','三级乙等','二级甲等','一级'])[1 + g % 4],
            (ARRAY['心血管科','呼吸科','儿科','骨科','眼科'])[1 + g % 5],
            '某路' || g || '号'
     FROM generate_series(1, ${ROWS}) g`,
  );
  await db.query(
    `INSERT INTO org (name, abstract)
     SELECT (ARRAY['蓝丝带','乡村','白衣','爱心','阳光','红十字','星火','春雨','山海','同心','守望','微光','暖阳',
                   '青禾','远山','晨曦','启明','扬帆','众行','长青'])[1 + g % 20]
         || ${pick(GIVEN, 'g', 7919)} || ${pick(GIVEN, 'g / 57', 104729)}
         || (ARRAY['志愿','公益','健康','医疗','义诊','关爱','互助','巡诊'])[1 + (g / 20) % 8]
         || (ARRAY['医疗队','协会','服务团','基金会','联盟','行动','小组'])[1 + (g / 160) % 7]
         || CASE WHEN g % 89 = 0 THEN ' Blue Ribbon' ELSE '' END,
            '组织简介 ' || g
     FROM generate_series(1, ${ROWS}) g`,
  );
  await db.query('ANALYZE hospital');
  await db.query('ANALYZE org');
}

/** Characters 2 to 5 of the row's name: what someone remembering part of it would type. */
async function fragmentOf(db: DataSource, entity: Directory, id: number): Promise<string> {
  const [row] = await db.query<{ k: string }[]>(
    `SELECT substr(name, 2, 4) AS k FROM "${db.getMetadata(entity).tableName}" WHERE id = $1`,
    [id],
  );
  return row.k;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      'set DATABASE_URL to a scratch database, e.g. postgres://postgres@127.0.0.1:5432/bench_plans',
    );
  await ensureDatabase(url);
  await runMigrations(url);
  const capture = new Capture();
  const db = new DataSource({ ...dataSourceOptions(url), logger: capture });
  await db.initialize();
  try {
    const started = Date.now();
    await fill(db);
    console.log(`filled ${ROWS} hospitals and ${ROWS} orgs in ${Date.now() - started} ms\n`);
    for (const [label, entity, wanted] of SEARCHES) {
      const keyword =
        typeof wanted === 'string' ? wanted : await fragmentOf(db, entity, wanted.fragmentOfRow);
      const q = Object.assign(new KeywordPageQuery(), { keyword, current_page: 1, page_size: 10 });
      capture.queries = [];
      const page =
        entity === Hospital
          ? await pageByName(db.manager, Hospital, q, toHospitalView)
          : await pageByName(db.manager, Org, q, toOrgView);
      const sent = capture.queries;
      capture.queries = []; // the EXPLAINs below are logged too
      console.log(`=== ${label}: keyword "${keyword}", ${page.page.count} matches, ${sent.length} queries`);
      for (const { sql, params } of sent) {
        // The select list names every column; shorten it so the statement fits a line.
        const shown = sql.replace(/^SELECT (?:"d"\."\w+" AS "d_\w+"(?:, )?)+/, 'SELECT <columns of d> ');
        console.log(`--- ${shown}  params ${JSON.stringify(params)}`);
        const plan = await db.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        console.log(plan.map((r) => r['QUERY PLAN']).join('\n'), '\n');
      }
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
