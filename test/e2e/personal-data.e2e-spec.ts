import { randomBytes } from 'node:crypto';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { PersonalDataAtRest1763900500000 } from 'migrations/1763900500000-PersonalDataAtRest';
import { hashPassword } from 'src/common/crypto/hashing';
import { resealPersonalData } from 'src/common/crypto/personal-columns';
import { idnoHash, personalData, phoneHash, usePersonalDataKeys } from 'src/common/crypto/personal-data';
import { dataSourceOptions } from 'src/database/data-source';
import { MIGRATIONS } from 'src/database/migrations';
import { IDNOS } from '../support/clinic-factories';
import { createSuiteDatabase, dropDatabase } from '../support/db';
import { Account, expectError, operatorToken, registerAccount, sendCode } from '../support/factories';
import { patientProfile } from '../support/personal-data';
import { startTestApp, TEST_SMS_CODE, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const PASSWORD = 'secret123';
const SEALED = /^v\d+:[A-Za-z0-9+/]+=*$/;

/** Every table, of the app and of the job queue, whose rows (as JSON text) contain any of `values`. */
async function tablesHolding(db: DataSource, ...values: string[]): Promise<string[]> {
  const tables = await db.query<{ name: string }[]>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
     WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`,
  );
  const holding: string[] = [];
  for (const { name } of tables) {
    const rows: unknown[] = await db.query(
      `SELECT 1 FROM ${name} x WHERE row_to_json(x)::text LIKE ANY($1) LIMIT 1`,
      [values.map((v) => `%${v}%`)],
    );
    if (rows.length) holding.push(name);
  }
  return holding;
}

describe('personal data at rest: phone and ID numbers sealed, found through keyed hashes', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
  });
  afterAll(() => t.close());

  const put = (a: Account, body: object) => t.http.put('/user').set('X-auth-token', a.token).send(body);

  it('no table holds a phone or ID number in clear after registering, codes, failed logins and a profile edit', async () => {
    const patient = await registerAccount(t.http, 1);
    await put(patient, patientProfile(IDNOS[1])).expect(200);
    expectError(
      await t.http.post('/login').send({ phono: patient.phone, pwd: 'wrong-pass', type: 1 }),
      401,
      20003,
    );
    expectError(
      await t.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: 'wrong-pass' }),
      401,
      20020,
    );

    const [row] = await t.db.query<Record<string, string>[]>(
      'SELECT phone, phone_hash, idno, idno_hash FROM app_user WHERE id = $1',
      [patient.id],
    );
    expect(row.phone).toMatch(SEALED);
    expect(row.idno).toMatch(SEALED);
    expect(row).toMatchObject({ phone_hash: phoneHash(patient.phone), idno_hash: idnoHash(IDNOS[1]) });
    const [op] = await t.db.query<{ phone: string }[]>('SELECT phone FROM operator');
    expect(op.phone).toMatch(SEALED);
    // The rows that were written do exist, under their hashes (so the scan below is not vacuous).
    const [counts] = await t.db.query<{ codes: number; limits: number; jobs: number }[]>(
      `SELECT (SELECT count(*) FROM sms_code WHERE phone_hash = $1)::int AS codes,
              (SELECT count(*) FROM rate_limit_counter WHERE key LIKE '%' || $1)::int AS limits,
              (SELECT count(*) FROM pgboss.job WHERE name = 'sms.send-code')::int AS jobs`,
      [phoneHash(patient.phone)],
    );
    expect(counts.codes).toBe(1);
    expect(counts.limits).toBeGreaterThanOrEqual(3); // SMS gap and day, failed logins
    expect(counts.jobs).toBeGreaterThanOrEqual(1);

    expect(await tablesHolding(t.db, patient.phone, IDNOS[1], ADMIN_PHONE)).toEqual([]);
  });

  it('the apps see the same fields: full to the owner and operators, masked to others', async () => {
    const patient = await registerAccount(t.http, 1);
    await put(patient, patientProfile(IDNOS[0])).expect(200);
    const login = await t.http
      .post('/login')
      .send({ phono: patient.phone, pwd: PASSWORD, type: 1 })
      .expect(200);
    expect(login.body.data).toMatchObject({ phone: patient.phone, idno: IDNOS[0] });
    const other = await registerAccount(t.http, 1);
    const seen = await t.http.get(`/user/${patient.id}`).set('X-auth-token', other.token).expect(200);
    expect(seen.body.data).toMatchObject({
      phone: `${patient.phone.slice(0, 3)}****${patient.phone.slice(-4)}`,
      idno: '1101**********002X',
    });
    const byOperator = await t.http.get(`/user/${patient.id}`).set('X-auth-token', admin).expect(200);
    expect(byOperator.body.data).toMatchObject({ phone: patient.phone, idno: IDNOS[0] });
  });

  it('sign-in by phone keeps working: password, SMS code, password reset, operator', async () => {
    const patient = await registerAccount(t.http, 1);
    await sendCode(t.http, patient.phone);
    const byCode = await t.http
      .post('/login/phone')
      .send({ phone: patient.phone, verify_code: TEST_SMS_CODE });
    expect(byCode.body.data).toMatchObject({ id: patient.id, is_new: 0 });
    await t.db.query('DELETE FROM rate_limit_counter WHERE key = $1', [
      `sms:gap:${phoneHash(patient.phone)}`,
    ]);
    await sendCode(t.http, patient.phone);
    await t.http
      .post('/reset/pwd')
      .send({ phono: patient.phone, verify_code: TEST_SMS_CODE, pwd: 'new-secret', type: 1 })
      .expect(200);
    const login = await t.http.post('/login').send({ phono: patient.phone, pwd: 'new-secret', type: 1 });
    expect(login.body.data.id).toBe(patient.id);
    const op = await t.http
      .post('/admin/login')
      .send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD })
      .expect(200);
    expect(op.body.data.phone).toBe(ADMIN_PHONE);
  });

  it('keyword searches go through the hashes: a whole phone, a fragment of 4+ digits, a whole ID number', async () => {
    const patient = await registerAccount(t.http, 1);
    await put(patient, patientProfile(IDNOS[1])).expect(200);
    const ids = async (keyword: string) => {
      const res = await t.http
        .get('/admin/users')
        .query({ keyword, page_size: 100 })
        .set('X-auth-token', admin)
        .expect(200);
      return (res.body.data.list as { id: number }[]).map((u) => u.id);
    };
    expect(await ids(patient.phone)).toEqual([patient.id]);
    expect(await ids(patient.phone.slice(3, 9))).toContain(patient.id);
    expect(await ids(patient.phone.slice(-4))).toContain(patient.id);
    expect(await ids(patient.phone.slice(-3))).not.toContain(patient.id); // shorter fragments are not looked up
    expect(await ids(IDNOS[1])).toContain(patient.id);
    expect(await ids(IDNOS[1].slice(0, 10))).not.toContain(patient.id); // ID numbers match only whole
  });

  it('one account per phone and type holds: through the API (409) and in the table (unique hash)', async () => {
    const patient = await registerAccount(t.http, 1);
    await sendCode(t.http, patient.phone);
    expectError(
      await t.http
        .post('/register')
        .send({ phono: patient.phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1 }),
      409,
      20006,
    );
    const doctor = await t.http
      .post('/register')
      .send({ phono: patient.phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 2 });
    expect(doctor.status).toBe(200);
    await expect(
      t.db.query(`INSERT INTO app_user (type, phone, phone_hash) VALUES (1, 'v1:x', $1)`, [
        phoneHash(patient.phone),
      ]),
    ).rejects.toThrow(/uq_app_user_phone_hash_type/);
    const [{ n }] = await t.db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM app_user WHERE phone_hash = $1',
      [phoneHash(patient.phone)],
    );
    expect(n).toBe(2);
  });
});

describe('key rotation', () => {
  const key = () => randomBytes(32).toString('base64');
  const [k1, k2] = [key(), key()];
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  it('rows sealed under key 1 read after switching to key 2; re-encryption moves them all to key 2', async () => {
    const first = await startTestApp({ PII_KEYS: `1:${k1}`, ADMIN_PHONE, ADMIN_PASSWORD });
    apps.push(first);
    const patient = await registerAccount(first.http, 1);
    await first.http
      .put('/user')
      .set('X-auth-token', patient.token)
      .send(patientProfile(IDNOS[0]))
      .expect(200);
    const versions = async (db: DataSource) =>
      db.query<{ phone: string; idno: string | null }[]>(
        `SELECT left(phone, 3) AS phone, left(idno, 3) AS idno FROM app_user
         UNION ALL SELECT left(phone, 3), NULL FROM operator`,
      );
    expect(new Set((await versions(first.db)).map((r) => r.phone))).toEqual(new Set(['v1:']));

    // A new instance with key 2 added: the highest version seals, key 1 still opens.
    const rotated = await startTestApp({ PII_KEYS: `1:${k1},2:${k2}` }, first.databaseUrl);
    apps.push(rotated);
    const login = await rotated.http.post('/login').send({ phono: patient.phone, pwd: PASSWORD, type: 1 });
    expect(login.body.data).toMatchObject({ id: patient.id, phone: patient.phone, idno: IDNOS[0] });
    const newcomer = await registerAccount(rotated.http, 1);
    const [fresh] = await rotated.db.query<{ phone: string }[]>('SELECT phone FROM app_user WHERE id = $1', [
      newcomer.id,
    ]);
    expect(fresh.phone).toMatch(/^v2:/);
    await rotated.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD }).expect(200);

    const rewritten = await resealPersonalData(rotated.db);
    expect(rewritten).toMatchObject({ app_user: 2, operator: 1 });
    const after = await versions(rotated.db);
    expect(after.every((r) => r.phone === 'v2:' && (r.idno === null || r.idno === 'v2:'))).toBe(true);

    // Key 1 retired: everything still reads.
    const retired = await startTestApp({ PII_KEYS: `2:${k2}` }, first.databaseUrl);
    apps.push(retired);
    const again = await retired.http.post('/login').send({ phono: patient.phone, pwd: PASSWORD, type: 1 });
    expect(again.body.data).toMatchObject({ id: patient.id, phone: patient.phone, idno: IDNOS[0] });
    await retired.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD }).expect(200);
  });
});

describe('the migration converts existing rows', () => {
  const DEMO = { patient: '13800000001', operator: '13800000000', idno: '11010519491231002X' };
  /** Back to the schema before it (later migrations undone first). */
  const undoThroughIt = async () => {
    for (let i = MIGRATIONS.length - 1; i >= MIGRATIONS.indexOf(PersonalDataAtRest1763900500000); i -= 1) {
      await ds.undoLastMigration({ transaction: 'each' });
    }
  };
  let url: string;
  let ds: DataSource;
  beforeAll(async () => {
    url = await createSuiteDatabase();
    usePersonalDataKeys({ NODE_ENV: 'test' });
    ds = await new DataSource(dataSourceOptions(url)).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(url);
  });

  it('plain demo rows of the previous schema become sealed with hashes, still sign in, and revert', async () => {
    await undoThroughIt();
    // The demo data as the previous release stored it.
    const password = await hashPassword('demo1234');
    await ds.query(
      `INSERT INTO app_user (type, phone, password_hash, is_verify, real_name, idno) VALUES (1, $1, $2, 1, '张三', $3)`,
      [DEMO.patient, password, DEMO.idno],
    );
    await ds.query(`INSERT INTO operator (phone, password_hash, name) VALUES ($1, $2, '演示运营')`, [
      DEMO.operator,
      password,
    ]);
    await ds.query(
      `INSERT INTO sms_code (phone, code_hash, expires_at) VALUES ($1, repeat('0', 64), now())`,
      [DEMO.patient],
    );
    await ds.query(
      `INSERT INTO rate_limit_counter (key, hits, expires_at) VALUES ($1, 1, now() + interval '1 hour'),
              ($2, 2, now() + interval '1 hour'), ('sms:ip:direct:127.0.0.1', 3, now() + interval '1 hour')`,
      [`sms:gap:${DEMO.patient}`, `login:fail:admin:${DEMO.operator}`],
    );
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', supervise: false, schedule: false });
    await boss.start();
    await boss.createQueue('sms.send-code');
    await boss.send('sms.send-code', {
      phone: DEMO.patient,
      sealed: 'x',
      expiresAt: new Date().toISOString(),
    });
    await boss.stop({ graceful: false, wait: true });
    expect(await tablesHolding(ds, DEMO.patient, DEMO.operator, DEMO.idno)).toEqual(
      expect.arrayContaining([
        'public.app_user',
        'public.operator',
        'public.sms_code',
        'public.rate_limit_counter',
      ]),
    );

    await ds.runMigrations({ transaction: 'each' });
    expect(await tablesHolding(ds, DEMO.patient, DEMO.operator, DEMO.idno)).toEqual([]);
    const [user] = await ds.query<Record<string, string>[]>(
      'SELECT phone, phone_hash, idno, idno_hash FROM app_user',
    );
    expect(personalData().open('phone', user.phone)).toBe(DEMO.patient);
    expect(personalData().open('idno', user.idno)).toBe(DEMO.idno);
    expect(user).toMatchObject({ phone_hash: phoneHash(DEMO.patient), idno_hash: idnoHash(DEMO.idno) });
    const keys = (await ds.query<{ key: string }[]>('SELECT key FROM rate_limit_counter ORDER BY key')).map(
      (r) => r.key,
    );
    expect(keys).toEqual(
      [
        `login:fail:admin:${phoneHash(DEMO.operator)}`,
        `sms:gap:${phoneHash(DEMO.patient)}`,
        'sms:ip:direct:127.0.0.1',
      ].sort(),
    );
    const [job] = await ds.query<{ data: { to: string } }[]>(
      `SELECT data FROM pgboss.job WHERE name = 'sms.send-code'`,
    );
    expect(personalData().open('phone', job.data.to)).toBe(DEMO.patient);

    const app = await startTestApp({}, url);
    try {
      const login = await app.http
        .post('/login')
        .send({ phono: DEMO.patient, pwd: 'demo1234', type: 1 })
        .expect(200);
      expect(login.body.data).toMatchObject({ phone: DEMO.patient, idno: DEMO.idno, real_name: '张三' });
      await app.http.post('/admin/login').send({ phone: DEMO.operator, pwd: 'demo1234' }).expect(200);
    } finally {
      await app.close();
    }

    await undoThroughIt();
    const [plain] = await ds.query<Record<string, string>[]>('SELECT phone, idno FROM app_user');
    expect(plain).toEqual({ phone: DEMO.patient, idno: DEMO.idno });
    const [reverted] = await ds.query<{ data: { phone: string } }[]>(
      `SELECT data FROM pgboss.job WHERE name = 'sms.send-code'`,
    );
    expect(reverted.data.phone).toBe(DEMO.patient);
  });
});
