import Redis from 'ioredis';
import { phoneHash } from 'src/common/crypto/personal-data';
import { upsertOperator } from 'src/modules/admin/operator-accounts';
import { expectError, nextPhone, registerAccount } from '../support/factories';
import { smsJobsFor } from '../support/personal-data';
import { startTestApp, TEST_CAPTCHA, TEST_SMS_CODE, TestApp } from '../support/test-app';

/**
 * Guessing and flooding spread over two app instances that share one Postgres (and, in the second pair, one
 * Redis for the counters). What one instance counts, the other must see, also when the requests race.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';
const SMS_MAX_ATTEMPTS = 5;
const DAILY_CODES = 3;
const LOGIN_LIMIT = 5;
const CAPTCHA_IP_LIMIT = 4;
const PASSWORD = 'secret123';
const OPERATOR_PASSWORD = 'operator-pass';

const LIMITS = {
  SMS_MAX_ATTEMPTS: String(SMS_MAX_ATTEMPTS),
  SMS_PHONE_INTERVAL_SECONDS: '60',
  SMS_PHONE_DAILY_LIMIT: String(DAILY_CODES),
  LOGIN_FAILURE_LIMIT: String(LOGIN_LIMIT),
};

/** How many answers carried each error_code. */
function tally(responses: { body: { error_code: number } }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.body.error_code] = (counts[r.body.error_code] ?? 0) + 1;
  return counts;
}

/** A well-formed wrong guess per index: a brute force walks the code space (never the test code 246810). */
const wrongCode = (i: number) => String(i).padStart(6, '0');

interface Pair {
  a: TestApp;
  b: TestApp;
  /** Ends a phone's per-phone gap in whichever store counts it, instead of sleeping out its 60 s. */
  endGap(phone: string): Promise<void>;
  close(): Promise<void>;
}

async function startPair(overrides: Record<string, string>, endGap: Pair['endGap']): Promise<Pair> {
  const a = await startTestApp(overrides);
  const b = await startTestApp(overrides, a.databaseUrl);
  return {
    a,
    b,
    endGap,
    close: async () => {
      await b.close();
      await a.close();
    },
  };
}

/** The instance a request of a burst goes to: every other one to each. */
const either = (pair: Pair, i: number) => (i % 2 === 0 ? pair.a : pair.b);

const sendDirect = (t: TestApp, phone: string) => t.http.post('/phone/verifycode').send({ phone });

async function liveCode(t: TestApp, phone: string): Promise<{ attempts: number }[]> {
  return t.db.query('SELECT attempts FROM sms_code WHERE phone_hash = $1 AND consumed_at IS NULL', [
    phoneHash(phone),
  ]);
}

/** Every route that takes an SMS code, each with a body that passes validation. */
const CODE_ROUTES: [path: string, body: (phone: string, code: string) => Record<string, unknown>][] = [
  ['/register', (phone, code) => ({ phono: phone, verify_code: code, pwd: PASSWORD, type: 1 })],
  ['/login/phone', (phone, code) => ({ photo: phone, verify_code: code })],
  ['/reset/pwd', (phone, code) => ({ phono: phone, verify_code: code, pwd: PASSWORD, type: 1 })],
];

function guessCode(t: TestApp, phone: string, code: string, i: number) {
  const [path, body] = CODE_ROUTES[i % CODE_ROUTES.length];
  return t.http.post(path).timeout(30_000).send(body(phone, code));
}

describe('abuse across two instances', () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  /** Redis keys this suite created (Redis is shared by every suite and run): removed afterwards. */
  const redisKeys: string[] = [];
  let postgresPair: Pair;
  let redisPair: Pair;

  beforeAll(async () => {
    postgresPair = await startPair(
      { ...LIMITS, SMS_IP_HOURLY_LIMIT: String(CAPTCHA_IP_LIMIT) },
      async (phone) => {
        await postgresPair.a.db.query('UPDATE rate_limit_counter SET expires_at = now() WHERE key = $1', [
          `sms:gap:${phoneHash(phone)}`,
        ]);
      },
    );
    redisPair = await startPair({ ...LIMITS, REDIS_URL }, async (phone) => {
      await redis.del(`rl:sms:gap:${phoneHash(phone)}`);
    });
  });
  afterAll(async () => {
    await redisPair.close();
    await postgresPair.close();
    if (redisKeys.length) await redis.del(...redisKeys);
    redis.disconnect();
  });

  /** A phone of this suite; with Redis counters, its keys are noted for removal. */
  function phoneFor(pair: Pair): string {
    const phone = nextPhone();
    if (pair === redisPair) {
      const key = phoneHash(phone);
      redisKeys.push(`rl:sms:gap:${key}`, `rl:sms:day:${key}`);
      for (const type of [1, 2, 3, 'admin']) redisKeys.push(`rl:login:fail:${type}:${key}`);
    }
    return phone;
  }

  describe('an SMS code under 200 concurrent guesses split over both instances and three routes', () => {
    it(`evaluates exactly ${SMS_MAX_ATTEMPTS}; every other guess, and then the right code, is refused as locked`, async () => {
      const { a, b } = postgresPair;
      const phone = phoneFor(postgresPair);
      expect((await sendDirect(a, phone)).status).toBe(200);

      const guesses = await Promise.all(
        Array.from({ length: 200 }, (_, i) => guessCode(either(postgresPair, i), phone, wrongCode(i), i)),
      );
      expect(guesses.every((r) => r.status === 422)).toBe(true);
      expect(tally(guesses)).toEqual({ 20011: SMS_MAX_ATTEMPTS, 20012: 200 - SMS_MAX_ATTEMPTS });
      expect(await liveCode(a, phone)).toEqual([{ attempts: SMS_MAX_ATTEMPTS }]);

      for (const [i, t] of [a, b].entries())
        expectError(await guessCode(t, phone, TEST_SMS_CODE, i), 422, 20012);
      const accounts: unknown[] = await a.db.query('SELECT 1 FROM app_user WHERE phone_hash = $1', [
        phoneHash(phone),
      ]);
      expect(accounts).toHaveLength(0);
    });
  });

  describe('captcha-backed code requests from one address (SMS_IP_HOURLY_LIMIT) racing on both instances', () => {
    it(`send exactly ${CAPTCHA_IP_LIMIT} codes`, async () => {
      const { a } = postgresPair;
      const phones = Array.from({ length: 24 }, () => phoneFor(postgresPair));
      // Each request needs its own challenge; a challenge fetched from A is valid on B (one database).
      const cookies = await Promise.all(
        phones.map(async () => {
          const res = await a.http.get('/captcha/app').expect(200);
          return ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0].split(';')[0];
        }),
      );
      const sent = await Promise.all(
        phones.map((phone, i) =>
          either(postgresPair, i)
            .http.post('/verifycode')
            .set('Cookie', cookies[i])
            .send({ captcha_code: TEST_CAPTCHA, phone }),
        ),
      );
      expect(tally(sent)).toEqual({ 0: CAPTCHA_IP_LIMIT, 20015: phones.length - CAPTCHA_IP_LIMIT });
      const [{ n }]: { n: number }[] = await a.db.query(
        'SELECT count(*)::int AS n FROM sms_code WHERE phone_hash = ANY($1)',
        [phones.map(phoneHash)],
      );
      expect(n).toBe(CAPTCHA_IP_LIMIT);
    });
  });

  describe.each([
    ['Postgres', () => postgresPair],
    ['Redis', () => redisPair],
  ])('limits counted in %s', (_, pairOf) => {
    it('50 concurrent code requests for one phone over both instances send one code and queue one SMS', async () => {
      const pair = pairOf();
      const phone = phoneFor(pair);
      const sent = await Promise.all(
        Array.from({ length: 50 }, (_, i) => sendDirect(either(pair, i), phone)),
      );
      expect(tally(sent)).toEqual({ 0: 1, 20013: 49 });
      expect(await liveCode(pair.a, phone)).toHaveLength(1);
      expect(await smsJobsFor(pair.a, phone)).toHaveLength(1);
    });

    it(`one phone gets at most ${DAILY_CODES} codes × ${SMS_MAX_ATTEMPTS} evaluated guesses a day, whichever instance is asked`, async () => {
      const pair = pairOf();
      const phone = phoneFor(pair);
      for (let round = 0; round < DAILY_CODES; round += 1) {
        expect((await sendDirect(either(pair, round), phone)).status).toBe(200);
        await pair.endGap(phone);
        const guesses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            guessCode(either(pair, i), phone, wrongCode(round * 20 + i), i + round),
          ),
        );
        expect(tally(guesses)).toEqual({ 20011: SMS_MAX_ATTEMPTS, 20012: 20 - SMS_MAX_ATTEMPTS });
      }
      for (const t of [pair.a, pair.b]) {
        expectError(await sendDirect(t, phone), 429, 20014);
        await pair.endGap(phone);
      }

      const [row]: { codes: number; evaluated: number }[] = await pair.a.db.query(
        'SELECT count(*)::int AS codes, sum(attempts)::int AS evaluated FROM sms_code WHERE phone_hash = $1',
        [phoneHash(phone)],
      );
      expect(row).toEqual({ codes: DAILY_CODES, evaluated: DAILY_CODES * SMS_MAX_ATTEMPTS });
    });

    it(`200 concurrent wrong passwords over both instances: ${LOGIN_LIMIT} are checked, then even the right one is locked out`, async () => {
      const pair = pairOf();
      const account = await registerAccount(pair.a.http, 1, phoneFor(pair));
      const login = (t: TestApp, pwd: string) =>
        t.http.post('/login').timeout(30_000).send({ phono: account.phone, pwd, type: 1 });

      const guesses = await Promise.all(
        Array.from({ length: 200 }, (_, i) => login(either(pair, i), `guess-${i}`)),
      );
      expect(tally(guesses)).toEqual({ 20003: LOGIN_LIMIT, 20016: 200 - LOGIN_LIMIT });
      expectError(await login(pair.a, account.password), 429, 20016);
      expectError(await login(pair.b, account.password), 429, 20016);
    });

    it(`the operator login holds the same budget: ${LOGIN_LIMIT} of 100 concurrent guesses are checked`, async () => {
      const pair = pairOf();
      const phone = phoneFor(pair);
      await upsertOperator(pair.a.db.manager, phone, OPERATOR_PASSWORD);
      const login = (t: TestApp, pwd: string) =>
        t.http.post('/admin/login').timeout(30_000).send({ phone, pwd });

      const guesses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => login(either(pair, i), `guess-${i}`)),
      );
      expect(tally(guesses)).toEqual({ 20020: LOGIN_LIMIT, 20016: 100 - LOGIN_LIMIT });
      expectError(await login(pair.b, OPERATOR_PASSWORD), 429, 20016);
    });
  });
});
