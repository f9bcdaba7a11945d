import { appRoutes } from '../support/routes';
import { startTestApp, TestApp } from '../support/test-app';

/** The only routes reachable without a token. Adding a public route means adding it here, on purpose. */
const PUBLIC_ROUTES = new Set([
  'GET /health',
  'GET /health/live',
  'GET /captcha/app',
  'POST /verifycode',
  'POST /phone/verifycode',
  'GET /city',
  'GET /area/city',
  'POST /register',
  'POST /login',
  'POST /login/phone',
  'POST /reset/pwd',
  'POST /admin/login',
  // WeChat Pay calls it; it is authenticated by WeChat's signature instead of a token.
  'POST /payments/wechat/notify',
]);

describe('deny by default', () => {
  let t: TestApp;
  let routes: string[];
  beforeAll(async () => {
    t = await startTestApp();
    routes = appRoutes(t);
  });
  afterAll(() => t.close());

  it('knows every route of the app', () => {
    expect(routes.length).toBeGreaterThanOrEqual(PUBLIC_ROUTES.size + 7);
    for (const r of PUBLIC_ROUTES) expect(routes).toContain(r);
  });

  it('answers 401 with the envelope on every non-public route called without a token', async () => {
    const guarded = routes.filter((r) => !PUBLIC_ROUTES.has(r));
    for (const route of guarded) {
      const [method, path] = route.split(' ');
      const url = path.replace(/:[a-z_]+/gi, '1');
      const res = await t.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](url);
      expect({ route, status: res.status, code: res.body.error_code }).toEqual({
        route,
        status: 401,
        code: 20001,
      });
    }
  });
});
