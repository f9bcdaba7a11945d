import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from 'src/app.factory';
import { phoneHash } from 'src/common/crypto/personal-data';
import { User } from 'src/modules/users/user.entity';
import { Account, expectError, nextPhone, operatorToken, registerAccount } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const ROOT = join(__dirname, '..', '..');
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `src/cli.ts` the way an operator would (through ts-node) against one database. */
function runCli(databaseUrl: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/cli.ts', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Holds one connection for the suite's life. Every jest run's global setup (`dropLeftovers` in test/support/db.ts)
 * drops test databases nobody is connected to, and the pool closes idle connections after 10 s, so a suite
 * idling through a slow CLI test could lose its database to a concurrent run.
 */
async function pinned(app: TestApp): Promise<TestApp> {
  const runner = app.db.createQueryRunner();
  await runner.connect();
  const close = app.close;
  return {
    ...app,
    close: async () => {
      await runner.release();
      await close();
    },
  };
}

async function auditCount(t: TestApp): Promise<number> {
  const [row] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_log');
  return row.n;
}

describe('operator API (/admin)', () => {
  let t: TestApp;
  let admin: string;
  let adminId: number;

  beforeAll(async () => {
    t = await pinned(await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD }));
    const res = await t.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD });
    admin = res.body.data.token;
    adminId = res.body.data.id;
  });
  afterAll(() => t.close());

  describe('POST /admin/login', () => {
    it('signs the bootstrap operator in: 200 with data.token, and the token opens /admin routes', async () => {
      const res = await t.http
        .post('/admin/login')
        .send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD })
        .expect(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.data).toMatchObject({ id: adminId, phone: ADMIN_PHONE });
      expect(typeof res.body.data.token).toBe('string');
      expect(res.body.data.token.length).toBeGreaterThanOrEqual(43);
      expect(res.body.data.token).not.toBe(admin);
      expect(res.body.data).not.toHaveProperty('password_hash');
      await t.http.get('/admin/users').set('X-auth-token', res.body.data.token).expect(200);
      const [row] = await t.db.query<{ token_hash: string }[]>(
        'SELECT token_hash FROM auth_token WHERE operator_id = $1 LIMIT 1',
        [adminId],
      );
      expect(row.token_hash).not.toBe(res.body.data.token);
    });

    it('accepts a form-encoded body', async () => {
      const res = await t.http
        .post('/admin/login')
        .type('form')
        .send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD })
        .expect(200);
      expect(typeof res.body.data.token).toBe('string');
    });

    it('a wrong password is a 401 20020', async () => {
      expectError(
        await t.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: 'wrong-pass' }),
        401,
        20020,
      );
    });

    it('an unknown phone is a 401 20020 (same answer as a wrong password)', async () => {
      const res = await t.http.post('/admin/login').send({ phone: '13600000001', pwd: ADMIN_PASSWORD });
      const body = expectError(res, 401, 20020);
      const wrong = await t.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: 'wrong-pass' });
      expect(body.error_message).toBe(wrong.body.error_message);
    });

    it('an app account’s credentials do not open the operator API', async () => {
      const p = await registerAccount(t.http, 1);
      expectError(await t.http.post('/admin/login').send({ phone: p.phone, pwd: p.password }), 401, 20020);
    });

    it.each([
      ['a bad phone format', { phone: '1234', pwd: ADMIN_PASSWORD }, 'phone'],
      ['a missing phone', { pwd: ADMIN_PASSWORD }, 'phone'],
      ['a missing pwd', { phone: ADMIN_PHONE }, 'pwd'],
      ['a too short pwd', { phone: ADMIN_PHONE, pwd: '123' }, 'pwd'],
    ])('%s is a 400 10001 naming the field', async (_name, body, field) => {
      const res = expectError(await t.http.post('/admin/login').send(body), 400, 10001);
      expect(res.error_message).toContain(field);
    });

    it('a deactivated operator is refused at login (403 20004) and its tokens stop working', async () => {
      const phone = '13600000002';
      const cli = await runCli(t.databaseUrl, 'admin:create', '--phone', phone, '--password', 'second-pass');
      expect(cli.code).toBe(0);
      const token = await operatorToken(t.http, phone, 'second-pass');
      await t.db.query('UPDATE operator SET is_active = false WHERE phone_hash = $1', [phoneHash(phone)]);
      expectError(await t.http.post('/admin/login').send({ phone, pwd: 'second-pass' }), 403, 20004);
      expectError(await t.http.get('/admin/users').set('X-auth-token', token), 403, 20004);
    });
  });

  describe('POST /admin/login lockout', () => {
    let l: TestApp;
    beforeAll(async () => {
      l = await pinned(await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD, LOGIN_FAILURE_LIMIT: '3' }));
    });
    afterAll(() => l.close());

    it('after LOGIN_FAILURE_LIMIT failures even the right password is a 429 20016', async () => {
      for (let i = 0; i < 3; i += 1) {
        expectError(
          await l.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: `wrong-${i}xx` }),
          401,
          20020,
        );
      }
      expectError(
        await l.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD }),
        429,
        20016,
      );
      expectError(
        await l.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: 'wrong-again' }),
        429,
        20016,
      );
    });

    it('the lock is per phone: unknown phones are locked as well, other operators are not', async () => {
      const unknown = '13600000009';
      for (let i = 0; i < 3; i += 1) {
        expectError(await l.http.post('/admin/login').send({ phone: unknown, pwd: 'whatever1' }), 401, 20020);
      }
      expectError(await l.http.post('/admin/login').send({ phone: unknown, pwd: 'whatever1' }), 429, 20016);
      const phone = '13600000003';
      expect(
        (await runCli(l.databaseUrl, 'admin:create', '--phone', phone, '--password', 'third-pass')).code,
      ).toBe(0);
      await l.http.post('/admin/login').send({ phone, pwd: 'third-pass' }).expect(200);
    });
  });

  describe('role boundaries', () => {
    let patient: Account;
    let doctor: Account;
    let assistant: Account;
    beforeAll(async () => {
      patient = await registerAccount(t.http, 1);
      doctor = await registerAccount(t.http, 2);
      assistant = await registerAccount(t.http, 3);
    });

    const adminRoutes = (id: () => number) =>
      [
        ['GET /admin/users', (h: TestApp['http']) => h.get('/admin/users')],
        ['GET /admin/audit', (h: TestApp['http']) => h.get('/admin/audit')],
        [
          'POST /admin/users/{id}/verify',
          (h: TestApp['http']) => h.post(`/admin/users/${id()}/verify`).send({ is_verify: 1 }),
        ],
      ] as const;

    it('app accounts (patient, doctor, assistant) get 403 20005 on every admin route, and nothing changes', async () => {
      const before = await auditCount(t);
      for (const account of [patient, doctor, assistant]) {
        for (const [name, call] of adminRoutes(() => doctor.id)) {
          const res = await call(t.http).set('X-auth-token', account.token);
          expect({ name, status: res.status, code: res.body.error_code }).toEqual({
            name,
            status: 403,
            code: 20005,
          });
        }
      }
      expect(await auditCount(t)).toBe(before);
      const [row] = await t.db.query<{ is_verify: number }[]>(
        'SELECT is_verify FROM app_user WHERE id = $1',
        [doctor.id],
      );
      expect(row.is_verify).toBe(0);
    });

    it('no token is a 401 20001 on every admin route; a bad token 401 20002', async () => {
      for (const [name, call] of adminRoutes(() => doctor.id)) {
        const res = await call(t.http);
        expect({ name, status: res.status, code: res.body.error_code }).toEqual({
          name,
          status: 401,
          code: 20001,
        });
        const bad = await call(t.http).set('X-auth-token', 'x'.repeat(43));
        expect({ name, status: bad.status, code: bad.body.error_code }).toEqual({
          name,
          status: 401,
          code: 20002,
        });
      }
    });

    it('an operator token on app-only routes is a 403 20005', async () => {
      expectError(await t.http.get('/user').set('X-auth-token', admin), 403, 20005);
    });

    it('the operator token also works as Authorization: Bearer', async () => {
      await t.http.get('/admin/audit').set('Authorization', `Bearer ${admin}`).expect(200);
    });
  });

  describe('GET /admin/users', () => {
    let a: TestApp;
    let op: string;
    const accounts: Account[] = [];
    let shared: string;
    let total: number;

    /** A fresh database holding only known accounts, so counts are exact. */
    beforeAll(async () => {
      a = await pinned(await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD }));
      op = await operatorToken(a.http, ADMIN_PHONE, ADMIN_PASSWORD);
      shared = nextPhone();
      accounts.push(await registerAccount(a.http, 1, shared)); // 0 patient, shared phone
      accounts.push(await registerAccount(a.http, 2, shared)); // 1 doctor, shared phone
      accounts.push(await registerAccount(a.http, 1)); // 2 patient
      accounts.push(await registerAccount(a.http, 2)); // 3 doctor
      accounts.push(await registerAccount(a.http, 3)); // 4 assistant
      accounts.push(await registerAccount(a.http, 1)); // 5 patient
      accounts.push(await registerAccount(a.http, 2)); // 6 doctor
      await a.db.query(`UPDATE app_user SET real_name = '王小明' WHERE id = $1`, [accounts[2].id]);
      await a.db.query(`UPDATE app_user SET real_name = '王大夫', is_verify = 1 WHERE id = $1`, [
        accounts[3].id,
      ]);
      await a.db.query(`UPDATE app_user SET real_name = 'Alice Smith' WHERE id = $1`, [accounts[4].id]);
      await a.db.query(`UPDATE app_user SET real_name = '100%_real' WHERE id = $1`, [accounts[5].id]);
      total = accounts.length;
    });
    afterAll(() => a.close());

    const list = (query: string) => a.http.get(`/admin/users${query}`).set('X-auth-token', op);
    const ids = (res: { body: { data: { list: { id: number }[] } } }) => res.body.data.list.map((u) => u.id);

    it('lists every account newest first with full phones, role structures, created_at and the page object', async () => {
      const res = await list('').expect(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: total, page_size: 10 });
      expect(ids(res)).toEqual(accounts.map((x) => x.id).reverse());
      for (const u of res.body.data.list) {
        const acc = accounts.find((x) => x.id === u.id)!;
        expect(u.phone).toBe(acc.phone);
        expect(u.type).toBe(acc.type);
        expect(u).not.toHaveProperty('token');
        expect(u).not.toHaveProperty('password_hash');
        expect(u.created_at).toMatch(DATETIME);
      }
      const doc = res.body.data.list.find((u: { id: number }) => u.id === accounts[3].id);
      expect(doc).toHaveProperty('hospital');
      expect(doc).toHaveProperty('work_photo');
      const asst = res.body.data.list.find((u: { id: number }) => u.id === accounts[4].id);
      expect(asst).toHaveProperty('team_name');
      expect(asst).not.toHaveProperty('hospital');
    });

    it('shows the full idno to operators', async () => {
      await a.db.getRepository(User).update(accounts[6].id, { idno: '11010519491231002X' });
      const res = await list(`?type=2&keyword=${accounts[6].phone}`).expect(200);
      expect(res.body.data.list).toHaveLength(1);
      expect(res.body.data.list[0].idno).toBe('11010519491231002X');
      await a.db.getRepository(User).update(accounts[6].id, { idno: null });
    });

    it('filters by type', async () => {
      const res = await list('?type=2').expect(200);
      expect(ids(res).sort()).toEqual([accounts[1].id, accounts[3].id, accounts[6].id].sort());
      expect(res.body.data.page.count).toBe(3);
      expect(res.body.data.list.every((u: { type: number }) => u.type === 2)).toBe(true);
    });

    it('filters by is_verify, and combines it with type', async () => {
      const pending = await list('?is_verify=0').expect(200);
      expect(ids(pending).sort()).toEqual([accounts[1].id, accounts[4].id, accounts[6].id].sort());
      const activeDoctors = await list('?type=2&is_verify=1').expect(200);
      expect(ids(activeDoctors)).toEqual([accounts[3].id]);
      const activePatients = await list('?type=1&is_verify=1').expect(200);
      expect(ids(activePatients)).toEqual([accounts[5].id, accounts[2].id, accounts[0].id]);
      const none = await list('?type=3&is_verify=2').expect(200);
      expect(none.body.data.list).toEqual([]);
      expect(none.body.data.page).toEqual({ current_page: 1, total_page: 0, count: 0, page_size: 10 });
    });

    it('empty filters, as written in the route (?type=&is_verify=&keyword=), mean no filter', async () => {
      const all = await list('?type=&is_verify=&keyword=').expect(200);
      expect(ids(all)).toEqual(accounts.map((x) => x.id).reverse());
      expect(all.body.data.page.count).toBe(total);
      const doctors = await list('?type=2&is_verify=&keyword=%20%20').expect(200);
      expect(ids(doctors)).toEqual([accounts[6].id, accounts[3].id, accounts[1].id]);
      const pending = await list('?type=&is_verify=0').expect(200);
      expect(ids(pending)).toEqual([accounts[6].id, accounts[4].id, accounts[1].id]);
    });

    it('keyword matches real_name fragments (case-insensitively) and combines with type', async () => {
      expect(ids(await list(`?keyword=${encodeURIComponent('王')}`).expect(200))).toEqual([
        accounts[3].id,
        accounts[2].id,
      ]);
      expect(ids(await list(`?keyword=${encodeURIComponent('王')}&type=1`).expect(200))).toEqual([
        accounts[2].id,
      ]);
      expect(ids(await list(`?keyword=${encodeURIComponent('小明')}`).expect(200))).toEqual([accounts[2].id]);
      expect(ids(await list('?keyword=alice').expect(200))).toEqual([accounts[4].id]);
      expect(ids(await list(`?keyword=${encodeURIComponent('  王大夫 ')}`).expect(200))).toEqual([
        accounts[3].id,
      ]);
    });

    it('keyword matches phone fragments; the shared phone finds both of its accounts', async () => {
      expect(ids(await list(`?keyword=${shared}`).expect(200))).toEqual([accounts[1].id, accounts[0].id]);
      expect(ids(await list(`?keyword=${shared}&type=1`).expect(200))).toEqual([accounts[0].id]);
      expect(ids(await list(`?keyword=${shared}&type=2&is_verify=0`).expect(200))).toEqual([accounts[1].id]);
      expect(ids(await list(`?keyword=${shared}&type=2&is_verify=1`).expect(200))).toEqual([]);
      const fragment = accounts[4].phone.slice(2, 10);
      const res = await list(`?keyword=${fragment}`).expect(200);
      expect(ids(res)).toContain(accounts[4].id);
      for (const u of res.body.data.list) expect(u.phone).toContain(fragment);
    });

    it('keyword wildcards are literal: % and _ match only themselves', async () => {
      expect(ids(await list(`?keyword=${encodeURIComponent('%')}`).expect(200))).toEqual([accounts[5].id]);
      expect(ids(await list(`?keyword=${encodeURIComponent('0%_r')}`).expect(200))).toEqual([accounts[5].id]);
      expect(ids(await list('?keyword=_').expect(200))).toEqual([accounts[5].id]);
      expect(ids(await list(`?keyword=${encodeURIComponent('1%9')}`).expect(200))).toEqual([]);
    });

    it('pages: page_size and current_page select the right slice; the page object counts the whole set', async () => {
      const newestFirst = accounts.map((x) => x.id).reverse();
      const p1 = await list('?page_size=3&current_page=1').expect(200);
      expect(p1.body.data.page).toEqual({ current_page: 1, total_page: 3, count: total, page_size: 3 });
      expect(ids(p1)).toEqual(newestFirst.slice(0, 3));
      const p2 = await list('?page_size=3&current_page=2').expect(200);
      expect(ids(p2)).toEqual(newestFirst.slice(3, 6));
      const p3 = await list('?page_size=3&current_page=3').expect(200);
      expect(ids(p3)).toEqual(newestFirst.slice(6));
      const past = await list('?page_size=3&current_page=9').expect(200);
      expect(past.body.data.list).toEqual([]);
      expect(past.body.data.page).toEqual({ current_page: 9, total_page: 3, count: total, page_size: 3 });
      const filtered = await list('?type=1&page_size=2&current_page=2').expect(200);
      expect(filtered.body.data.page).toEqual({ current_page: 2, total_page: 2, count: 3, page_size: 2 });
      expect(ids(filtered)).toEqual([accounts[0].id]);
      const max = await list('?page_size=100').expect(200);
      expect(max.body.data.page.page_size).toBe(100);
    });

    it.each([
      ['page_size=1000', 'page_size'],
      ['page_size=0', 'page_size'],
      ['current_page=0', 'current_page'],
      ['current_page=-1', 'current_page'],
      ['current_page=abc', 'current_page'],
      ['type=9', 'type'],
      ['type=0', 'type'],
      ['type=abc', 'type'],
      ['is_verify=3', 'is_verify'],
      [`keyword=${'x'.repeat(51)}`, 'keyword'],
    ])('?%s is a 400 10001 naming the field', async (query, field) => {
      const body = expectError(await list(`?${query}`), 400, 10001);
      expect(body.error_message).toContain(field);
    });
  });

  describe('POST /admin/users/{id}/verify and GET /admin/audit', () => {
    let patient: Account;
    let doctor: Account;
    let assistant: Account;

    beforeAll(async () => {
      patient = await registerAccount(t.http, 1);
      doctor = await registerAccount(t.http, 2);
      assistant = await registerAccount(t.http, 3);
    });

    const verify = (id: number | string, body: object) =>
      t.http.post(`/admin/users/${id}/verify`).set('X-auth-token', admin).send(body);
    const latestAudit = async () => {
      const res = await t.http.get('/admin/audit?page_size=1').set('X-auth-token', admin).expect(200);
      return res.body.data.list[0] as Record<string, unknown>;
    };

    it('approves a pending doctor: 200, visible in the doctor’s own GET /user, audited', async () => {
      const before = await auditCount(t);
      const res = await verify(doctor.id, { is_verify: 1 }).expect(200);
      expect(res.body).toEqual({ error_code: 0, data: { id: doctor.id, is_verify: 1 }, error_message: '' });
      const me = await t.http.get('/user').set('X-auth-token', doctor.token).expect(200);
      expect(me.body.data.is_verify).toBe(1);
      expect(await auditCount(t)).toBe(before + 1);
      const entry = await latestAudit();
      expect(entry).toMatchObject({
        action: 'user.verify',
        target_type: 'user',
        target_id: String(doctor.id),
        detail: { from: 0, to: 1 },
        operator_id: adminId,
      });
      expect(entry.created_at).toMatch(DATETIME);
      expect(typeof entry.id).toBe('number');
    });

    it('accepts is_verify as a string and from a form body (the apps send both)', async () => {
      await t.http
        .post(`/admin/users/${assistant.id}/verify`)
        .set('X-auth-token', admin)
        .type('form')
        .send({ is_verify: '1' })
        .expect(200);
      const me = await t.http.get('/user').set('X-auth-token', assistant.token).expect(200);
      expect(me.body.data.is_verify).toBe(1);
      expect((await latestAudit()).detail).toEqual({ from: 0, to: 1 });
    });

    it('disabling a patient: its existing token gets 403 20004 and password login is refused 403 20004', async () => {
      await verify(patient.id, { is_verify: 2 }).expect(200);
      expect((await latestAudit()).detail).toEqual({ from: 1, to: 2 });
      expectError(await t.http.get('/user').set('X-auth-token', patient.token), 403, 20004);
      expectError(await t.http.get(`/user/${doctor.id}`).set('X-auth-token', patient.token), 403, 20004);
      expectError(
        await t.http.post('/login').send({ phono: patient.phone, pwd: patient.password, type: 1 }),
        403,
        20004,
      );
      // An operator still sees the disabled account, marked 2.
      const view = await t.http.get(`/user/${patient.id}`).set('X-auth-token', admin).expect(200);
      expect(view.body.data.is_verify).toBe(2);
      const listed = await t.http.get('/admin/users?is_verify=2').set('X-auth-token', admin).expect(200);
      expect(listed.body.data.list.map((u: { id: number }) => u.id)).toContain(patient.id);
    });

    it('a wrong password for a disabled account is still 401 (no account-state disclosure)', async () => {
      expectError(
        await t.http.post('/login').send({ phono: patient.phone, pwd: 'not-the-pass', type: 1 }),
        401,
        20003,
      );
    });

    it('re-enabling restores password login and the existing session', async () => {
      await verify(patient.id, { is_verify: 1 }).expect(200);
      expect((await latestAudit()).detail).toEqual({ from: 2, to: 1 });
      const login = await t.http
        .post('/login')
        .send({ phono: patient.phone, pwd: patient.password, type: 1 })
        .expect(200);
      expect(login.body.data.is_verify).toBe(1);
      await t.http.get('/user').set('X-auth-token', login.body.data.token).expect(200);
      const me = await t.http.get('/user').set('X-auth-token', patient.token).expect(200);
      expect(me.body.data.is_verify).toBe(1);
    });

    it('can put an account back to pending (0)', async () => {
      await verify(doctor.id, { is_verify: 0 }).expect(200);
      const me = await t.http.get('/user').set('X-auth-token', doctor.token).expect(200);
      expect(me.body.data.is_verify).toBe(0);
      expect((await latestAudit()).detail).toEqual({ from: 1, to: 0 });
    });

    it.each([
      ['is_verify 5', { is_verify: 5 }],
      ['is_verify -1', { is_verify: -1 }],
      ['is_verify "abc"', { is_verify: 'abc' }],
      ['is_verify true', { is_verify: true }],
      ['is_verify null', { is_verify: null }],
      ['a missing is_verify', {}],
    ])('%s is a 400 10001 and writes nothing', async (_name, body) => {
      const before = await auditCount(t);
      const res = expectError(await verify(doctor.id, body), 400, 10001);
      expect(res.error_message).toContain('is_verify');
      expect(await auditCount(t)).toBe(before);
      const me = await t.http.get('/user').set('X-auth-token', doctor.token).expect(200);
      expect(me.body.data.is_verify).toBe(0);
    });

    it('an unknown id is a 404 20007; a malformed id a 400 10001; neither is audited', async () => {
      const before = await auditCount(t);
      expectError(await verify(99999999, { is_verify: 1 }), 404, 20007);
      expectError(await verify('abc', { is_verify: 1 }), 400, 10001);
      expectError(await verify(0, { is_verify: 1 }), 400, 10001);
      expect(await auditCount(t)).toBe(before);
    });

    it('GET /admin/audit pages newest first with a correct page object', async () => {
      const all = await t.http.get('/admin/audit?page_size=100').set('X-auth-token', admin).expect(200);
      const count = await auditCount(t);
      expect(count).toBe(5); // doctor 0→1, assistant 0→1, patient 1→2, patient 2→1, doctor 1→0
      expect(all.body.data.page).toEqual({ current_page: 1, total_page: 1, count, page_size: 100 });
      const auditIds = all.body.data.list.map((r: { id: number }) => r.id);
      expect(auditIds).toEqual([...auditIds].sort((x: number, y: number) => y - x));
      for (const row of all.body.data.list) {
        expect(Object.keys(row).sort()).toEqual(
          ['id', 'operator_id', 'action', 'target_type', 'target_id', 'detail', 'ip', 'created_at'].sort(),
        );
        expect(row.operator_id).toBe(adminId);
      }
      // The doctor's history, newest first: 0→1 then 1→0.
      const doctorRows = all.body.data.list.filter(
        (r: { target_id: string }) => r.target_id === String(doctor.id),
      );
      expect(doctorRows.map((r: { detail: unknown }) => r.detail)).toEqual([
        { from: 1, to: 0 },
        { from: 0, to: 1 },
      ]);
      const p2 = await t.http
        .get('/admin/audit?page_size=2&current_page=2')
        .set('X-auth-token', admin)
        .expect(200);
      expect(p2.body.data.page).toEqual({
        current_page: 2,
        total_page: Math.ceil(count / 2),
        count,
        page_size: 2,
      });
      expect(p2.body.data.list.map((r: { id: number }) => r.id)).toEqual(auditIds.slice(2, 4));
    });

    it.each(['page_size=1000', 'current_page=0', 'page_size=abc'])(
      'GET /admin/audit?%s is a 400 10001',
      async (q) => {
        expectError(await t.http.get(`/admin/audit?${q}`).set('X-auth-token', admin), 400, 10001);
      },
    );
  });

  describe('operator bootstrap from ADMIN_PHONE / ADMIN_PASSWORD', () => {
    it('a restart with a new ADMIN_PASSWORD updates the password of the same operator', async () => {
      const second = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD: 'new-admin-pass' }, t.databaseUrl);
      try {
        expectError(
          await second.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD }),
          401,
          20020,
        );
        const res = await second.http
          .post('/admin/login')
          .send({ phone: ADMIN_PHONE, pwd: 'new-admin-pass' })
          .expect(200);
        expect(res.body.data.id).toBe(adminId);
        const rows = await t.db.query<unknown[]>('SELECT id FROM operator WHERE phone_hash = $1', [
          phoneHash(ADMIN_PHONE),
        ]);
        expect(rows).toHaveLength(1);
        // The first instance sees the same account.
        await t.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: 'new-admin-pass' }).expect(200);
      } finally {
        await second.close();
      }
    });

    it('a restart re-enables a deactivated bootstrap operator', async () => {
      await t.db.query('UPDATE operator SET is_active = false WHERE phone_hash = $1', [
        phoneHash(ADMIN_PHONE),
      ]);
      expectError(
        await t.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: 'new-admin-pass' }),
        403,
        20004,
      );
      const second = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD }, t.databaseUrl);
      try {
        await second.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD }).expect(200);
      } finally {
        await second.close();
      }
    });

    it('a start with an ADMIN_PASSWORD no login could accept is refused', async () => {
      const uploadDir = mkdtempSync(join(tmpdir(), 'clinic-uploads-'));
      try {
        await expect(
          createApp({
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            UPLOAD_DIR: uploadDir,
            DATABASE_URL: t.databaseUrl,
            ADMIN_PHONE,
            ADMIN_PASSWORD: 'p'.repeat(40),
          }),
        ).rejects.toThrow(/ADMIN_PASSWORD/);
      } finally {
        rmSync(uploadDir, { recursive: true, force: true });
      }
      // The existing operator keeps its password.
      await t.http.post('/admin/login').send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD }).expect(200);
    });
  });

  describe('CLI admin:create', () => {
    const phone = '13611112222';

    it('creates an operator who can then log in through the API', async () => {
      const res = await runCli(
        t.databaseUrl,
        'admin:create',
        '--phone',
        phone,
        '--password',
        'cli-pass-1',
        '--name',
        '值班',
      );
      expect(res).toMatchObject({ code: 0 });
      expect(res.stdout).toContain('created');
      const login = await t.http.post('/admin/login').send({ phone, pwd: 'cli-pass-1' }).expect(200);
      expect(login.body.data.name).toBe('值班');
      await t.http.get('/admin/users').set('X-auth-token', login.body.data.token).expect(200);
    });

    it('run again for the same phone, it resets the password of that operator', async () => {
      const res = await runCli(t.databaseUrl, 'admin:create', '--phone', phone, '--password', 'cli-pass-2');
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('updated');
      expectError(await t.http.post('/admin/login').send({ phone, pwd: 'cli-pass-1' }), 401, 20020);
      const login = await t.http.post('/admin/login').send({ phone, pwd: 'cli-pass-2' }).expect(200);
      expect(login.body.data.name).toBe('值班');
      const rows = await t.db.query<unknown[]>('SELECT id FROM operator WHERE phone_hash = $1', [
        phoneHash(phone),
      ]);
      expect(rows).toHaveLength(1);
    });

    it.each([
      ['no --phone', ['admin:create', '--password', 'cli-pass-3']],
      ['no --password', ['admin:create', '--phone', '13611113333']],
      ['a bad phone', ['admin:create', '--phone', '12345', '--password', 'cli-pass-3']],
      ['a short password', ['admin:create', '--phone', '13611113333', '--password', 'abc']],
      [
        'a password longer than login accepts',
        ['admin:create', '--phone', '13611113333', '--password', 'p'.repeat(33)],
      ],
      [
        'an unknown option',
        ['admin:create', '--phone', '13611113333', '--password', 'cli-pass-3', '--bogus', 'x'],
      ],
      ['an unknown command', ['admin:drop', '--phone', '13611113333', '--password', 'cli-pass-3']],
      ['no command', []],
    ])('%s exits non-zero with a message and creates nothing', async (_name, args) => {
      const res = await runCli(t.databaseUrl, ...args);
      expect(res.code).not.toBe(0);
      expect(res.stderr.length).toBeGreaterThan(0);
      const rows = await t.db.query<unknown[]>('SELECT id FROM operator WHERE phone_hash = $1', [
        phoneHash('13611113333'),
      ]);
      expect(rows).toHaveLength(0);
    });
  });
});
