import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A real 2x2 RGB PNG (77 bytes). */
export const WECHAT_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFElEQVR4nGP4z8DAAMIM/////w8AH+4F+7C4l8kAAAAASUVORK5CYII=',
  'base64',
);

/** 16x16 baseline JFIF (CPython's test image). */
export const WECHAT_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z',
  'base64',
);

export const WECHAT_VIDEO_URL = 'http://wxsnsdy.wxs.qq.com/105/20210/snsdyvideodownload?filekey=fake-video';

/** The media ids the fake knows; any other id is errcode 40007. */
export const WECHAT_MEDIA = {
  /** image/png, the bytes of WECHAT_PNG. */
  png: 'fake_png_media_1',
  /** image/jpeg, the bytes of WECHAT_JPEG. */
  jpeg: 'fake-jpeg-media-2',
  /** `{"video_url": WECHAT_VIDEO_URL}` sent as text/plain, as WeChat does. */
  video: 'fake_video_media_3',
  /** audio/amr: a voice clip, a real kind of media but not an image. */
  voice: 'fake_voice_media_4',
  /** Claims image/jpeg but holds HTML. */
  fakeImage: 'fake_html_media_5',
  /** A 6 MiB PNG streamed without Content-Length (over the default 5 MiB upload cap). */
  big: 'fake_big_media_6',
} as const;

/** Scripted failures: an errcode answer (-1 busy, 40001…), an HTTP 500, or the connection dropped. */
export type WechatFault = { errcode: number } | 'http500' | 'reset';
export type WechatPath = 'token' | 'media' | 'oauth';

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40007: 'invalid media_id',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40125: 'invalid appsecret',
  40163: 'code been used',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41007: 'media_id missing',
  41008: 'missing code',
  42001: 'access_token expired',
};

/**
 * A loopback stand-in for api.weixin.qq.com, with WeChat's rules (PARTNERS §5): `GET /cgi-bin/token` checks
 * grant_type, appid (40013) and secret (40001) and issues a new token valid 7200 s on every call, invalidating
 * the previous one at once (WeChat keeps it working ~5 min; this fake is stricter, which is what catches
 * instances that refresh on their own). `GET /cgi-bin/media/get` checks the token (41001 missing, 42001
 * expired, 40001 superseded, 40014 never issued) and the media id (40007). `GET /sns/oauth2/access_token`
 * (web authorization) checks grant_type (40002), appid (41002/40013) and secret (41004/40125), and knows the
 * codes registered with `addOauthCode`: each works once (40163 after), any other is 40029. Errors are HTTP 200
 * `{errcode, errmsg}`. Control: `failNext`, `slow`, `expireToken`, `addOauthCode`, call counters.
 */
export class FakeWechat {
  tokenCalls = 0;
  mediaCalls = 0;
  oauthCalls = 0;
  /** Every token ever issued, to check that none reaches a log or a response. */
  readonly issued: string[] = [];
  private current?: { token: string; expiresAt: number };
  private readonly faults: Record<WechatPath, WechatFault[]> = { token: [], media: [], oauth: [] };
  private readonly delays: Record<WechatPath, number> = { token: 0, media: 0, oauth: 0 };
  /** Web-authorization codes not yet exchanged, to the openid each stands for. */
  private readonly oauthCodes = new Map<string, string>();
  private readonly usedOauthCodes = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server?: Server;

  constructor(
    readonly appId: string,
    readonly secret: string,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  /** The token WeChat currently accepts. */
  get currentToken(): string | undefined {
    return this.current?.token;
  }

  /** The next `times` calls to `path` fail with `fault`. */
  failNext(path: WechatPath, fault: WechatFault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.faults[path].push(fault);
  }

  /** Calls to `path` wait `ms` before sending headers (0: answer at once). */
  slow(path: WechatPath, ms: number): void {
    this.delays[path] = ms;
  }

  /** As if 7200 s had passed: the current token now answers 42001. */
  expireToken(): void {
    if (this.current) this.current.expiresAt = Date.now() - 1;
  }

  /** A web-authorization code WeChat will exchange once for `openid`. */
  addOauthCode(code: string, openid: string): void {
    this.oauthCodes.set(code, openid);
  }

  /** Whether `code` has been exchanged. */
  oauthCodeUsed(code: string): boolean {
    return this.usedOauthCodes.has(code);
  }

  /** Counters, scripted faults and delays back to zero (issued tokens stay valid, codes keep their state). */
  reset(): void {
    this.tokenCalls = 0;
    this.mediaCalls = 0;
    this.oauthCalls = 0;
    for (const path of ['token', 'media', 'oauth'] as const) {
      this.faults[path].length = 0;
      this.delays[path] = 0;
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const paths: Record<string, WechatPath> = {
      '/cgi-bin/token': 'token',
      '/cgi-bin/media/get': 'media',
      '/sns/oauth2/access_token': 'oauth',
    };
    const path: WechatPath | undefined = paths[url.pathname];
    if (!path || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
      return;
    }
    if (path === 'token') this.tokenCalls += 1;
    else if (path === 'media') this.mediaCalls += 1;
    else this.oauthCalls += 1;
    const answer = () => {
      if (res.destroyed) return;
      const fault = this.faults[path].shift();
      if (fault === 'reset') return void req.socket.destroy();
      if (fault === 'http500')
        return void res.writeHead(500, { 'content-type': 'text/html' }).end('<html>500</html>');
      if (fault) return this.error(res, fault.errcode);
      if (path === 'token') this.token(url.searchParams, res);
      else if (path === 'media') this.media(url.searchParams, res);
      else this.oauth(url.searchParams, res);
    };
    const delay = this.delays[path];
    if (delay <= 0) return answer();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      answer();
    }, delay);
    this.timers.add(timer);
  }

  private token(q: URLSearchParams, res: ServerResponse): void {
    if (q.get('grant_type') !== 'client_credential') return this.error(res, 40002);
    if (!q.get('appid')) return this.error(res, 41002);
    if (q.get('appid') !== this.appId) return this.error(res, 40013);
    if (!q.get('secret')) return this.error(res, 41004);
    if (q.get('secret') !== this.secret) return this.error(res, 40001);
    const token = randomBytes(96).toString('base64url'); // 128 characters, as long as WeChat's
    this.current = { token, expiresAt: Date.now() + 7200_000 };
    this.issued.push(token);
    this.json(res, { access_token: token, expires_in: 7200 });
  }

  private oauth(q: URLSearchParams, res: ServerResponse): void {
    if (q.get('grant_type') !== 'authorization_code') return this.error(res, 40002);
    if (!q.get('appid')) return this.error(res, 41002);
    if (q.get('appid') !== this.appId) return this.error(res, 40013);
    if (!q.get('secret')) return this.error(res, 41004);
    if (q.get('secret') !== this.secret) return this.error(res, 40125);
    const code = q.get('code');
    if (!code) return this.error(res, 41008);
    if (this.usedOauthCodes.has(code)) return this.error(res, 40163);
    const openid = this.oauthCodes.get(code);
    if (openid === undefined) return this.error(res, 40029);
    this.oauthCodes.delete(code);
    this.usedOauthCodes.add(code);
    // The web-authorization access token is the user's, not the account's: it is not the one media/get takes.
    const accessToken = randomBytes(66).toString('base64url');
    const refreshToken = randomBytes(66).toString('base64url');
    this.issued.push(accessToken, refreshToken);
    this.json(res, {
      access_token: accessToken,
      expires_in: 7200,
      refresh_token: refreshToken,
      openid,
      scope: 'snsapi_base',
    });
  }

  private media(q: URLSearchParams, res: ServerResponse): void {
    const token = q.get('access_token');
    if (!token) return this.error(res, 41001);
    if (token !== this.current?.token) return this.error(res, this.issued.includes(token) ? 40001 : 40014);
    if (this.current.expiresAt <= Date.now()) return this.error(res, 42001);
    const id = q.get('media_id');
    if (!id) return this.error(res, 41007);
    const file = (type: string, ext: string, body: Buffer) => {
      res.writeHead(200, {
        'content-type': type,
        'content-disposition': `attachment; filename="${id}.${ext}"`,
        'cache-control': 'no-cache, must-revalidate',
        'content-length': body.length,
      });
      res.end(body);
    };
    switch (id) {
      case WECHAT_MEDIA.png:
        return file('image/png', 'png', WECHAT_PNG);
      case WECHAT_MEDIA.jpeg:
        return file('image/jpeg', 'jpg', WECHAT_JPEG);
      case WECHAT_MEDIA.voice:
        return file('audio/amr', 'amr', Buffer.concat([Buffer.from('#!AMR\n'), randomBytes(320)]));
      case WECHAT_MEDIA.fakeImage:
        return file('image/jpeg', 'jpg', Buffer.from('<html><body>not a picture</body></html>'));
      case WECHAT_MEDIA.video:
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(JSON.stringify({ video_url: WECHAT_VIDEO_URL }));
        return;
      case WECHAT_MEDIA.big: {
        res.writeHead(200, {
          'content-type': 'image/png',
          'content-disposition': `attachment; filename="${id}.png"`,
        });
        // Chunked, so the cap has to be enforced while reading; stop writing once the client hangs up.
        res.write(WECHAT_PNG.subarray(0, 33));
        const block = Buffer.alloc(256 * 1024, 0x61);
        let sent = 0;
        const more = () => {
          while (!res.destroyed && sent < 24) {
            sent += 1;
            if (!res.write(block)) return void res.once('drain', more);
          }
          if (!res.destroyed) res.end();
        };
        res.on('error', () => undefined);
        return more();
      }
      default:
        return this.error(res, 40007);
    }
  }

  private error(res: ServerResponse, errcode: number): void {
    const errmsg = `${ERRMSG[errcode] ?? 'error'} rid: ${randomBytes(4).toString('hex')}`;
    this.json(res, { errcode, errmsg });
  }

  private json(res: ServerResponse, body: object): void {
    res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' });
    res.end(JSON.stringify(body));
  }
}
