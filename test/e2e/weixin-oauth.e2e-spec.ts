import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Logger } from '@nestjs/common';
import { expectError, operatorToken, registerAccount } from '../support/factories';
import { FakeWechat } from '../support/fakes/wechat.fake';
import { startTestApp, TestApp } from '../support/test-app';

const APP_ID = 'wx9a8b7c6d5e4f3021';
const SECRET = 'e2e-wechat-oauth-secret-4b2e8f';
const ADMIN_PHONE = '13700003333';
const ADMIN_PASSWORD = 'operator-pass-3';
const TIMEOUT_MS = 800;

/** A fresh code in WeChat's shape (32 characters) and the 28-character openid it stands for. */
const newCode = () => randomBytes(16).toString('hex');
const newOpenid = () => `o${randomBytes(20).toString('base64url').slice(0, 27)}`;

/** A loopback port with nothing listening. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** Log lines written through Nest's Logger while the suite runs (pino itself is silent in tests). */
const logged: string[] = [];
/** Every code sent to the server in this file, to check that none reaches a log line or a response. */
const codesSent: string[] = [];
beforeAll(() => {
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' '));
    });
  }
});
afterAll(() => jest.restoreAllMocks());

function expectNoSecrets(text: string, fake: FakeWechat, secret = SECRET) {
  expect(text).not.toContain(secret);
  for (const code of codesSent) expect(text).not.toContain(code);
  for (const issued of fake.issued) expect(text).not.toContain(issued);
}

describe('GET /weixin/oauth (微信网页授权 → openid)', () => {
  const fake = new FakeWechat(APP_ID, SECRET);
  let t: TestApp;
  let user: { id: number; token: string };

  beforeAll(async () => {
    const base = await fake.start();
    t = await startTestApp({
      WECHAT_APP_ID: APP_ID,
      WECHAT_APP_SECRET: SECRET,
      WECHAT_API_BASE: base,
      WECHAT_TIMEOUT_MS: String(TIMEOUT_MS),
      ADMIN_PHONE,
      ADMIN_PASSWORD,
    });
    user = await registerAccount(t.http, 1);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());
  afterEach(() => {
    for (const line of logged) expectNoSecrets(line, fake);
  });

  /** `as` null: no token at all. */
  const oauth = async (code: string | undefined, as: string | null = user.token) => {
    if (code && code.trim().length >= 8) codesSent.push(code);
    const req = t.http.get('/weixin/oauth').query(code === undefined ? {} : { code });
    const res = await (as === null ? req : req.set('X-auth-token', as));
    expectNoSecrets(res.text, fake);
    return res;
  };
  /** A code WeChat knows, and the openid it stands for. */
  const registered = () => {
    const code = newCode();
    const openid = newOpenid();
    fake.addOauthCode(code, openid);
    return { code, openid };
  };
  const openidOf = async (id: number) =>
    (await t.db.query<{ openid: string | null }[]>(`SELECT openid FROM app_user WHERE id = $1`, [id]))[0]
      .openid;

  describe('the exchange', () => {
    it('stores the openid on the caller and answers it; other accounts untouched', async () => {
      const other = await registerAccount(t.http, 1);
      const { code, openid } = registered();
      const res = await oauth(code);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error_code: 0, data: { openid }, error_message: '' });
      expect(await openidOf(user.id)).toBe(openid);
      expect(await openidOf(other.id)).toBeNull();
      expect(fake.oauthCalls).toBe(1);
      expect(fake.tokenCalls).toBe(0); // the user's exchange needs no account access token
    });

    it('a second authorization replaces the openid', async () => {
      const first = registered();
      expect((await oauth(first.code)).status).toBe(200);
      const second = registered();
      const res = await oauth(second.code);
      expect(res.body.data).toEqual({ openid: second.openid });
      expect(await openidOf(user.id)).toBe(second.openid);
    });

    it('doctors and assistants may bind too', async () => {
      for (const type of [2, 3] as const) {
        const account = await registerAccount(t.http, type);
        const { code, openid } = registered();
        expect((await oauth(code, account.token)).status).toBe(200);
        expect(await openidOf(account.id)).toBe(openid);
      }
    });

    it('a code already used is 422 50040 and leaves the stored openid as it was', async () => {
      const { code, openid } = registered();
      expect((await oauth(code)).status).toBe(200);
      const other = await registerAccount(t.http, 1);
      expectError(await oauth(code, other.token), 422, 50040);
      expect(await openidOf(other.id)).toBeNull();
      expect(await openidOf(user.id)).toBe(openid);
      expect(fake.oauthCalls).toBe(2);
    });

    it('an unknown code is 422 50040, asked once', async () => {
      const before = await openidOf(user.id);
      expectError(await oauth(newCode()), 422, 50040);
      expect(await openidOf(user.id)).toBe(before);
      expect(fake.oauthCalls).toBe(1);
    });
  });

  describe('WeChat failing: never retried once the request may have reached WeChat', () => {
    it('busy (-1) is 502 50002 after one call: a code is single-use', async () => {
      const { code } = registered();
      fake.failNext('oauth', { errcode: -1 });
      expectError(await oauth(code), 502, 50002);
      expect(fake.oauthCalls).toBe(1);
      expect(fake.oauthCodeUsed(code)).toBe(false);
    });

    it('HTTP 500 and a dropped connection are 502 50002 after one call each', async () => {
      fake.failNext('oauth', 'http500');
      expectError(await oauth(registered().code), 502, 50002);
      fake.failNext('oauth', 'reset');
      expectError(await oauth(registered().code), 502, 50002);
      expect(fake.oauthCalls).toBe(2);
    });

    it('no answer within the timeout: 502 50002 at about the timeout, not retried', async () => {
      fake.slow('oauth', 5000);
      const started = Date.now();
      expectError(await oauth(registered().code), 502, 50002);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1500);
      expect(fake.oauthCalls).toBe(1);
    });
  });

  describe('the request', () => {
    it('code is required: 400 10001 naming the field', async () => {
      for (const code of [undefined, '', '   ']) {
        const res = expectError(await oauth(code), 400, 10001);
        expect(res.data).toEqual({ field: 'code' });
      }
      expect(fake.oauthCalls).toBe(0);
    });

    it('code is 1..128 letters, digits, _ and -', async () => {
      for (const code of ['c'.repeat(129), 'a/b', 'a b', 'x&secret=1', '授权码']) {
        const res = expectError(await oauth(code), 400, 10001);
        expect(res.data).toEqual({ field: 'code' });
      }
      expect(fake.oauthCalls).toBe(0);
      expectError(await oauth('c'.repeat(128)), 422, 50040); // accepted, unknown to WeChat
    });

    it('a repeated code is 400', async () => {
      const res = await t.http.get('/weixin/oauth?code=a&code=b').set('X-auth-token', user.token);
      expectError(res, 400, 10001);
    });

    it('no token is 401 20001, a bad token 401 20002; WeChat never called', async () => {
      const { code } = registered();
      expectError(await oauth(code, null), 401, 20001);
      expectError(await oauth(code, 'not-a-real-token'), 401, 20002);
      expect(fake.oauthCalls).toBe(0);
      expect(fake.oauthCodeUsed(code)).toBe(false);
    });

    it('an operator is 403 20005: the route is for the apps', async () => {
      const operator = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
      expectError(await oauth(registered().code, operator), 403, 20005);
      expect(fake.oauthCalls).toBe(0);
    });
  });
});

describe('GET /weixin/oauth when WeChat is not usable', () => {
  const fake = new FakeWechat(APP_ID, SECRET);
  let base: string;
  beforeAll(async () => {
    base = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  async function attempt(
    env: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
    const t = await startTestApp(env);
    try {
      const account = await registerAccount(t.http, 1);
      const code = newCode();
      codesSent.push(code);
      fake.addOauthCode(code, newOpenid());
      const res = await t.http.get('/weixin/oauth').query({ code }).set('X-auth-token', account.token);
      const [row] = await t.db.query<{ openid: string | null }[]>(
        `SELECT openid FROM app_user WHERE id = $1`,
        [account.id],
      );
      expect(row.openid).toBeNull();
      return res;
    } finally {
      await t.close();
    }
  }

  it('not configured (no app id or secret): 503 50001, WeChat never called', async () => {
    expectError(await attempt({ WECHAT_API_BASE: base }), 503, 50001);
    expectError(await attempt({ WECHAT_API_BASE: base, WECHAT_APP_ID: APP_ID }), 503, 50001);
    expect(fake.oauthCalls).toBe(0);
  });

  it('a wrong secret: 502 50003, one call, the secret neither logged nor answered', async () => {
    const wrong = 'definitely-the-wrong-oauth-secret';
    const res = expectError(
      await attempt({ WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: wrong, WECHAT_API_BASE: base }),
      502,
      50003,
    );
    expect(JSON.stringify(res)).not.toContain(wrong);
    expect(fake.oauthCalls).toBe(1);
    expect(logged.some((l) => l.includes('40125'))).toBe(true);
    for (const line of logged) expectNoSecrets(line, fake, wrong);
  });

  it('WeChat unreachable (connection refused, so nothing was sent): retried, then 502 50002', async () => {
    const port = await closedPort();
    const started = logged.length;
    const res = await attempt({
      WECHAT_APP_ID: APP_ID,
      WECHAT_APP_SECRET: SECRET,
      WECHAT_API_BASE: `http://127.0.0.1:${port}`,
    });
    expectError(res, 502, 50002);
    expect(logged.slice(started).filter((l) => /retry \d\/2/.test(l))).toHaveLength(2);
    for (const line of logged) expectNoSecrets(line, fake);
  });
});
