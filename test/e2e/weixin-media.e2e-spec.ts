import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { expectError, operatorToken, registerAccount } from '../support/factories';
import {
  FakeWechat,
  WECHAT_JPEG,
  WECHAT_MEDIA,
  WECHAT_PNG,
  WECHAT_VIDEO_URL,
} from '../support/fakes/wechat.fake';
import { startTestApp, TestApp } from '../support/test-app';

const APP_ID = 'wx5f0e1d2c3b4a6978';
const SECRET = 'e2e-wechat-app-secret-7d1c9a';
const ADMIN_PHONE = '13700002222';
const ADMIN_PASSWORD = 'operator-pass-2';
const TIMEOUT_MS = 800;

const URL_PATTERN = /^http:\/\/files\.test\/uploads\/\d{6}\/[0-9a-f-]{36}\.(\w+)$/;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

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
beforeAll(() => {
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' '));
    });
  }
});
afterAll(() => jest.restoreAllMocks());

describe('GET /weixin/media (3.1.14 微信素材下载)', () => {
  const fake = new FakeWechat(APP_ID, SECRET);
  let base: string;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    base = await fake.start();
    t = await startTestApp({
      WECHAT_APP_ID: APP_ID,
      WECHAT_APP_SECRET: SECRET,
      WECHAT_API_BASE: base,
      WECHAT_TIMEOUT_MS: String(TIMEOUT_MS),
      ADMIN_PHONE,
      ADMIN_PASSWORD,
    });
    token = (await registerAccount(t.http, 1)).token;
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());
  afterEach(() => {
    // Neither the secret nor any token WeChat issued ever reaches a log line.
    for (const line of logged) {
      expect(line).not.toContain(SECRET);
      for (const issued of fake.issued) expect(line).not.toContain(issued);
    }
  });

  const media = (mediaId: string | undefined, as = token) =>
    t.http
      .get('/weixin/media')
      .query(mediaId === undefined ? {} : { media_id: mediaId })
      .set('X-auth-token', as);

  const storedToken = async () =>
    (
      await t.db.query<{ access_token: string; ttl: number }[]>(
        `SELECT access_token, EXTRACT(EPOCH FROM expires_at - now())::float8 AS ttl FROM wechat_token WHERE app_id = $1`,
        [APP_ID],
      )
    )[0];
  const forgetToken = () => t.db.query(`DELETE FROM wechat_token`);

  /** Downloads, checks the envelope and URL, fetches the URL back and compares the bytes. */
  async function downloadAndFetch(mediaId: string, bytes: Buffer, ext: string) {
    const res = await media(mediaId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error_code: 0, data: { url: expect.any(String) }, error_message: '' });
    const url = res.body.data.url as string;
    expect(URL_PATTERN.exec(url)?.[1]).toBe(ext);
    const served = await t.http.get(new URL(url).pathname).responseType('blob').expect(200);
    expect(Buffer.compare(served.body as Buffer, bytes)).toBe(0);
    return url;
  }

  describe('downloads', () => {
    it('a PNG is stored and its URL serves the same bytes', async () => {
      await downloadAndFetch(WECHAT_MEDIA.png, WECHAT_PNG, 'png');
    });

    it('a JPEG is stored as .jpg; each download gets a fresh URL', async () => {
      const a = await downloadAndFetch(WECHAT_MEDIA.jpeg, WECHAT_JPEG, 'jpg');
      const b = await downloadAndFetch(WECHAT_MEDIA.jpeg, WECHAT_JPEG, 'jpg');
      expect(a).not.toBe(b);
    });

    it('a video answers with its video_url and stores nothing', async () => {
      const before = filesUnder(t.uploadDir);
      const res = await media(WECHAT_MEDIA.video).expect(200);
      expect(res.body.data).toEqual({ url: WECHAT_VIDEO_URL });
      expect(filesUnder(t.uploadDir)).toEqual(before);
    });

    it('doctors and assistants may download too', async () => {
      for (const type of [2, 3] as const) {
        const account = await registerAccount(t.http, type);
        await media(WECHAT_MEDIA.png, account.token).expect(200);
      }
    });
  });

  describe('the access token', () => {
    beforeEach(() => forgetToken());

    it('is fetched once and cached in the wechat_token row: two downloads, one token call', async () => {
      await media(WECHAT_MEDIA.png).expect(200);
      await media(WECHAT_MEDIA.jpeg).expect(200);
      expect(fake.tokenCalls).toBe(1);
      expect(fake.mediaCalls).toBe(2);
      const row = await storedToken();
      expect(row.access_token).toBe(fake.currentToken);
      expect(row.ttl).toBeGreaterThan(7200 - 60);
      expect(row.ttl).toBeLessThanOrEqual(7200);
    });

    it('is replaced before use when less than 5 minutes remain', async () => {
      await media(WECHAT_MEDIA.png).expect(200);
      const first = (await storedToken()).access_token;
      await t.db.query(`UPDATE wechat_token SET expires_at = now() + interval '4 minutes'`);
      await media(WECHAT_MEDIA.png).expect(200);
      expect(fake.tokenCalls).toBe(2);
      expect(fake.mediaCalls).toBe(2); // the stale token was never sent
      const row = await storedToken();
      expect(row.access_token).not.toBe(first);
      expect(row.ttl).toBeGreaterThan(7200 - 60);
    });

    it('expired at WeChat (42001) although our row says valid: refreshed once, retried once', async () => {
      await media(WECHAT_MEDIA.png).expect(200);
      fake.reset();
      fake.expireToken();
      await downloadAndFetch(WECHAT_MEDIA.png, WECHAT_PNG, 'png');
      expect({ token: fake.tokenCalls, media: fake.mediaCalls }).toEqual({ token: 1, media: 2 });
      expect((await storedToken()).access_token).toBe(fake.currentToken);
    });

    it('superseded by someone else fetching a token (40001): refreshed once, retried once', async () => {
      await media(WECHAT_MEDIA.png).expect(200);
      await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${APP_ID}&secret=${SECRET}`);
      fake.reset();
      await media(WECHAT_MEDIA.jpeg).expect(200);
      expect({ token: fake.tokenCalls, media: fake.mediaCalls }).toEqual({ token: 1, media: 2 });
    });

    it('refused again after the refresh: 502, with exactly one refresh and one retry', async () => {
      await media(WECHAT_MEDIA.png).expect(200);
      fake.reset();
      fake.failNext('media', { errcode: 40014 }, 2);
      const res = await media(WECHAT_MEDIA.png);
      expectError(res, 502, 50002);
      expect({ token: fake.tokenCalls, media: fake.mediaCalls }).toEqual({ token: 1, media: 2 });
    });

    it('concurrent downloads share one token fetch', async () => {
      fake.slow('token', 150); // keep the first fetch in flight while the others arrive
      const results = await Promise.all(Array.from({ length: 8 }, () => media(WECHAT_MEDIA.png)));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(fake.tokenCalls).toBe(1);
      expect(fake.mediaCalls).toBe(8);
    });

    it('two instances on one database share one token: the refresh runs under the row lock', async () => {
      const second = await startTestApp(
        {
          WECHAT_APP_ID: APP_ID,
          WECHAT_APP_SECRET: SECRET,
          WECHAT_API_BASE: base,
          WECHAT_TIMEOUT_MS: String(TIMEOUT_MS),
        },
        t.databaseUrl,
      );
      try {
        fake.slow('token', 150);
        const calls = Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? second.http : t.http)
            .get('/weixin/media')
            .query({ media_id: WECHAT_MEDIA.png })
            .set('X-auth-token', token),
        );
        const results = await Promise.all(calls);
        expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
        // One fetch: a second one would have invalidated the first token and shown up as 40001 retries.
        expect(fake.tokenCalls).toBe(1);
        expect(fake.mediaCalls).toBe(6);
      } finally {
        await second.close();
      }
    });
  });

  describe('WeChat errors', () => {
    let before: string[];
    beforeEach(() => {
      before = filesUnder(t.uploadDir);
    });

    it('an unknown or expired media id (40007) is 422 50004 and stores nothing', async () => {
      expectError(await media('no_such_media_id'), 422, 50004);
      expect(filesUnder(t.uploadDir)).toEqual(before);
    });

    it('busy (-1) twice, then the image: retried, 200', async () => {
      fake.failNext('media', { errcode: -1 }, 2);
      await downloadAndFetch(WECHAT_MEDIA.png, WECHAT_PNG, 'png');
      expect(fake.mediaCalls).toBe(3);
    });

    it('busy three times: 502 50002 after two retries', async () => {
      fake.failNext('media', { errcode: -1 }, 3);
      expectError(await media(WECHAT_MEDIA.png), 502, 50002);
      expect(fake.mediaCalls).toBe(3);
      expect(filesUnder(t.uploadDir)).toEqual(before);
    });

    it('HTTP 500 then a dropped connection, then the image: retried, 200', async () => {
      fake.failNext('media', 'http500');
      fake.failNext('media', 'reset');
      await media(WECHAT_MEDIA.png).expect(200);
      expect(fake.mediaCalls).toBe(3);
    });

    it('no answer within the timeout: 502 50002 at about the timeout, not retried', async () => {
      await media(WECHAT_MEDIA.png).expect(200); // a cached token, so only the media call is slow
      fake.reset();
      fake.slow('media', 5000);
      const started = Date.now();
      expectError(await media(WECHAT_MEDIA.png), 502, 50002);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1500);
      expect(fake.mediaCalls).toBe(1);
    });

    it('a slow token endpoint is 502 50002 as well, and leaves no token behind', async () => {
      await forgetToken();
      fake.slow('token', 5000);
      expectError(await media(WECHAT_MEDIA.png), 502, 50002);
      expect(fake.mediaCalls).toBe(0);
      expect(await storedToken()).toBeUndefined();
    });

    it('a voice clip, or HTML sent as image/jpeg, is 422 50005: images are checked by content', async () => {
      expectError(await media(WECHAT_MEDIA.voice), 422, 50005);
      expectError(await media(WECHAT_MEDIA.fakeImage), 422, 50005);
      expect(filesUnder(t.uploadDir)).toEqual(before);
    });

    it('media over UPLOAD_MAX_BYTES is 422 50006', async () => {
      expectError(await media(WECHAT_MEDIA.big), 422, 50006);
      expect(filesUnder(t.uploadDir)).toEqual(before);
    });

    it('error bodies carry neither the secret nor the token', async () => {
      fake.failNext('media', { errcode: -1 }, 3);
      const res = await media(WECHAT_MEDIA.png);
      expect(res.text).not.toContain(SECRET);
      for (const issued of fake.issued) expect(res.text).not.toContain(issued);
    });
  });

  describe('the request', () => {
    it('media_id is required: 400 10001 naming the field', async () => {
      for (const id of [undefined, '', '   ']) {
        const res = expectError(await media(id), 400, 10001);
        expect(res.data).toEqual({ field: 'media_id' });
      }
    });

    it('media_id is 1..128 characters of letters, digits, _ and -', async () => {
      for (const id of ['x'.repeat(129), 'a/b', '../etc', 'a b', 'id?x=1', '素材', 'a%00']) {
        const res = expectError(await media(id), 400, 10001);
        expect(res.data).toEqual({ field: 'media_id' });
      }
      // Accepted shapes reach WeChat (which does not know them).
      expectError(await media('x'.repeat(128)), 422, 50004);
      expectError(await media('A-b_9'), 422, 50004);
    });

    it('a repeated media_id is 400', async () => {
      const res = await t.http.get('/weixin/media?media_id=a&media_id=b').set('X-auth-token', token);
      expectError(res, 400, 10001);
    });

    it('no token is 401 20001, a bad token 401 20002', async () => {
      expectError(await t.http.get('/weixin/media').query({ media_id: WECHAT_MEDIA.png }), 401, 20001);
      expectError(await media(WECHAT_MEDIA.png, 'not-a-real-token'), 401, 20002);
      expect(fake.mediaCalls).toBe(0);
    });

    it('an operator is 403 20005: the route is for the apps', async () => {
      const operator = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
      expectError(await media(WECHAT_MEDIA.png, operator), 403, 20005);
    });
  });
});

describe('GET /weixin/media when WeChat is not usable', () => {
  const fake = new FakeWechat(APP_ID, SECRET);
  let base: string;
  let user: string;
  beforeAll(async () => {
    base = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  async function withApp(env: Record<string, string>, run: (t: TestApp) => Promise<void>) {
    const t = await startTestApp(env);
    try {
      user = (await registerAccount(t.http, 1)).token;
      await run(t);
    } finally {
      await t.close();
    }
  }
  const media = (t: TestApp) =>
    t.http.get('/weixin/media').query({ media_id: WECHAT_MEDIA.png }).set('X-auth-token', user);

  it('not configured (no app id or secret): 503 50001, WeChat never called', async () => {
    await withApp({ WECHAT_API_BASE: base }, async (t) => {
      expectError(await media(t), 503, 50001);
    });
    await withApp({ WECHAT_API_BASE: base, WECHAT_APP_ID: APP_ID }, async (t) => {
      expectError(await media(t), 503, 50001);
    });
    expect(fake.tokenCalls + fake.mediaCalls).toBe(0);
  });

  it('a wrong secret: 502 50003 (not a 500), the token call not retried, nothing stored, secret not logged', async () => {
    const wrong = 'definitely-the-wrong-secret';
    await withApp({ WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: wrong, WECHAT_API_BASE: base }, async (t) => {
      const res = expectError(await media(t), 502, 50003);
      expect(JSON.stringify(res)).not.toContain(wrong);
      expect(await t.db.query(`SELECT 1 FROM wechat_token`)).toEqual([]);
    });
    expect(fake.tokenCalls).toBe(1);
    expect(fake.mediaCalls).toBe(0);
    expect(logged.some((l) => l.includes('40001'))).toBe(true);
    for (const line of logged) expect(line).not.toContain(wrong);
  });

  it('an unknown app id: 502 50003', async () => {
    await withApp(
      { WECHAT_APP_ID: 'wx-not-this-one', WECHAT_APP_SECRET: SECRET, WECHAT_API_BASE: base },
      async (t) => {
        expectError(await media(t), 502, 50003);
      },
    );
  });

  it('WeChat unreachable: 502 50002 after the retries', async () => {
    const port = await closedPort();
    await withApp(
      { WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: SECRET, WECHAT_API_BASE: `http://127.0.0.1:${port}` },
      async (t) => {
        const started = logged.length;
        expectError(await media(t), 502, 50002);
        expect(logged.slice(started).filter((l) => /retry \d\/2/.test(l))).toHaveLength(2);
      },
    );
  });
});
