import { createHash } from 'node:crypto';
import { phoneHash } from 'src/common/crypto/personal-data';
import { expectError, nextPhone, registerAccount, sendCode } from '../support/factories';
import { startTestApp, TEST_SMS_CODE, TestApp } from '../support/test-app';

const PASSWORD = 'secret123';
/** A well-formed code that is not the one every SMS carries in tests (TEST_SMS_CODE). */
const WRONG_CODE = '135790';

describe('accounts: /register, /login, /login/phone, /reset/pwd, /logout and the token guard', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const post = (path: string, body: Record<string, unknown>) => t.http.post(path).send(body);
  const me = (token: string) => t.http.get('/user').set('X-auth-token', token);

  /** A second code for a phone that was just sent one: ends the per-phone gap instead of sleeping it out. */
  async function resendCode(phone: string): Promise<void> {
    await t.db.query(`DELETE FROM rate_limit_counter WHERE key = $1`, [`sms:gap:${phoneHash(phone)}`]);
    await sendCode(t.http, phone);
  }

  async function setVerify(userId: number, isVerify: number): Promise<void> {
    await t.db.query('UPDATE app_user SET is_verify = $2 WHERE id = $1', [userId, isVerify]);
  }

  async function liveCodes(phone: string): Promise<number> {
    const rows: { n: number }[] = await t.db.query(
      'SELECT count(*)::int AS n FROM sms_code WHERE phone_hash = $1 AND consumed_at IS NULL',
      [phoneHash(phone)],
    );
    return rows[0].n;
  }

  describe('POST /register', () => {
    it.each([
      [1, 1, ['height', 'weight', 'marital_status', 'credit_score', 'join_project_count'], 'team_name'],
      [2, 0, ['hospital', 'departments', 'work_photo', 'work_time', 'score', 'org_list'], 'height'],
      [3, 0, ['team_name'], 'work_photo'],
    ])(
      'type %i creates the account with is_verify %i, its role fields and a working token',
      async (type, isVerify, roleFields, foreignField) => {
        const phone = nextPhone();
        await sendCode(t.http, phone);
        const res = await post('/register', {
          phono: phone,
          verify_code: TEST_SMS_CODE,
          pwd: PASSWORD,
          type,
        });
        expect(res.status).toBe(200);
        expect(res.body.error_code).toBe(0);
        expect(res.body.error_message).toBe('');
        const user = res.body.data;
        expect(user).toMatchObject({ phone, type, is_verify: isVerify });
        expect(typeof user.id).toBe('number');
        for (const field of roleFields) expect(user).toHaveProperty(field);
        expect(user).not.toHaveProperty(foreignField);
        // ≥ 32 random bytes, base64url.
        expect(user.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);

        const profile = await me(user.token).expect(200);
        expect(profile.body.data).toMatchObject({ id: user.id, phone, type, is_verify: isVerify });

        // Only a slow salted hash of the password and only a hash of the token are stored.
        const [row]: { password_hash: string }[] = await t.db.query(
          'SELECT password_hash FROM app_user WHERE id = $1',
          [user.id],
        );
        expect(row.password_hash).toMatch(/^\$argon2id\$/);
        expect(row.password_hash).not.toContain(PASSWORD);
        const tokens: { token_hash: string }[] = await t.db.query(
          'SELECT token_hash FROM auth_token WHERE user_id = $1',
          [user.id],
        );
        expect(tokens).toEqual([{ token_hash: createHash('sha256').update(user.token).digest('hex') }]);
      },
    );

    it('accepts `phone` as well as the documented `phono`, and a form-urlencoded body', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      const json = await post('/register', { phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1 });
      expect(json.status).toBe(200);
      expect(json.body.data.phone).toBe(phone);

      const other = nextPhone();
      await sendCode(t.http, other);
      const form = await t.http
        .post('/register')
        .type('form')
        .send(`phono=${other}&verify_code=${TEST_SMS_CODE}&pwd=${PASSWORD}&type=2`);
      expect(form.status).toBe(200);
      expect(form.body.data).toMatchObject({ phone: other, type: 2, is_verify: 0 });
    });

    it.each([
      ['phono', /phon/],
      ['verify_code', /verify_code/],
      ['pwd', /pwd/],
      ['type', /type/],
    ])('a missing %s is a 400 naming the field', async (field, named) => {
      const phone = nextPhone();
      const body: Record<string, unknown> = {
        phono: phone,
        verify_code: TEST_SMS_CODE,
        pwd: PASSWORD,
        type: 1,
      };
      delete body[field];
      const res = await post('/register', body);
      expectError(res, 400, 10001);
      expect(res.body.error_message).toMatch(named);
    });

    it.each([
      ['a phone that is not a mainland mobile', { phono: '12345678901' }, /phon/],
      ['a phone one digit short', { phono: '1381234567' }, /phon/],
      ['a password under 6 characters', { pwd: '12345' }, /pwd/],
      ['a password over 32 characters', { pwd: 'x'.repeat(33) }, /pwd/],
      ['type 4', { type: 4 }, /type/],
      ['a non-numeric type', { type: 'doctor' }, /type/],
      ['a code that is not 6 digits', { verify_code: '12345' }, /verify_code/],
    ])('%s is a 400 naming the field', async (_, change, named) => {
      const body = { phono: nextPhone(), verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1, ...change };
      const res = await post('/register', body);
      expectError(res, 400, 10001);
      expect(res.body.error_message).toMatch(named);
    });

    it('passwords of exactly 6 and 32 characters are accepted', async () => {
      for (const pwd of ['a'.repeat(6), 'b'.repeat(32)]) {
        const phone = nextPhone();
        await sendCode(t.http, phone);
        const res = await post('/register', { phono: phone, verify_code: TEST_SMS_CODE, pwd, type: 1 });
        expect(res.status).toBe(200);
        const login = await post('/login', { phono: phone, pwd, type: 1 });
        expect(login.status).toBe(200);
      }
    });

    it('a wrong code is a 422 and leaves the right code usable', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      expectError(
        await post('/register', { phono: phone, verify_code: WRONG_CODE, pwd: PASSWORD, type: 1 }),
        422,
        20011,
      );
      const ok = await post('/register', {
        phono: phone,
        verify_code: TEST_SMS_CODE,
        pwd: PASSWORD,
        type: 1,
      });
      expect(ok.status).toBe(200);
    });

    it('without any code sent for the phone it is a 422 and no account is created', async () => {
      const phone = nextPhone();
      expectError(
        await post('/register', { phono: phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1 }),
        422,
        20011,
      );
      const rows: unknown[] = await t.db.query('SELECT 1 FROM app_user WHERE phone_hash = $1', [
        phoneHash(phone),
      ]);
      expect(rows).toHaveLength(0);
    });

    it('a code sent to another phone does not work', async () => {
      const phone = nextPhone();
      const other = nextPhone();
      await sendCode(t.http, other);
      expectError(
        await post('/register', { phono: phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1 }),
        422,
        20011,
      );
    });

    it('an expired code is a 422', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      await t.db.query(`UPDATE sms_code SET expires_at = now() - interval '1 second' WHERE phone_hash = $1`, [
        phoneHash(phone),
      ]);
      expectError(
        await post('/register', { phono: phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1 }),
        422,
        20011,
      );
    });

    it('a code is single use: reusing it after a successful registration is a 422', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      const first = await post('/register', {
        phono: phone,
        verify_code: TEST_SMS_CODE,
        pwd: PASSWORD,
        type: 1,
      });
      expect(first.status).toBe(200);
      expect(await liveCodes(phone)).toBe(0);
      expectError(
        await post('/register', { phono: phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 2 }),
        422,
        20011,
      );
    });

    it('five wrong tries lock the code: then even the right code is refused until a new one is sent', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      for (let i = 0; i < 5; i += 1) {
        expectError(
          await post('/register', { phono: phone, verify_code: WRONG_CODE, pwd: PASSWORD, type: 1 }),
          422,
          20011,
        );
      }
      const [row]: { attempts: number }[] = await t.db.query(
        'SELECT attempts FROM sms_code WHERE phone_hash = $1 AND consumed_at IS NULL',
        [phoneHash(phone)],
      );
      expect(row.attempts).toBe(5);
      expectError(
        await post('/register', { phono: phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1 }),
        422,
        20012,
      );

      await resendCode(phone);
      const ok = await post('/register', {
        phono: phone,
        verify_code: TEST_SMS_CODE,
        pwd: PASSWORD,
        type: 1,
      });
      expect(ok.status).toBe(200);
    });

    it('concurrent guesses cannot get more than the five tries', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      // More guesses at once than the connection pool holds (20); every one is answered.
      const guesses = await Promise.all(
        Array.from({ length: 30 }, () =>
          t.http
            .post('/register')
            .timeout(10_000)
            .send({ phono: phone, verify_code: WRONG_CODE, pwd: PASSWORD, type: 1 }),
        ),
      );
      const codes = guesses.map((r) => r.body.error_code as number);
      expect(codes.filter((c) => c === 20011)).toHaveLength(5);
      expect(codes.filter((c) => c === 20012)).toHaveLength(25);
      expectError(
        await post('/register', { phono: phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1 }),
        422,
        20012,
      );
    });

    it('a duplicate (phone, type) is a 409 that does not consume the code; the same phone may take another type', async () => {
      const first = await registerAccount(t.http, 1);
      await resendCode(first.phone);
      const dup = await post('/register', {
        phono: first.phone,
        verify_code: TEST_SMS_CODE,
        pwd: PASSWORD,
        type: 1,
      });
      expectError(dup, 409, 20006);
      expect(await liveCodes(first.phone)).toBe(1);

      const doctor = await post('/register', {
        phono: first.phone,
        verify_code: TEST_SMS_CODE,
        pwd: 'other-pass',
        type: 2,
      });
      expect(doctor.status).toBe(200);
      expect(doctor.body.data).toMatchObject({ phone: first.phone, type: 2, is_verify: 0 });
      expect(doctor.body.data.id).not.toBe(first.id);

      // Two accounts, each with its own password.
      expect((await post('/login', { phono: first.phone, pwd: first.password, type: 1 })).body.data.id).toBe(
        first.id,
      );
      expect((await post('/login', { phono: first.phone, pwd: 'other-pass', type: 2 })).body.data.id).toBe(
        doctor.body.data.id,
      );
      expectError(await post('/login', { phono: first.phone, pwd: first.password, type: 2 }), 401, 20003);
    });

    it('a registered phone is not revealed to a caller without a valid code', async () => {
      const account = await registerAccount(t.http, 1);
      const res = await post('/register', {
        phono: account.phone,
        verify_code: WRONG_CODE,
        pwd: PASSWORD,
        type: 1,
      });
      expectError(res, 422, 20011);
    });

    it('one code registers exactly one account when several registrations race for it', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      const results = await Promise.all(
        [1, 2, 3].map((type) =>
          post('/register', { phono: phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 422, 422]);
      for (const r of results.filter((x) => x.status !== 200)) expect(r.body.error_code).toBe(20011);
      const rows: unknown[] = await t.db.query('SELECT 1 FROM app_user WHERE phone_hash = $1', [
        phoneHash(phone),
      ]);
      expect(rows).toHaveLength(1);
    });
  });

  describe('POST /login', () => {
    it('signs in with phone, password and type; the new token works beside the old one', async () => {
      const account = await registerAccount(t.http, 2);
      const res = await post('/login', { phono: account.phone, pwd: account.password, type: 2 });
      expect(res.status).toBe(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.data).toMatchObject({ id: account.id, phone: account.phone, type: 2, is_verify: 0 });
      expect(res.body.data).toHaveProperty('work_photo');
      const token = res.body.data.token as string;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(token).not.toBe(account.token);
      expect((await me(token).expect(200)).body.data.id).toBe(account.id);
      expect((await me(account.token).expect(200)).body.data.id).toBe(account.id);
    });

    it('accepts `phone` for `phono` and a form-urlencoded body', async () => {
      const account = await registerAccount(t.http, 3);
      const json = await post('/login', { phone: account.phone, pwd: account.password, type: 3 });
      expect(json.status).toBe(200);
      expect(json.body.data.id).toBe(account.id);
      const form = await t.http
        .post('/login')
        .type('form')
        .send({ phono: account.phone, pwd: account.password, type: '3' });
      expect(form.status).toBe(200);
      expect(form.body.data.id).toBe(account.id);
    });

    it('a wrong password, an unknown phone and a wrong type are the same 401', async () => {
      const account = await registerAccount(t.http, 1);
      const wrongPwd = expectError(
        await post('/login', { phono: account.phone, pwd: 'not-the-password', type: 1 }),
        401,
        20003,
      );
      const unknown = expectError(
        await post('/login', { phono: nextPhone(), pwd: account.password, type: 1 }),
        401,
        20003,
      );
      const wrongType = expectError(
        await post('/login', { phono: account.phone, pwd: account.password, type: 2 }),
        401,
        20003,
      );
      // Nothing tells a caller which phones are registered.
      expect(unknown.error_message).toBe(wrongPwd.error_message);
      expect(wrongType.error_message).toBe(wrongPwd.error_message);
    });

    it('missing or malformed fields are 400s', async () => {
      expectError(await post('/login', { phono: nextPhone(), type: 1 }), 400, 10001);
      expectError(await post('/login', { phono: nextPhone(), pwd: PASSWORD }), 400, 10001);
      expectError(await post('/login', { phono: 'abc', pwd: PASSWORD, type: 1 }), 400, 10001);
    });

    it('a disabled account is refused with 403 even with the right password', async () => {
      const account = await registerAccount(t.http, 1);
      await setVerify(account.id, 2);
      expectError(await post('/login', { phono: account.phone, pwd: account.password, type: 1 }), 403, 20004);
    });

    it('an account created by phone-code login has no password to log in with', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      expect((await post('/login/phone', { photo: phone, verify_code: TEST_SMS_CODE })).status).toBe(200);
      expectError(await post('/login', { phono: phone, pwd: PASSWORD, type: 1 }), 401, 20003);
    });
  });

  describe('POST /login with a low LOGIN_FAILURE_LIMIT', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ LOGIN_FAILURE_LIMIT: '3' }, t.databaseUrl);
    });
    afterAll(() => strict.close());

    it('locks password login for that phone and type after the limit, even with the right password', async () => {
      const account = await registerAccount(t.http, 1);
      const login = (pwd: string, type = 1) =>
        strict.http.post('/login').send({ phono: account.phone, pwd, type });
      for (let i = 0; i < 3; i += 1) expectError(await login('wrong-password'), 401, 20003);
      expectError(await login(account.password), 429, 20016);

      // The lock is per phone and type: another account still signs in.
      const other = await registerAccount(t.http, 1);
      const ok = await strict.http.post('/login').send({ phono: other.phone, pwd: other.password, type: 1 });
      expect(ok.status).toBe(200);

      // Phone-code login stays open for the locked account.
      await resendCode(account.phone);
      const byCode = await strict.http
        .post('/login/phone')
        .send({ photo: account.phone, verify_code: TEST_SMS_CODE });
      expect(byCode.status).toBe(200);
      expect(byCode.body.data.id).toBe(account.id);
    });

    it('a burst of concurrent guesses gets no more tries than the limit', async () => {
      const account = await registerAccount(t.http, 2);
      const guesses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          strict.http.post('/login').send({ phono: account.phone, pwd: `wrong-${i}`, type: 2 }),
        ),
      );
      const codes = guesses.map((r) => r.body.error_code as number);
      expect(codes.filter((c) => c === 20003)).toHaveLength(3);
      expect(codes.filter((c) => c === 20016)).toHaveLength(9);
    });

    it('successful logins do not count towards the lock', async () => {
      const account = await registerAccount(t.http, 3);
      const login = (pwd: string) => strict.http.post('/login').send({ phono: account.phone, pwd, type: 3 });
      for (let i = 0; i < 4; i += 1) expect((await login(account.password)).status).toBe(200);
      expectError(await login('wrong-password'), 401, 20003);
      expectError(await login('wrong-password'), 401, 20003);
      expect((await login(account.password)).status).toBe(200);
    });
  });

  describe('the auth throttler (AUTH_RATE_LIMIT_PER_MINUTE)', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    });
    afterAll(() => strict.close());

    it('refuses the third sign-in request of a minute with a 429 envelope, other routes unaffected', async () => {
      const body = { phono: nextPhone(), pwd: PASSWORD, type: 1 };
      expectError(await strict.http.post('/login').send(body), 401, 20003);
      expectError(await strict.http.post('/login').send(body), 401, 20003);
      const third = await strict.http.post('/login').send(body);
      expectError(third, 429, 10005);
      expect(third.body.data).toBeNull();
      expect(third.headers['retry-after-auth']).toBeDefined();
      // Not an auth route: only the general budget applies.
      expectError(await strict.http.get('/user'), 401, 20001);
    });
  });

  describe('the general throttler (RATE_LIMIT_PER_MINUTE) on token-guarded routes', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    });
    afterAll(() => strict.close());

    it('counts requests with bad tokens too, so tokens cannot be guessed at full speed', async () => {
      for (let i = 0; i < 3; i += 1) {
        expectError(await strict.http.get('/user').set('X-auth-token', `guess-${i}`), 401, 20002);
      }
      expectError(await strict.http.get('/user').set('X-auth-token', 'guess-3'), 429, 10005);
    });
  });

  describe('POST /login/phone', () => {
    it('the first call creates a patient (is_new 1), the next one signs the same account in (is_new 0)', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      const first = await post('/login/phone', { photo: phone, verify_code: TEST_SMS_CODE });
      expect(first.status).toBe(200);
      expect(first.body.error_code).toBe(0);
      expect(first.body.data).toMatchObject({ is_new: 1, phone, type: 1, is_verify: 1 });
      expect((await me(first.body.data.token).expect(200)).body.data.id).toBe(first.body.data.id);

      await resendCode(phone);
      const second = await post('/login/phone', { phone, verify_code: TEST_SMS_CODE });
      expect(second.status).toBe(200);
      expect(second.body.data).toMatchObject({ is_new: 0, id: first.body.data.id });
      expect(second.body.data.token).not.toBe(first.body.data.token);

      const rows: unknown[] = await t.db.query('SELECT 1 FROM app_user WHERE phone_hash = $1', [
        phoneHash(phone),
      ]);
      expect(rows).toHaveLength(1);
    });

    it('signs a password-registered account in (is_new 0), also under `phono`', async () => {
      const account = await registerAccount(t.http, 1);
      await resendCode(account.phone);
      const res = await post('/login/phone', { phono: account.phone, verify_code: TEST_SMS_CODE, type: 1 });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ is_new: 0, id: account.id });
    });

    it('type 2 creates an unverified doctor, separate from the patient of the same phone', async () => {
      const patient = await registerAccount(t.http, 1);
      await resendCode(patient.phone);
      const res = await post('/login/phone', { photo: patient.phone, verify_code: TEST_SMS_CODE, type: 2 });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ is_new: 1, type: 2, is_verify: 0 });
      expect(res.body.data).toHaveProperty('work_photo');
      expect(res.body.data.id).not.toBe(patient.id);
    });

    it('accepts a form-urlencoded body with a string type', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      const res = await t.http
        .post('/login/phone')
        .type('form')
        .send({ photo: phone, verify_code: TEST_SMS_CODE, type: '3' });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ is_new: 1, type: 3, is_verify: 0 });
    });

    it('an explicit null or empty type means the default: the patient, not another account of the phone', async () => {
      const doctor = await registerAccount(t.http, 2);
      await resendCode(doctor.phone);
      const res = await post('/login/phone', { photo: doctor.phone, verify_code: TEST_SMS_CODE, type: null });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ is_new: 1, type: 1 });
      expect(res.body.data.id).not.toBe(doctor.id);

      await resendCode(doctor.phone);
      const form = await t.http
        .post('/login/phone')
        .type('form')
        .send(`photo=${doctor.phone}&verify_code=${TEST_SMS_CODE}&type=`);
      expect(form.status).toBe(200);
      expect(form.body.data).toMatchObject({ is_new: 0, type: 1, id: res.body.data.id });
    });

    it('a wrong code is a 422 and creates nothing', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      expectError(await post('/login/phone', { photo: phone, verify_code: WRONG_CODE }), 422, 20011);
      const rows: unknown[] = await t.db.query('SELECT 1 FROM app_user WHERE phone_hash = $1', [
        phoneHash(phone),
      ]);
      expect(rows).toHaveLength(0);
    });

    it('bad input is a 400', async () => {
      expectError(await post('/login/phone', { verify_code: TEST_SMS_CODE }), 400, 10001);
      expectError(await post('/login/phone', { photo: nextPhone() }), 400, 10001);
      expectError(
        await post('/login/phone', { photo: nextPhone(), verify_code: TEST_SMS_CODE, type: 4 }),
        400,
        10001,
      );
    });

    it('a disabled account is refused with 403 and its code stays usable', async () => {
      const account = await registerAccount(t.http, 1);
      await setVerify(account.id, 2);
      await resendCode(account.phone);
      expectError(
        await post('/login/phone', { photo: account.phone, verify_code: TEST_SMS_CODE }),
        403,
        20004,
      );
      expect(await liveCodes(account.phone)).toBe(1);
      await setVerify(account.id, 1);
      const res = await post('/login/phone', { photo: account.phone, verify_code: TEST_SMS_CODE });
      expect(res.status).toBe(200);
      expect(res.body.data.id).toBe(account.id);
    });
  });

  describe('POST /reset/pwd', () => {
    it('sets the new password and signs the account out everywhere, leaving its other accounts alone', async () => {
      const account = await registerAccount(t.http, 1);
      const doctorRes = await (async () => {
        await resendCode(account.phone);
        return post('/register', {
          phono: account.phone,
          verify_code: TEST_SMS_CODE,
          pwd: 'doctor-pass',
          type: 2,
        });
      })();
      const doctorToken = doctorRes.body.data.token as string;
      const secondToken = (await post('/login', { phono: account.phone, pwd: account.password, type: 1 }))
        .body.data.token as string;

      await resendCode(account.phone);
      const res = await post('/reset/pwd', {
        phono: account.phone,
        verify_code: TEST_SMS_CODE,
        pwd: 'brand-new-pass',
        type: 1,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });

      expectError(await me(account.token), 401, 20002);
      expectError(await me(secondToken), 401, 20002);
      expectError(await post('/login', { phono: account.phone, pwd: account.password, type: 1 }), 401, 20003);
      const login = await post('/login', { phono: account.phone, pwd: 'brand-new-pass', type: 1 });
      expect(login.status).toBe(200);
      expect(login.body.data.id).toBe(account.id);

      // The doctor account of the same phone keeps its session and password.
      expect((await me(doctorToken).expect(200)).body.data.type).toBe(2);
      expect((await post('/login', { phono: account.phone, pwd: 'doctor-pass', type: 2 })).status).toBe(200);
    });

    it('an unknown account is a 404 (for the holder of a valid code) and the code is not used up', async () => {
      const phone = nextPhone();
      await sendCode(t.http, phone);
      expectError(
        await post('/reset/pwd', {
          phono: phone,
          verify_code: TEST_SMS_CODE,
          pwd: 'brand-new-pass',
          type: 1,
        }),
        404,
        20007,
      );
      expect(await liveCodes(phone)).toBe(1);
    });

    it('without a valid code it does not reveal whether the account exists', async () => {
      const account = await registerAccount(t.http, 1);
      const known = await post('/reset/pwd', {
        phono: account.phone,
        verify_code: WRONG_CODE,
        pwd: 'brand-new-pass',
        type: 1,
      });
      const unknown = await post('/reset/pwd', {
        phono: nextPhone(),
        verify_code: WRONG_CODE,
        pwd: 'brand-new-pass',
        type: 1,
      });
      expectError(known, 422, 20011);
      expectError(unknown, 422, 20011);
    });

    it('a wrong code is a 422 and changes nothing', async () => {
      const account = await registerAccount(t.http, 1);
      await resendCode(account.phone);
      expectError(
        await post('/reset/pwd', {
          phono: account.phone,
          verify_code: WRONG_CODE,
          pwd: 'brand-new-pass',
          type: 1,
        }),
        422,
        20011,
      );
      expect((await me(account.token)).status).toBe(200);
      expect((await post('/login', { phono: account.phone, pwd: account.password, type: 1 })).status).toBe(
        200,
      );
    });

    it('the code is consumed: a second reset with it is a 422', async () => {
      const account = await registerAccount(t.http, 3);
      await resendCode(account.phone);
      const body = { phono: account.phone, verify_code: TEST_SMS_CODE, pwd: 'brand-new-pass', type: 3 };
      expect((await post('/reset/pwd', body)).status).toBe(200);
      expectError(await post('/reset/pwd', { ...body, pwd: 'another-pass' }), 422, 20011);
      expect((await post('/login', { phono: account.phone, pwd: 'brand-new-pass', type: 3 })).status).toBe(
        200,
      );
    });

    it('the new password must be 6 to 32 characters', async () => {
      const account = await registerAccount(t.http, 1);
      const res = await post('/reset/pwd', {
        phono: account.phone,
        verify_code: TEST_SMS_CODE,
        pwd: 'short',
        type: 1,
      });
      expectError(res, 400, 10001);
      expect(res.body.error_message).toMatch(/pwd/);
    });
  });

  describe('GET /logout', () => {
    it('revokes the token it is called with, and only that one', async () => {
      const account = await registerAccount(t.http, 1);
      const other = (await post('/login', { phono: account.phone, pwd: account.password, type: 1 })).body.data
        .token as string;
      const res = await t.http.get('/logout').set('X-auth-token', account.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });
      expectError(await me(account.token), 401, 20002);
      expectError(await t.http.get('/logout').set('X-auth-token', account.token), 401, 20002);
      expect((await me(other)).status).toBe(200);
    });

    it('needs a token', async () => {
      expectError(await t.http.get('/logout'), 401, 20001);
    });
  });

  describe('the token guard', () => {
    it('no token is 401 20001, an unknown token 401 20002', async () => {
      expectError(await t.http.get('/user'), 401, 20001);
      expectError(await me('not-a-real-token'), 401, 20002);
      expectError(await t.http.get('/user').set('Authorization', 'Basic dXNlcjpwYXNz'), 401, 20001);
    });

    it('accepts `Authorization: Bearer <token>` like `X-auth-token`', async () => {
      const account = await registerAccount(t.http, 1);
      const res = await t.http.get('/user').set('Authorization', `Bearer ${account.token}`);
      expect(res.status).toBe(200);
      expect(res.body.data.id).toBe(account.id);
      expectError(await t.http.get('/user').set('Authorization', 'Bearer nope'), 401, 20002);
    });

    it('the token of a disabled account is refused with 403 and works again once re-enabled', async () => {
      const account = await registerAccount(t.http, 1);
      await setVerify(account.id, 2);
      expectError(await me(account.token), 403, 20004);
      await setVerify(account.id, 1);
      expect((await me(account.token)).status).toBe(200);
    });

    it('an expired token is 401 20002 and is removed', async () => {
      const account = await registerAccount(t.http, 1);
      await t.db.query(`UPDATE auth_token SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
        account.id,
      ]);
      expectError(await me(account.token), 401, 20002);
      const rows: unknown[] = await t.db.query('SELECT 1 FROM auth_token WHERE user_id = $1', [account.id]);
      expect(rows).toHaveLength(0);
    });

    it('use slides the expiry forward', async () => {
      const account = await registerAccount(t.http, 1);
      await t.db.query(
        `UPDATE auth_token SET last_used_at = now() - interval '2 minutes', expires_at = now() + interval '1 hour'
         WHERE user_id = $1`,
        [account.id],
      );
      expect((await me(account.token)).status).toBe(200);
      const [row]: { expires_in_days: number; used_ago_s: number }[] = await t.db.query(
        `SELECT EXTRACT(EPOCH FROM expires_at - now()) / 86400 AS expires_in_days,
                EXTRACT(EPOCH FROM now() - last_used_at) AS used_ago_s
         FROM auth_token WHERE user_id = $1`,
        [account.id],
      );
      expect(Number(row.expires_in_days)).toBeGreaterThan(29.9);
      expect(Number(row.used_ago_s)).toBeLessThan(30);
    });
  });
});
