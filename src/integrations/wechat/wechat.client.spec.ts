import { createServer } from 'node:net';
import { Logger } from '@nestjs/common';
import {
  FakeWechat,
  WECHAT_JPEG,
  WECHAT_MEDIA,
  WECHAT_PNG,
  WECHAT_VIDEO_URL,
} from '../../../test/support/fakes/wechat.fake';
import {
  backoffMs,
  looksLikeJson,
  scrub,
  WechatCallError,
  WechatClient,
  WechatClientOptions,
} from './wechat.client';

const APP_ID = 'wx0123456789abcdef';
const SECRET = 'fake-app-secret-0123456789abcdef';

describe('looksLikeJson (decide by Content-Type, sniff a leading { on small bodies)', () => {
  it.each([
    ['application/json; encoding=utf-8', '{"errcode":40007}', true],
    ['text/plain', '{"video_url":"http://x"}', true],
    ['', '  {"errcode":-1}', true],
    ['image/jpeg', '{"errcode":40007}', true],
    ['image/png', '\x89PNG', false],
  ])('%s + %j → %s', (type, body, expected) => {
    expect(looksLikeJson(type, Buffer.from(body, 'latin1'))).toBe(expected);
  });

  it('does not sniff large binary bodies', () => {
    expect(looksLikeJson('image/jpeg', Buffer.concat([Buffer.from('{'), Buffer.alloc(5000)]))).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles per retry, jittered between half and the full delay', () => {
    expect(backoffMs(300, 0, () => 0)).toBe(150);
    expect(backoffMs(300, 0, () => 1)).toBe(300);
    expect(backoffMs(300, 1, () => 1)).toBe(600);
    expect(backoffMs(300, 1, () => 0)).toBe(300);
  });
});

describe('scrub', () => {
  it('replaces every occurrence of the secrets', () => {
    expect(scrub('a SECRET b SECRET', ['SECRET'])).toBe('a *** b ***');
  });
});

describe('WechatClient against the fake WeChat server', () => {
  const fake = new FakeWechat(APP_ID, SECRET);
  let base: string;
  const logged: string[] = [];
  beforeAll(async () => {
    base = await fake.start();
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await fake.stop();
  });
  beforeEach(() => fake.reset());
  afterEach(() => {
    // Whatever happened, neither the secret nor any token reached a log line.
    for (const line of logged) {
      expect(line).not.toContain(SECRET);
      for (const token of fake.issued) expect(line).not.toContain(token);
    }
  });

  const client = (over: Partial<WechatClientOptions> = {}) =>
    new WechatClient({
      baseUrl: base,
      appId: APP_ID,
      secret: SECRET,
      timeoutMs: 400,
      bodyTimeoutMs: 5000,
      retries: 2,
      retryDelayMs: 10,
      maxMediaBytes: 5 * 1024 * 1024,
      ...over,
    });

  /** The rejection of `p`, which must be a WechatCallError. */
  async function failure(p: Promise<unknown>): Promise<WechatCallError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WechatCallError);
    return err as WechatCallError;
  }

  it('is configured only with both app id and secret', () => {
    expect(client().configured).toBe(true);
    expect(client({ secret: undefined }).configured).toBe(false);
    expect(client({ appId: '' }).configured).toBe(false);
  });

  it('fetches an access token valid 7200 s', async () => {
    const token = await client().fetchAccessToken();
    expect(token).toEqual({ accessToken: fake.currentToken, expiresIn: 7200 });
    expect(fake.tokenCalls).toBe(1);
  });

  it('a wrong secret is errcode 40001 and a wrong appid 40013, neither retried nor echoing the secret', async () => {
    const bad = await failure(client({ secret: 'wrong-secret-value' }).fetchAccessToken());
    expect(bad).toMatchObject({ kind: 'api', errcode: 40001, retryable: false });
    expect(bad.message).not.toContain('wrong-secret-value');
    const appid = await failure(client({ appId: 'wx-unknown' }).fetchAccessToken());
    expect(appid).toMatchObject({ kind: 'api', errcode: 40013 });
    expect(fake.tokenCalls).toBe(2);
  });

  describe('media', () => {
    let token: string;
    beforeEach(async () => {
      token = (await client().fetchAccessToken()).accessToken;
      fake.reset();
    });

    it('an image comes back as its bytes with the declared type', async () => {
      await expect(client().getMedia(token, WECHAT_MEDIA.png)).resolves.toEqual({
        kind: 'file',
        bytes: WECHAT_PNG,
        contentType: 'image/png',
      });
      const jpeg = await client().getMedia(token, WECHAT_MEDIA.jpeg);
      expect(jpeg.kind === 'file' && jpeg.bytes.equals(WECHAT_JPEG)).toBe(true);
    });

    it('a video is its video_url (JSON sent as text/plain)', async () => {
      await expect(client().getMedia(token, WECHAT_MEDIA.video)).resolves.toEqual({
        kind: 'video',
        url: WECHAT_VIDEO_URL,
      });
    });

    it('40007 (unknown media id) is an api error, not retried', async () => {
      const err = await failure(client().getMedia(token, 'no_such_media'));
      expect(err).toMatchObject({ kind: 'api', errcode: 40007, retryable: false });
      expect(fake.mediaCalls).toBe(1);
    });

    it('a superseded, an unknown and an expired token are 40001, 40014 and 42001, not retried', async () => {
      const newer = (await client().fetchAccessToken()).accessToken;
      expect((await failure(client().getMedia(token, WECHAT_MEDIA.png))).errcode).toBe(40001);
      expect((await failure(client().getMedia('never-issued-token', WECHAT_MEDIA.png))).errcode).toBe(40014);
      fake.expireToken();
      const expired = await failure(client().getMedia(newer, WECHAT_MEDIA.png));
      expect(expired.errcode).toBe(42001);
      expect(expired.message).not.toContain(newer);
      expect(fake.mediaCalls).toBe(3);
    });

    it('busy (-1) twice, then the answer: two retries', async () => {
      fake.failNext('media', { errcode: -1 }, 2);
      const media = await client().getMedia(token, WECHAT_MEDIA.png);
      expect(media.kind).toBe('file');
      expect(fake.mediaCalls).toBe(3);
    });

    it('busy three times: gives up after two retries', async () => {
      fake.failNext('media', { errcode: -1 }, 3);
      expect(await failure(client().getMedia(token, WECHAT_MEDIA.png))).toMatchObject({
        kind: 'api',
        errcode: -1,
      });
      expect(fake.mediaCalls).toBe(3);
    });

    it('HTTP 500 and a dropped connection are retried', async () => {
      fake.failNext('media', 'http500');
      fake.failNext('media', 'reset');
      await expect(client().getMedia(token, WECHAT_MEDIA.png)).resolves.toMatchObject({ kind: 'file' });
      expect(fake.mediaCalls).toBe(3);
    });

    it('the token call is retried the same way', async () => {
      fake.failNext('token', { errcode: -1 });
      fake.failNext('token', 'http500');
      await expect(client().fetchAccessToken()).resolves.toMatchObject({ expiresIn: 7200 });
      expect(fake.tokenCalls).toBe(3);
    });

    it('no headers within the timeout: a timeout error after one attempt, at about the timeout', async () => {
      fake.slow('media', 1500);
      const started = Date.now();
      expect(await failure(client({ timeoutMs: 300 }).getMedia(token, WECHAT_MEDIA.png))).toMatchObject({
        kind: 'timeout',
      });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(280);
      expect(elapsed).toBeLessThan(1000);
      expect(fake.mediaCalls).toBe(1);
    });

    it('a body over the cap is refused while streaming', async () => {
      const err = await failure(client().getMedia(token, WECHAT_MEDIA.big));
      expect(err.kind).toBe('too_large');
      expect(fake.mediaCalls).toBe(1);
    });

    it('a Content-Length over the cap is refused before reading', async () => {
      const err = await failure(client({ maxMediaBytes: 100 }).getMedia(token, WECHAT_MEDIA.jpeg));
      expect(err.kind).toBe('too_large');
    });
  });

  it('an unreachable host is a network error after two retries', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const unreachable = client({ baseUrl: `http://127.0.0.1:${port}` });
    const before = logged.length;
    const err = await failure(unreachable.fetchAccessToken());
    expect(err).toMatchObject({ kind: 'network', retryable: true });
    expect(logged.slice(before).filter((l) => /retry \d\/2/.test(l))).toHaveLength(2);
  });
});
