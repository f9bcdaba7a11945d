/**
 * Fills a freshly migrated database with a year of the platform at a chosen scale (1 = 100,000 patients, 5,000
 * doctors, 1,000 assistants, 500 hospitals, 20,000 free clinics with their slots, 1,000,000 bookings, 200,000
 * chat messages), consistent with the app's rules, so every screen behaves as in production:
 *
 * - clinics are cut into 30-minute slots with `people_count` spread as the app does (remainder first);
 * - a slot's `remaining` is its capacity less its active bookings, a clinic's `join_people_count` its active
 *   bookings; one active booking per patient per clinic; no booking of a clinic that has ended is still waiting
 *   (seen, no-show, cancelled or rejected), so the no-show job finds nothing to do;
 * - every booking has its casebook and its personal message; `user_stat` counters are computed from the bookings
 *   exactly as the booking transitions move them; chat dialogs point at their latest message;
 * - every account has a token (`tokenFor`), stored as the app stores tokens (SHA-256 of the token).
 *
 * Rows are made by a few multi-row `INSERT … SELECT generate_series` statements (no COPY), ids given explicitly
 * so related rows can be computed, identity sequences moved past them at the end. The last tenth of the patients
 * has no booking at all: the booking scenarios book with them. `bench_meta` records the volume and id ranges.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/generate.ts --scale 0.01 [--database clinic_bench_x]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { hashPassword } from 'src/common/crypto/hashing';
import { personalData, usePersonalDataKeys } from 'src/common/crypto/personal-data';
import { runMigrations } from 'src/database/data-source';
import { CITIES } from './cities';
import { BENCH_APP_ENV } from './app-process';
import { adminQuery, benchDatabaseName, benchServer, withDatabase } from './bench-db';

export interface Volume {
  hospitals: number;
  doctors: number;
  assistants: number;
  patients: number;
  clinics: number;
  bookings: number;
  chatMessages: number;
  orgs: number;
}

export const FULL_VOLUME: Volume = {
  hospitals: 500,
  doctors: 5000,
  assistants: 1000,
  patients: 100_000,
  clinics: 20_000,
  bookings: 1_000_000,
  chatMessages: 200_000,
  orgs: 50,
};

export function volumeAt(scale: number): Volume {
  const at = (n: number, min = 1) => Math.max(min, Math.round(n * scale));
  return {
    hospitals: at(FULL_VOLUME.hospitals),
    doctors: at(FULL_VOLUME.doctors, 2),
    assistants: at(FULL_VOLUME.assistants),
    patients: at(FULL_VOLUME.patients, 100),
    clinics: at(FULL_VOLUME.clinics, 2),
    bookings: at(FULL_VOLUME.bookings, 10),
    chatMessages: at(FULL_VOLUME.chatMessages, 10),
    orgs: at(FULL_VOLUME.orgs, 2),
  };
}

/** Id ranges (inclusive) the scenarios draw from; stored in `bench_meta`. */
export interface BenchMeta {
  scale: number;
  volume: Volume;
  doctors: [number, number];
  assistants: [number, number];
  patients: [number, number];
  /** Patients without any booking: the booking scenarios book with them. */
  joiners: [number, number];
  /** Token of account `id` is `${tokenSecret}:${id}`. */
  tokenSecret: string;
  password: string;
  generatedAt: string;
  seconds: number;
}

export const tokenFor = (meta: Pick<BenchMeta, 'tokenSecret'>, userId: number): string =>
  `${meta.tokenSecret}:${userId}`;

/** Every generated account's password (one argon2 hash for all). */
const PASSWORD = 'bench1234';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏红燕春晖建国志强海燕晓东文博子涵宇轩欣怡思远浩然';
const DEPARTMENTS = [
  '内科',
  '外科',
  '儿科',
  '妇产科',
  '眼科',
  '口腔科',
  '皮肤科',
  '中医科',
  '心血管内科',
  '呼吸内科',
  '骨科',
  '神经内科',
];
const POSITIONS = ['主任医师', '副主任医师', '主治医师', '住院医师'];
const TARGETS = ['老年人', '儿童', '妇女', '慢性病患者', '残障人士', '所有人'];

const sqlArray = (items: string[]) => `(ARRAY[${items.map((s) => `'${s}'`).join(',')}])`;
/** A pseudo-random character of `chars` for the integer expression `g` (deterministic, so runs compare). */
const pick = (chars: string, g: string, prime: number) =>
  `substr('${chars}', 1 + ((${g})::bigint * ${prime} % ${[...chars].length})::int, 1)`;
const personName = (g: string) =>
  `${pick(SURNAMES, g, 7919)} || ${pick(GIVEN, g, 104729)} || ${pick(GIVEN, `${g} / 7`, 15485863)}`;
/** A fraction in [-0.5, 0.5) from `g`, to spread points around a city centre. */
const jitter = (g: string, prime: number) => `((((${g})::bigint * ${prime}) % 1000) / 1000.0 - 0.5)`;

type Step = (db: Client) => Promise<unknown>;

interface Person {
  id: number;
  phone: string;
  idno: string | null;
}

const pad9 = (g: number) => String(g).padStart(9, '0');
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid resident ID (GB 11643 check digit) registered in `county`, born between 1940 and 2008. */
function residentId(county: number, g: number): string {
  const born = new Date(Date.UTC(1940, 0, 1) + ((g * 37) % 25000) * 86_400_000);
  const base = `${county}${born.toISOString().slice(0, 10).replace(/-/g, '')}${String(g % 1000).padStart(3, '0')}`;
  const sum = [...base].reduce((acc, d, i) => acc + Number(d) * ID_WEIGHTS[i], 0);
  return base + '10X98765432'[sum % 11];
}

/** Runs the steps in order, printing how long each took. */
async function timed(log: (line: string) => void, db: Client, steps: [string, Step][]): Promise<void> {
  for (const [name, step] of steps) {
    const started = Date.now();
    await step(db);
    log(`  ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/**
 * Generates the data into `url` (migrated here if needed; it must hold no accounts yet). Returns what
 * `bench_meta` records.
 */
export async function generate(
  url: string,
  scale: number,
  log: (line: string) => void = () => undefined,
): Promise<BenchMeta> {
  const started = Date.now();
  // The app's keys for personal data, as the benchmark starts it (the migrations need them too).
  usePersonalDataKeys({ ...BENCH_APP_ENV, NODE_ENV: BENCH_APP_ENV.NODE_ENV });
  await runMigrations(url);
  const v = volumeAt(scale);
  const passwordHash = await hashPassword(PASSWORD);
  const D = v.doctors;
  const A = v.assistants;
  const P = v.patients;
  const joiners = Math.max(10, Math.floor(P / 10));
  const pool = P - joiners; // patients who have bookings
  const firstPatient = D + A + 1;
  const meta: BenchMeta = {
    scale,
    volume: v,
    doctors: [1, D],
    assistants: [D + 1, D + A],
    patients: [firstPatient, D + A + P],
    joiners: [firstPatient + pool, D + A + P],
    tokenSecret: randomBytes(12).toString('hex'),
    password: PASSWORD,
    generatedAt: new Date().toISOString(),
    seconds: 0,
  };

  const db = new Client({ connectionString: url, application_name: 'clinic-bench-generate' });
  await db.connect();
  try {
    const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user')).rows;
    if (n > 0) throw new Error('the database already has accounts: generate into a fresh one');
    // Rows are consistent by construction; skipping foreign-key triggers makes the load several times faster.
    // Only a superuser may; elsewhere the checks simply run.
    await db.query(`SET session_replication_role = replica`).catch(() => undefined);
    await db.query(`SET work_mem = '256MB'`);

    const B = v.bookings;
    const M = v.chatMessages;
    const dialogs = Math.max(1, Math.round(M / 10));
    log(`generating at scale ${scale}: ${JSON.stringify(v)}`);
    await timed(log, db, [
      [
        'cities',
        (c) =>
          c.query(
            `CREATE TEMP TABLE bench_city AS
             SELECT (row_number() OVER (ORDER BY x.id, w) - 1)::int AS n, x.id AS city_id, r.name AS city_name,
                    r.short_name AS city_short, pr.id AS province_id, pr.name AS province_name,
                    COALESCE(k.id, r.id) AS county_id, COALESCE(k.name, r.name) AS county_name, x.lng, x.lat
             FROM unnest($1::int[], $2::float8[], $3::float8[], $4::int[]) AS x(id, lng, lat, weight)
             JOIN region r ON r.id = x.id
             JOIN region pr ON pr.id = r.parent_id
             LEFT JOIN LATERAL (SELECT id, name FROM region WHERE parent_id = r.id AND level = 3 ORDER BY id LIMIT 1) k
               ON true
             CROSS JOIN generate_series(1, x.weight) w`,
            [
              CITIES.map((c) => c[0]),
              CITIES.map((c) => c[1]),
              CITIES.map((c) => c[2]),
              CITIES.map((c) => c[3]),
            ],
          ),
      ],
      [
        `${v.hospitals} hospitals`,
        (c) =>
          c.query(
            `INSERT INTO hospital (id, name, level, tag, province_id, province_name, city_id, city_name, county_id,
                                   county_name, addr, lng, lat)
             OVERRIDING SYSTEM VALUE
             SELECT g, bc.city_short || ${pick('仁和济安康华博爱协同德泰', 'g', 31)} || (ARRAY['人民医院','中医院',
                      '第一医院','第二医院','妇幼保健院','中心医院','协和医院','儿童医院'])[1 + g % 8] || g,
                    (ARRAY['三级甲等','三级乙等','二级甲等','一级'])[1 + g % 4], ${sqlArray(DEPARTMENTS)}[1 + g % 12],
                    bc.province_id, bc.province_name, bc.city_id, bc.city_name, bc.county_id, bc.county_name,
                    bc.county_name || '健康路' || g || '号',
                    round((bc.lng + ${jitter('g', 7919)} * 0.12)::numeric, 6), round((bc.lat + ${jitter('g', 6271)} * 0.12)::numeric, 6)
             FROM generate_series(1, $1::int) g
             JOIN bench_city bc ON bc.n = (g::bigint * 17 % (SELECT count(*) FROM bench_city))::int`,
            [v.hospitals],
          ),
      ],
      [
        `${D} doctors, ${A} assistants, ${P} patients`,
        async (c) => {
          // Phones and ID numbers are sealed with the app's keys, so they are made here rather than in SQL.
          const cities = (await c.query<{ county_id: number }>('SELECT county_id FROM bench_city ORDER BY n'))
            .rows;
          const people: Person[] = [];
          for (let g = 1; g <= D; g += 1) people.push({ id: g, phone: `15${pad9(g)}`, idno: null });
          for (let g = 1; g <= A; g += 1) people.push({ id: D + g, phone: `17${pad9(g)}`, idno: null });
          for (let g = 1; g <= P; g += 1) {
            people.push({
              id: D + A + g,
              phone: `13${pad9(g)}`,
              idno: residentId(cities[(g * 13) % cities.length].county_id, g),
            });
          }
          await c.query(
            `CREATE TEMP TABLE bench_person (id int PRIMARY KEY, phone text, phone_hash text, phone_search text[],
                                             idno text, idno_hash text, sex smallint, birthday date)`,
          );
          const cipher = personalData();
          for (let i = 0; i < people.length; i += 10_000) {
            const part = people.slice(i, i + 10_000);
            await c.query(
              `INSERT INTO bench_person
               SELECT id, phone, phone_hash, string_to_array(search, ','), idno, idno_hash, sex, birthday
               FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::date[])
                 AS x(id, phone, phone_hash, search, idno, idno_hash, sex, birthday)`,
              [
                part.map((p) => p.id),
                part.map((p) => cipher.seal('phone', p.phone)),
                part.map((p) => cipher.lookupHash('phone', p.phone)),
                part.map((p) => cipher.phoneSearchTokens(p.phone).join(',')),
                part.map((p) => (p.idno ? cipher.seal('idno', p.idno) : null)),
                part.map((p) => (p.idno ? cipher.lookupHash('idno', p.idno) : null)),
                // The 17th digit: odd male (1), even female (2).
                part.map((p) => (p.idno ? (Number(p.idno[16]) % 2 === 1 ? 1 : 2) : 1 + (p.id % 2))),
                part.map((p) =>
                  p.idno ? `${p.idno.slice(6, 10)}-${p.idno.slice(10, 12)}-${p.idno.slice(12, 14)}` : null,
                ),
              ],
            );
          }
          const personal = 'x.phone, x.phone_hash, x.phone_search, x.idno, x.idno_hash, x.sex, x.birthday';
          const personalColumns = 'phone, phone_hash, phone_search, idno, idno_hash, sex, birthday';
          await c.query(
            `INSERT INTO app_user (id, type, password_hash, is_verify, real_name, province_id, province_name, city_id,
                                   city_name, county_id, county_name, addr, hospital_id, departments, job_position,
                                   good_at, abstract, team_name, ${personalColumns})
             OVERRIDING SYSTEM VALUE
             SELECT g, 2, $2, CASE WHEN g % 20 = 0 THEN 0 ELSE 1 END, ${personName('g')},
                    h.province_id, h.province_name, h.city_id, h.city_name, h.county_id, h.county_name,
                    h.addr, h.id, ${sqlArray(DEPARTMENTS)}[1 + g % 12], ${sqlArray(POSITIONS)}[1 + g % 4],
                    '擅长' || ${sqlArray(DEPARTMENTS)}[1 + g % 12] || '常见病、多发病的诊治', '从事临床工作' || (5 + g % 25) || '年。',
                    '', ${personal}
             FROM generate_series(1, $1::int) g
             JOIN hospital h ON h.id = 1 + (g::bigint * 7 % $3)::int
             JOIN bench_person x ON x.id = g`,
            [D, passwordHash, v.hospitals],
          );
          await c.query(
            `INSERT INTO app_user (id, type, password_hash, is_verify, real_name, ${personalColumns})
             OVERRIDING SYSTEM VALUE
             SELECT $1 + g, 3, $3, 1, ${personName('g + 3')}, ${personal}
             FROM generate_series(1, $2::int) g JOIN bench_person x ON x.id = $1 + g`,
            [D, A, passwordHash],
          );
          await c.query(
            `INSERT INTO app_user (id, type, password_hash, is_verify, real_name, province_id, province_name, city_id,
                                   city_name, county_id, county_name, addr, ${personalColumns})
             OVERRIDING SYSTEM VALUE
             SELECT $1 + g, 1, $3, 1, ${personName('g + 11')}, bc.province_id, bc.province_name, bc.city_id,
                    bc.city_name, bc.county_id, bc.county_name, bc.county_name || '幸福里' || g || '号', ${personal}
             FROM generate_series(1, $2::int) g
             JOIN bench_city bc ON bc.n = (g::bigint * 13 % (SELECT count(*) FROM bench_city))::int
             JOIN bench_person x ON x.id = $1 + g`,
            [D + A, P, passwordHash],
          );
        },
      ],
      [
        `${v.clinics} clinics over a year`,
        async (c) => {
          // Doctors pending verification (every 20th) publish nothing; clinics sit around their doctor's hospital.
          await c.query(
            `CREATE TEMP TABLE bench_project AS
             SELECT g AS id, u.id AS doctor_id, u.hospital_id, u.departments,
                    current_date - 182 + (g::bigint * 7919 % 365)::int AS date,
                    (time '08:00' + make_interval(mins => (g % 4) * 30 + (g / 4 % 2) * 330)) AS begin,
                    4 + (g * 13 % 5) AS nslots, 8 + (g * 7 % 8) AS per_slot, h.lng, h.lat, h.county_name
             FROM generate_series(1, $1::int) g
             JOIN app_user u ON u.id = (SELECT CASE WHEN d % 20 = 0 THEN d - 1 ELSE d END
                                        FROM (SELECT 1 + (g::bigint * 31 % $2)::int AS d) x)
             JOIN hospital h ON h.id = u.hospital_id`,
            [v.clinics, D],
          );
          await c.query(
            `INSERT INTO project (id, doctor_id, hospital_id, departments, date, begin, "end", starts_at, ends_at,
                                  people_count, addr, lng, lat, abstract, price_fen, status, service_target, created_at,
                                  updated_at)
             OVERRIDING SYSTEM VALUE
             SELECT id, doctor_id, hospital_id, departments, date, begin, begin + make_interval(mins => nslots * 30),
                    (date + begin) AT TIME ZONE 'Asia/Shanghai',
                    (date + begin + make_interval(mins => nslots * 30)) AT TIME ZONE 'Asia/Shanghai',
                    nslots * per_slot + (id * 3) % nslots, county_name || '社区卫生服务中心' || (id % 50 + 1) || '号楼',
                    round((lng + ${jitter('id', 104729)} * 0.2)::numeric, 6), round((lat + ${jitter('id', 1299709)} * 0.2)::numeric, 6),
                    departments || '义诊：免费问诊、测血压血糖、健康咨询。', 0,
                    CASE WHEN id * 11 % 100 < 3 THEN 0 ELSE 1 END,
                    CASE WHEN id % 3 = 0
                      THEN jsonb_build_array(${sqlArray(TARGETS)}[1 + id % 6], ${sqlArray(TARGETS)}[1 + (id + 1) % 6])
                      ELSE jsonb_build_array(${sqlArray(TARGETS)}[1 + id % 6]) END,
                    least(now(), (date + begin) AT TIME ZONE 'Asia/Shanghai' - make_interval(days => 3 + id % 25)),
                    least(now(), (date + begin) AT TIME ZONE 'Asia/Shanghai' - make_interval(days => 3 + id % 25))
             FROM bench_project`,
          );
          // The app's cut: 30-minute slots from begin, people spread evenly with the remainder on the earliest.
          await c.query(
            `INSERT INTO project_slot (project_id, idx, begin, "end", capacity, remaining)
             SELECT p.id, i, p.begin + make_interval(mins => i * 30), p.begin + make_interval(mins => (i + 1) * 30),
                    p.per_slot + CASE WHEN i < (p.id * 3) % p.nslots THEN 1 ELSE 0 END,
                    p.per_slot + CASE WHEN i < (p.id * 3) % p.nslots THEN 1 ELSE 0 END
             FROM bench_project p, generate_series(0, p.nslots - 1) i
             ORDER BY p.id, i`,
          );
        },
      ],
      [
        `${B} bookings with casebooks`,
        async (c) => {
          // Seat s of the year (slots in order, seats within a slot) gets booking k when s = floor(k * T / B):
          // exactly B bookings, spread evenly, never more than a slot holds. Within a clinic the k are
          // consecutive, so patient (k * 7) mod pool is a different patient for each of its bookings.
          await c.query(
            `CREATE TEMP TABLE bench_slot AS
             SELECT s.id AS slot_id, s.project_id, s.idx, s.capacity,
                    (sum(s.capacity) OVER (ORDER BY s.project_id, s.idx) - s.capacity)::bigint AS cum
             FROM project_slot s`,
          );
          const [{ t }] = (await c.query<{ t: string }>('SELECT sum(capacity)::bigint AS t FROM bench_slot'))
            .rows;
          const T = Number(t);
          if (T < B) throw new Error(`not enough seats (${T}) for ${B} bookings`);
          await c.query(
            `CREATE TEMP TABLE bench_booking AS
             SELECT k + 1 AS id, s.slot_id, s.project_id, p.doctor_id, p.hospital_id, p.status AS project_state,
                    $3 + (k * 7 % $4) AS user_id, (k * 2654435761) % 1000 AS h, p.ends_at <= now() AS ended,
                    p.starts_at + make_interval(mins => s.idx * 30) AS visit_time
             FROM bench_slot s
             JOIN project p ON p.id = s.project_id
             CROSS JOIN LATERAL generate_series((s.cum * $1 + $2 - 1) / $2, ((s.cum + s.capacity) * $1 + $2 - 1) / $2 - 1) k`,
            [B, T, firstPatient, pool],
          );
          // verify_status: 1 booked, 2 rejected, 3 cancelled; status: 1 waiting, 2 no-show, 3 seen.
          await c.query(
            `ALTER TABLE bench_booking ADD verify_status smallint, ADD status smallint, ADD created_at timestamptz`,
          );
          await c.query(
            `UPDATE bench_booking SET
               verify_status = CASE WHEN project_state = 0 THEN 3 WHEN h < 30 THEN 2 WHEN h < 100 THEN 3 ELSE 1 END,
               status = CASE WHEN project_state = 0 OR h < 100 OR NOT ended THEN 1 WHEN h < 200 THEN 2 ELSE 3 END,
               created_at = least(now() - interval '1 minute', visit_time - make_interval(hours => 2 + (h % 200)::int))`,
          );
          await c.query(
            `INSERT INTO casebook (id, user_id, project_id, content, created_at, updated_at)
             OVERRIDING SYSTEM VALUE
             SELECT id, user_id, project_id, (ARRAY['反复咳嗽两周，夜间加重。','血压偏高半年，想咨询用药。',
                      '孩子近期食欲差，睡眠不好。','膝关节疼痛，上下楼梯明显。','皮肤瘙痒起疹子一个月。'])[1 + h % 5],
                    created_at, created_at
             FROM bench_booking`,
          );
          await c.query(
            `INSERT INTO diagnosis (id, project_id, slot_id, user_id, doctor_user_id, hospital_id, casebook_id,
                                    verify_status, reject_msg, visit_time, status, diag_result, patient_credit_score,
                                    patient_punctuality_score, doctor_comment_time, doctor_score, doctor_comment,
                                    patient_comment_time, created_at, updated_at)
             OVERRIDING SYSTEM VALUE
             SELECT id, project_id, slot_id, user_id, doctor_id, hospital_id, id, verify_status,
                    CASE WHEN verify_status = 2 THEN '该时段已安排其他患者，请改约其他时段' ELSE '' END,
                    visit_time, status,
                    CASE WHEN status = 3 THEN '建议规律作息，按时复诊。' ELSE '' END,
                    CASE WHEN status = 3 AND h % 10 < 7 THEN 3 + h % 3 END,
                    CASE WHEN status = 3 AND h % 10 < 7 THEN 3 + h / 10 % 3 END,
                    CASE WHEN status = 3 AND h % 10 < 7 THEN least(now(), visit_time + interval '1 day') END,
                    CASE WHEN status = 3 AND h / 100 % 10 < 6 THEN 3 + h / 3 % 3 END,
                    CASE WHEN status = 3 AND h / 100 % 10 < 6 THEN '医生很耐心，讲解清楚。' ELSE '' END,
                    CASE WHEN status = 3 AND h / 100 % 10 < 6 THEN least(now(), visit_time + interval '2 days') END,
                    created_at, greatest(created_at, least(now(), visit_time))
             FROM bench_booking`,
          );
        },
      ],
      [
        'seats, counters and personal messages',
        async (c) => {
          await c.query(
            `UPDATE project_slot s SET remaining = s.capacity - a.n
             FROM (SELECT slot_id, count(*)::int AS n FROM diagnosis WHERE verify_status IN (0, 1) GROUP BY slot_id) a
             WHERE a.slot_id = s.id`,
          );
          await c.query(
            `UPDATE project p SET join_people_count = a.n
             FROM (SELECT project_id, count(*)::int AS n FROM diagnosis WHERE verify_status IN (0, 1) GROUP BY project_id) a
             WHERE a.project_id = p.id`,
          );
          // As the booking transitions move them (BookingService): joins count while booked, seen visits count
          // once per patient and once per clinic for the doctor, ratings add up.
          await c.query(
            `INSERT INTO user_stat (user_id, join_project_count, done_project_count, credit_sum, credit_count,
                                    punctuality_sum, punctuality_count)
             SELECT user_id, count(*) FILTER (WHERE verify_status = 1), count(*) FILTER (WHERE status = 3),
                    COALESCE(sum(patient_credit_score), 0), count(patient_credit_score),
                    COALESCE(sum(patient_punctuality_score), 0), count(patient_punctuality_score)
             FROM diagnosis GROUP BY user_id`,
          );
          await c.query(
            `INSERT INTO user_stat (user_id, score, score_sum, score_count, patient_count, visits_count, service_minutes)
             SELECT d.doctor_user_id,
                    CASE WHEN count(d.doctor_score) > 0 THEN round(sum(d.doctor_score)::numeric / count(d.doctor_score), 2) ELSE 0 END,
                    COALESCE(sum(d.doctor_score), 0), count(d.doctor_score),
                    count(DISTINCT d.user_id) FILTER (WHERE d.status = 3),
                    count(DISTINCT d.project_id) FILTER (WHERE d.status = 3),
                    COALESCE((SELECT sum(EXTRACT(EPOCH FROM (p."end" - p.begin)) / 60)::int FROM project p
                              WHERE p.doctor_id = d.doctor_user_id
                                AND EXISTS (SELECT 1 FROM diagnosis x WHERE x.project_id = p.id AND x.status = 3)), 0)
             FROM diagnosis d GROUP BY d.doctor_user_id`,
          );
          await c.query(
            `INSERT INTO message (type, user_id, title, content, sender_name, publish_time, created_at)
             SELECT 1, user_id,
                    CASE verify_status WHEN 2 THEN '预约被拒绝' WHEN 3 THEN '预约已取消'
                      ELSE CASE status WHEN 3 THEN '就诊完成' WHEN 2 THEN '未到诊' ELSE '预约成功' END END,
                    '您预约的义诊状态已更新。', '系统消息', updated_at, updated_at
             FROM diagnosis ORDER BY id`,
          );
        },
      ],
      [
        `${M} chat messages in ${dialogs} dialogs`,
        async (c) => {
          // Dialogs between patients and the doctors they booked; messages alternate, the latest ones unread.
          await c.query(
            `INSERT INTO chat_dialog (id, patient_user_id, doctor_user_id, created_at)
             OVERRIDING SYSTEM VALUE
             SELECT row_number() OVER (ORDER BY min(id)), user_id, doctor_user_id, now() - interval '31 days'
             FROM diagnosis WHERE id % $1 = 0 GROUP BY user_id, doctor_user_id
             ORDER BY min(id) LIMIT $2`,
            [Math.max(1, Math.floor(B / (dialogs * 1.2))), dialogs],
          );
          await c.query(
            `INSERT INTO chat_message (id, dialog_id, type, from_user_id, to_user_id, content, is_read, created_at)
             OVERRIDING SYSTEM VALUE
             SELECT m + 1, d.id, CASE WHEN (m / n) % 2 = 0 THEN 1 ELSE 2 END,
                    CASE WHEN (m / n) % 2 = 0 THEN d.patient_user_id ELSE d.doctor_user_id END,
                    CASE WHEN (m / n) % 2 = 0 THEN d.doctor_user_id ELSE d.patient_user_id END,
                    CASE WHEN (m / n) % 2 = 0 THEN '医生您好，我想再咨询一下复诊的时间。' ELSE '您好，建议两周后复诊，注意休息。' END,
                    CASE WHEN m >= $1 - 2 * n THEN 0 ELSE 1 END,
                    now() - interval '30 days' + make_interval(secs => m * (30.0 * 86400 / $1))
             FROM (SELECT count(*)::int AS n FROM chat_dialog) c, generate_series(0, $1 - 1) m
             JOIN chat_dialog d ON d.id = 1 + m % (SELECT count(*) FROM chat_dialog)`,
            [M],
          );
          await c.query(
            `UPDATE chat_dialog d SET last_msg_id = l.id, last_msg_at = l.created_at
             FROM (SELECT DISTINCT ON (dialog_id) dialog_id, id, created_at FROM chat_message ORDER BY dialog_id, id DESC) l
             WHERE l.dialog_id = d.id`,
          );
        },
      ],
      [
        'organisations, homepage content, assistants’ patients',
        async (c) => {
          await c.query(
            `INSERT INTO org (id, name, abstract) OVERRIDING SYSTEM VALUE
             SELECT g, (ARRAY['蓝丝带','乡村','白衣','爱心','阳光','星火','春雨','同心'])[1 + g % 8] || '志愿医疗队' || g,
                    '组织医生下沉社区开展义诊。'
             FROM generate_series(1, $1::int) g`,
            [v.orgs],
          );
          await c.query(
            `INSERT INTO org_member (org_id, doctor_id, verify_status)
             SELECT 1 + g % $2, g, CASE WHEN g % 9 = 0 THEN 0 ELSE 1 END
             FROM generate_series(1, $1::int) g WHERE g % 3 = 0`,
            [D, v.orgs],
          );
          await c.query(
            `INSERT INTO banner (app_type, title, photo, sort)
             SELECT t, '义诊进社区 ' || g, 'https://static.example.com/banner/' || t || '-' || g || '.jpg', g
             FROM generate_series(1, 3) t, generate_series(1, 4) g`,
          );
          await c.query(
            `INSERT INTO news (type, title, photo, content, publish_time)
             SELECT t, '健康科普第' || g || '期', '', '冬季呼吸道疾病预防要点……', now() - make_interval(days => g)
             FROM generate_series(1, 3) t, generate_series(1, 20) g`,
          );
          await c.query(
            `INSERT INTO sp_project (date, begin, "end", starts_at, ends_at, people_count, addr, lng, lat, abstract,
                                     photo, status, service_target)
             SELECT date, begin, "end", starts_at, ends_at, people_count, addr, lng, lat, '专题义诊活动', '', 1,
                    service_target
             FROM project WHERE status = 1 AND starts_at > now() ORDER BY id LIMIT 5`,
          );
          await c.query(
            `INSERT INTO sp_project_item (sp_project_id, project_id)
             SELECT s.id, p.id FROM sp_project s
             JOIN LATERAL (SELECT id FROM project WHERE status = 1 AND starts_at > now() ORDER BY id OFFSET s.id * 3 LIMIT 3) p
               ON true`,
          );
          await c.query(
            `INSERT INTO assistant_patient (assistant_id, patient_id)
             SELECT a, $3 + ((a::bigint * 5 + j) % $4)::int
             FROM generate_series($1::int, $2::int) a, generate_series(0, 4) j`,
            [meta.assistants[0], meta.assistants[1], firstPatient, pool],
          );
        },
      ],
      [
        'tokens',
        (c) =>
          c.query(
            `INSERT INTO auth_token (token_hash, user_id, expires_at, last_used_at)
             SELECT encode(sha256(convert_to($1 || ':' || id, 'UTF8')), 'hex'), id, now() + interval '30 days',
                    now() - interval '1 hour'
             FROM app_user`,
            [meta.tokenSecret],
          ),
      ],
      [
        'identity sequences',
        async (c) => {
          for (const table of [
            'hospital',
            'app_user',
            'project',
            'casebook',
            'diagnosis',
            'chat_dialog',
            'chat_message',
            'org',
          ]) {
            await c.query(
              `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM "${table}"))`,
            );
          }
        },
      ],
      ['vacuum and analyze', (c) => c.query('VACUUM ANALYZE')],
    ]);
    meta.seconds = Math.round((Date.now() - started) / 1000);
    await db.query(`CREATE TABLE bench_meta (id int PRIMARY KEY, meta jsonb NOT NULL)`);
    await db.query(`INSERT INTO bench_meta VALUES (1, $1)`, [JSON.stringify(meta)]);
    return meta;
  } finally {
    await db.end();
  }
}

export async function readMeta(url: string): Promise<BenchMeta> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ meta: BenchMeta }>('SELECT meta FROM bench_meta WHERE id = 1');
    if (!rows.length) throw new Error(`${url}: no bench_meta, not a generated database`);
    return rows[0].meta;
  } finally {
    await db.end();
  }
}

/** Creates `clinic_bench_<stamp>_s<percent>` on the bench server and generates into it. */
export async function generateFresh(
  serverUrl: string,
  scale: number,
  stamp: string,
  log: (line: string) => void,
): Promise<string> {
  const name = benchDatabaseName(scale, stamp);
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabase(serverUrl, name);
  const meta = await generate(url, scale, log);
  log(`generated ${name} in ${meta.seconds} s`);
  return url;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const scale = Number(arg('--scale') ?? 1);
  void (async () => {
    const server = await benchServer();
    try {
      const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
      const database = arg('--database');
      if (database) {
        await adminQuery(server.url, `CREATE DATABASE "${database}"`);
        await generate(withDatabase(server.url, database), scale, console.log);
      } else {
        console.log(await generateFresh(server.url, scale, stamp, console.log));
      }
    } finally {
      await server.stop();
    }
  })().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
