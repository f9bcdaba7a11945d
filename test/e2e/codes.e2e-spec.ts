import Redis from 'ioredis';
import { phoneHash } from 'src/common/crypto/personal-data';
import { SmsSender } from 'src/integrations/sms/sms-sender';
import { expectError, nextPhone, registerAccount, sleep } from '../support/factories';
import { smsJobsFor } from '../support/personal-data';
import { startTestApp, TEST_CAPTCHA, TEST_SMS_CODE, TestApp } from '../support/test-app';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PASSWORD = 'secret123';

interface CodeRow {
  id: string;
  code_hash: string;
  attempts: number;
  consumed_at: Date | null;
  expires_in_s: number;
}

async function codeRows(t: TestApp, phone: string): Promise<CodeRow[]> {
  return t.db.query(
    `SELECT id, code_hash, attempts, consumed_at, EXTRACT(EPOCH FROM expires_at - now())::float8 AS expires_in_s
     FROM sms_code WHERE phone_hash = $1 ORDER BY id`,
    [phoneHash(phone)],
  );
}

/** Fetches a captcha and returns the `Cookie` header value that binds it, plus the challenge id. */
async function captchaCookie(t: TestApp): Promise<{ cookie: string; id: string }> {
  const res = await t.http.get('/captcha/app').expect(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const line = setCookie.find((c) => c.startsWith('captcha_id='));
  if (!line) throw new Error(`no captcha cookie in ${JSON.stringify(setCookie)}`);
  const pair = line.split(';')[0];
  return { cookie: pair, id: decodeURIComponent(pair.slice('captcha_id='.length)) };
}

/** Ends the phone's current per-phone gap window (Postgres counters) instead of sleeping it out. */
async function endGap(t: TestApp, phone: string): Promise<void> {
  await t.db.query('UPDATE rate_limit_counter SET expires_at = now() WHERE key = $1', [
    `sms:gap:${phoneHash(phone)}`,
  ]);
}

const sendDirect = (t: TestApp, phone: string) => t.http.post('/phone/verifycode').send({ phone });

describe('verification codes: /captcha/app, /verifycode, /phone/verifycode and their limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('GET /captcha/app', () => {
    it('returns an SVG image and binds it with an HttpOnly cookie; only a hash of its text is stored', async () => {
      const res = await t.http.get('/captcha/app');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = typeof res.body === 'string' || Buffer.isBuffer(res.body) ? String(res.body) : res.text;
      expect(body).toMatch(/^<svg[\s\S]*<\/svg>$/);

      const cookie = ([] as string[])
        .concat(res.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('captcha_id='));
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; Path=\//);
      const id = (cookie as string).split(';')[0].slice('captcha_id='.length);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);

      const rows: { text_hash: string; ttl_s: number }[] = await t.db.query(
        'SELECT text_hash, EXTRACT(EPOCH FROM expires_at - now())::float8 AS ttl_s FROM captcha WHERE id = $1',
        [id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].text_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].text_hash.toLowerCase()).not.toContain(TEST_CAPTCHA.toLowerCase());
      // Valid for 5 minutes.
      expect(rows[0].ttl_s).toBeGreaterThan(290);
      expect(rows[0].ttl_s).toBeLessThanOrEqual(300);
    });

    it('every request gets its own challenge', async () => {
      const a = await captchaCookie(t);
      const b = await captchaCookie(t);
      expect(a.id).not.toBe(b.id);
    });
  });

  describe('POST /verifycode (behind the captcha)', () => {
    const send = (phone: string, captcha: string, cookie?: string) => {
      const req = t.http.post('/verifycode');
      if (cookie) req.set('Cookie', cookie);
      return req.send({ captcha_code: captcha, phone });
    };

    it('with the cookie and the right text sends a code (stored only as a hash) that registers the phone', async () => {
      const { cookie, id } = await captchaCookie(t);
      const phone = nextPhone();
      const res = await send(phone, TEST_CAPTCHA, cookie);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });

      const rows = await codeRows(t, phone);
      expect(rows).toHaveLength(1);
      expect(rows[0].code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].code_hash).not.toBe(TEST_SMS_CODE);
      expect(rows[0].code_hash).not.toContain(TEST_SMS_CODE);
      expect(rows[0].consumed_at).toBeNull();
      // Valid for 5 minutes.
      expect(rows[0].expires_in_s).toBeGreaterThan(290);
      expect(rows[0].expires_in_s).toBeLessThanOrEqual(300);
      // The challenge is gone.
      expect(await t.db.query('SELECT 1 FROM captcha WHERE id = $1', [id])).toHaveLength(0);

      const reg = await t.http
        .post('/register')
        .send({ phono: phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1 });
      expect(reg.status).toBe(200);
    });

    it.each([
      ['upper case', TEST_CAPTCHA.toUpperCase()],
      ['lower case', TEST_CAPTCHA.toLowerCase()],
      ['surrounding spaces', ` ${TEST_CAPTCHA} `],
    ])('the captcha text is accepted in %s', async (_, text) => {
      const { cookie } = await captchaCookie(t);
      const phone = nextPhone();
      expect((await send(phone, text, cookie)).status).toBe(200);
      expect(await codeRows(t, phone)).toHaveLength(1);
    });

    it('accepts a form-urlencoded body', async () => {
      const { cookie } = await captchaCookie(t);
      const phone = nextPhone();
      const res = await t.http
        .post('/verifycode')
        .set('Cookie', cookie)
        .type('form')
        .send({ captcha_code: TEST_CAPTCHA, phone });
      expect(res.status).toBe(200);
      expect(await codeRows(t, phone)).toHaveLength(1);
    });

    it('without the cookie it is a 422 and sends nothing', async () => {
      const phone = nextPhone();
      expectError(await send(phone, TEST_CAPTCHA), 422, 20010);
      expectError(await send(phone, TEST_CAPTCHA, 'captcha_id=not-a-uuid'), 422, 20010);
      expectError(
        await send(phone, TEST_CAPTCHA, 'captcha_id=00000000-0000-4000-8000-000000000000'),
        422,
        20010,
      );
      expect(await codeRows(t, phone)).toHaveLength(0);
    });

    it('a wrong text is a 422 and burns the challenge: the right text afterwards is refused too', async () => {
      const { cookie } = await captchaCookie(t);
      const phone = nextPhone();
      expectError(await send(phone, 'zzzz', cookie), 422, 20010);
      expectError(await send(phone, TEST_CAPTCHA, cookie), 422, 20010);
      expect(await codeRows(t, phone)).toHaveLength(0);
    });

    it('a challenge is single use: the same cookie a second time is a 422', async () => {
      const { cookie } = await captchaCookie(t);
      expect((await send(nextPhone(), TEST_CAPTCHA, cookie)).status).toBe(200);
      const phone = nextPhone();
      expectError(await send(phone, TEST_CAPTCHA, cookie), 422, 20010);
      expect(await codeRows(t, phone)).toHaveLength(0);
    });

    it('an expired challenge is a 422', async () => {
      const { cookie, id } = await captchaCookie(t);
      await t.db.query(`UPDATE captcha SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
      const phone = nextPhone();
      expectError(await send(phone, TEST_CAPTCHA, cookie), 422, 20010);
      expect(await codeRows(t, phone)).toHaveLength(0);
    });

    it('invalid input is a 400 naming the field, and does not use up the challenge', async () => {
      const { cookie } = await captchaCookie(t);
      const badPhone = await send('1234', TEST_CAPTCHA, cookie);
      expectError(badPhone, 400, 10001);
      expect(badPhone.body.error_message).toMatch(/phone/);
      const noCaptcha = await t.http.post('/verifycode').set('Cookie', cookie).send({ phone: nextPhone() });
      expectError(noCaptcha, 400, 10001);
      expect(noCaptcha.body.error_message).toMatch(/captcha_code/);
      expect((await send(nextPhone(), TEST_CAPTCHA, cookie)).status).toBe(200);
    });
  });

  describe('POST /phone/verifycode', () => {
    it('sends a code: a hashed row valid for 5 minutes and a queued job that holds the code sealed', async () => {
      const phone = nextPhone();
      const res = await sendDirect(t, phone);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });

      const [row] = await codeRows(t, phone);
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.code_hash).not.toContain(TEST_SMS_CODE);
      expect(row.attempts).toBe(0);
      expect(row.consumed_at).toBeNull();
      expect(row.expires_in_s).toBeGreaterThan(290);

      const jobs = await smsJobsFor(t, phone);
      expect(jobs).toHaveLength(1);
      expect(jobs[0].text).not.toContain(TEST_SMS_CODE);
      expect(jobs[0].text).not.toContain(phone);
      expect(typeof jobs[0].data.sealed).toBe('string');
      expect(jobs[0].data.sealed.length).toBeGreaterThan(20);
    });

    it.each([
      ['a phone not starting with 1[3-9]', '12345678901'],
      ['a phone with letters', '1381234567a'],
      ['a 12-digit phone', '138123456789'],
      ['no phone', undefined],
    ])('%s is a 400 naming the field', async (_, phone) => {
      const res = await t.http.post('/phone/verifycode').send(phone === undefined ? {} : { phone });
      expectError(res, 400, 10001);
      expect(res.body.error_message).toMatch(/phone/);
    });

    it('accepts a form-urlencoded body', async () => {
      const phone = nextPhone();
      const res = await t.http.post('/phone/verifycode').type('form').send(`phone=${phone}`);
      expect(res.status).toBe(200);
      expect(await codeRows(t, phone)).toHaveLength(1);
    });

    it('a new code invalidates the previous one', async () => {
      const phone = nextPhone();
      expect((await sendDirect(t, phone)).status).toBe(200);
      await sleep(1100); // the per-phone gap is 1 s in this app
      expect((await sendDirect(t, phone)).status).toBe(200);

      const rows = await codeRows(t, phone);
      expect(rows).toHaveLength(2);
      expect(rows[0].consumed_at).not.toBeNull();
      expect(rows[1].consumed_at).toBeNull();

      // Every test code has the same digits, so make the new one different: the old digits must then fail.
      await t.db.query(`UPDATE sms_code SET code_hash = repeat('0', 64) WHERE id = $1`, [rows[1].id]);
      const reg = await t.http
        .post('/register')
        .send({ phono: phone, verify_code: TEST_SMS_CODE, pwd: PASSWORD, type: 1 });
      expectError(reg, 422, 20011);
    });
  });

  describe('SMS delivery', () => {
    // Its own app: the worker takes one job per poll, so the main app's backlog would delay this one.
    let fresh: TestApp;
    beforeAll(async () => {
      fresh = await startTestApp();
    });
    afterAll(() => fresh.close());

    it('the queued job is picked up by the worker, which unseals the code and hands it to the SMS driver', async () => {
      const sendCode = jest.spyOn(fresh.app.get(SmsSender), 'sendCode');
      const phone = nextPhone();
      expect((await sendDirect(fresh, phone)).status).toBe(200);
      let state = '';
      for (let i = 0; i < 40 && state !== 'completed'; i += 1) {
        await sleep(100);
        state = (await smsJobsFor(fresh, phone))[0]?.state ?? '';
      }
      expect(state).toBe('completed');
      expect(sendCode).toHaveBeenCalledWith(phone, TEST_SMS_CODE);
    });
  });

  describe('per-phone gap (SMS_PHONE_INTERVAL_SECONDS 60)', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ SMS_PHONE_INTERVAL_SECONDS: '60' });
    });
    afterAll(() => strict.close());

    it('a second request for the same phone within the gap is a 429, on either route; other phones are free', async () => {
      const phone = nextPhone();
      expect((await sendDirect(strict, phone)).status).toBe(200);
      expectError(await sendDirect(strict, phone), 429, 20013);

      const { cookie } = await captchaCookie(strict);
      const viaCaptcha = await strict.http
        .post('/verifycode')
        .set('Cookie', cookie)
        .send({ captcha_code: TEST_CAPTCHA, phone });
      expectError(viaCaptcha, 429, 20013);
      expect(await codeRows(strict, phone)).toHaveLength(1);

      expect((await sendDirect(strict, nextPhone())).status).toBe(200);
    });
  });

  describe('per-phone daily cap (SMS_PHONE_DAILY_LIMIT 2)', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ SMS_PHONE_DAILY_LIMIT: '2', SMS_PHONE_INTERVAL_SECONDS: '1' });
    });
    afterAll(() => strict.close());

    it('the third code of the day for one phone is a 429', async () => {
      const phone = nextPhone();
      expect((await sendDirect(strict, phone)).status).toBe(200);
      await endGap(strict, phone);
      expect((await sendDirect(strict, phone)).status).toBe(200);
      await endGap(strict, phone);
      expectError(await sendDirect(strict, phone), 429, 20014);
      expect(await codeRows(strict, phone)).toHaveLength(2);
      // Another phone still gets its code.
      expect((await sendDirect(strict, nextPhone())).status).toBe(200);
    });
  });

  describe('per-IP hourly cap without captcha (SMS_NO_CAPTCHA_IP_HOURLY_LIMIT 2)', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ SMS_NO_CAPTCHA_IP_HOURLY_LIMIT: '2' });
    });
    afterAll(() => strict.close());

    it('the third code from one address within the hour is a 429, whatever the phone; the captcha route has its own budget', async () => {
      expect((await sendDirect(strict, nextPhone())).status).toBe(200);
      expect((await sendDirect(strict, nextPhone())).status).toBe(200);
      const phone = nextPhone();
      expectError(await sendDirect(strict, phone), 429, 20015);
      expect(await codeRows(strict, phone)).toHaveLength(0);

      const { cookie } = await captchaCookie(strict);
      const viaCaptcha = await strict.http
        .post('/verifycode')
        .set('Cookie', cookie)
        .send({ captcha_code: TEST_CAPTCHA, phone });
      expect(viaCaptcha.status).toBe(200);
    });
  });

  describe('per-IP hourly cap behind the captcha (SMS_IP_HOURLY_LIMIT 1)', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ SMS_IP_HOURLY_LIMIT: '1' });
    });
    afterAll(() => strict.close());

    it('the second captcha-backed code from one address within the hour is a 429', async () => {
      const first = await captchaCookie(strict);
      const ok = await strict.http
        .post('/verifycode')
        .set('Cookie', first.cookie)
        .send({ captcha_code: TEST_CAPTCHA, phone: nextPhone() });
      expect(ok.status).toBe(200);
      const second = await captchaCookie(strict);
      const refused = await strict.http
        .post('/verifycode')
        .set('Cookie', second.cookie)
        .send({ captcha_code: TEST_CAPTCHA, phone: nextPhone() });
      expectError(refused, 429, 20015);
    });
  });

  describe('limits shared by two instances on one database', () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      const overrides = { SMS_PHONE_INTERVAL_SECONDS: '60', RATE_LIMIT_PER_MINUTE: '3' };
      a = await startTestApp(overrides);
      b = await startTestApp(overrides, a.databaseUrl);
    });
    afterAll(async () => {
      await b.close();
      await a.close();
    });

    it('the per-phone gap started on instance A refuses the request on instance B', async () => {
      const phone = nextPhone();
      expect((await sendDirect(a, phone)).status).toBe(200);
      expectError(await sendDirect(b, phone), 429, 20013);
      expect(await codeRows(a, phone)).toHaveLength(1);
    });

    it('the general throttler counts a client across instances: the 4th request of the minute is a 429 envelope', async () => {
      expect((await a.http.get('/captcha/app')).status).toBe(200);
      expect((await b.http.get('/captcha/app')).status).toBe(200);
      expect((await a.http.get('/captcha/app')).status).toBe(200);
      const fourth = await b.http.get('/captcha/app');
      expectError(fourth, 429, 10005);
      expect(fourth.body.data).toBeNull();
      expect(fourth.headers['content-type']).toMatch(/json/);
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      expectError(await a.http.get('/captcha/app'), 429, 10005);
    });
  });

  describe('limits shared by two instances through Redis (REDIS_URL)', () => {
    let a: TestApp;
    let b: TestApp;
    let redis: Redis;
    const phones: string[] = [];
    beforeAll(async () => {
      redis = new Redis(REDIS_URL);
      const overrides = { SMS_PHONE_INTERVAL_SECONDS: '60', REDIS_URL };
      a = await startTestApp(overrides);
      b = await startTestApp(overrides, a.databaseUrl);
    });
    afterAll(async () => {
      await b.close();
      await a.close();
      for (const phone of phones) {
        const key = phoneHash(phone);
        await redis.del(`rl:sms:gap:${key}`, `rl:sms:day:${key}`, `rl:login:fail:1:${key}`);
      }
      await redis.quit();
    });

    it('the per-phone gap started on instance A refuses the request on instance B, counted in Redis', async () => {
      const phone = nextPhone();
      phones.push(phone);
      expect((await sendDirect(a, phone)).status).toBe(200);
      expectError(await sendDirect(b, phone), 429, 20013);

      expect(Number(await redis.get(`rl:sms:gap:${phoneHash(phone)}`))).toBe(2);
      const ttl = await redis.pttl(`rl:sms:gap:${phoneHash(phone)}`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // Nothing of it in Postgres.
      const rows: unknown[] = await a.db.query('SELECT 1 FROM rate_limit_counter WHERE key LIKE $1', [
        `%${phoneHash(phone)}%`,
      ]);
      expect(rows).toHaveLength(0);
    });

    it('password-login failures add up across instances in Redis; a successful login gives its try back', async () => {
      const account = await registerAccount(a.http, 1);
      phones.push(account.phone);
      const key = `rl:login:fail:1:${phoneHash(account.phone)}`;
      const login = (app: TestApp, pwd: string) =>
        app.http.post('/login').send({ phono: account.phone, pwd, type: 1 });
      expectError(await login(a, 'wrong-password'), 401, 20003);
      expectError(await login(b, 'wrong-password'), 401, 20003);
      expect(await redis.get(key)).toBe('2');
      expect((await login(b, account.password)).status).toBe(200);
      expect(await redis.get(key)).toBe('2');
      expect(await redis.pttl(key)).toBeGreaterThan(14 * 60_000);
    });
  });
});
