import { failure } from '../../../test/support/fakes/partner-fake';
import { Logger } from '@nestjs/common';
import { FAKE_TOP_APP_KEY, FAKE_TOP_SECRET, FakeAlihealth } from '../../../test/support/fakes/alihealth.fake';
import { PartnerHttp } from '../partner-http/partner-http';
import { PartnerMetrics } from '../partner-http/partner-metrics';
import { AlihealthClient, AlihealthClientOptions, FollowupMessage } from './alihealth.client';
import { TOP_SIGN_METHODS } from './top-sign';

const AUTH_TOKEN = 'fake-auth-token-9eae09db243df99b';
const SESSION = 'fake-top-session-6100e23657fb0b2d';
const MESSAGE: FollowupMessage = {
  session_id: '78bfcced948a65d29c5c77f1cd3367a2',
  bterm_user_id: '2034131106552037',
  cterm_user_id: '5394977607673890',
  rs_type: '2',
  content: JSON.stringify({ text: '复诊时请带上化验单' }),
  user_id: '153315451244705',
};

describe('AlihealthClient against the fake TOP gateway', () => {
  const fake = new FakeAlihealth(FAKE_TOP_APP_KEY, FAKE_TOP_SECRET, SESSION);
  const logged: string[] = [];

  const client = (over: Partial<AlihealthClientOptions> = {}, baseUrl: string | undefined = fake.baseUrl) => {
    const options: AlihealthClientOptions = {
      appKey: FAKE_TOP_APP_KEY,
      appSecret: FAKE_TOP_SECRET,
      signMethod: 'hmac-sha256',
      session: SESSION,
      authToken: AUTH_TOKEN,
      ...over,
    };
    const http = new PartnerHttp(
      'alihealth',
      baseUrl,
      { timeoutMs: 500, retries: 2, retryDelayMs: 5, breakerFailures: 50, breakerHalfOpenMs: 100 },
      new PartnerMetrics(),
      [options.appSecret, options.session, options.authToken],
    );
    return new AlihealthClient(http, options, '/router/rest');
  };

  beforeAll(async () => {
    await fake.start();
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await fake.stop();
  });
  beforeEach(() => {
    fake.heal();
    fake.notBusy();
    fake.requests.length = 0;
    fake.delivered.length = 0;
  });
  afterEach(() => {
    for (const line of logged) {
      for (const secret of [FAKE_TOP_SECRET, SESSION, AUTH_TOKEN]) expect(line).not.toContain(secret);
    }
  });

  it.each(TOP_SIGN_METHODS)(
    'sends a signed form POST (sign_method=%s) and parses the stored message',
    async (m) => {
      const sent = await client({ signMethod: m }).sendFollowup(MESSAGE);
      expect(sent).toEqual({
        id: fake.delivered[0].id,
        timeStamp: expect.any(String),
        requestId: expect.any(String),
      });
      expect(fake.delivered).toHaveLength(1);
      expect(fake.delivered[0]).toMatchObject({
        ...MESSAGE,
        text: '复诊时请带上化验单',
        auth_token: AUTH_TOKEN,
      });
    },
  );

  it('puts system parameters in the query and request1 (content double-encoded) in the form', async () => {
    await client().sendFollowup(MESSAGE);
    const req = fake.requests[0];
    expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(req.query.get('method')).toBe('alibaba.alihealth.followup.send');
    expect(req.query.get('v')).toBe('2.0');
    expect(req.query.get('sign')).toMatch(/^[0-9A-F]{64}$/);
    expect(req.query.get('timestamp')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const form = new URLSearchParams(req.body);
    expect(form.get('auth_token')).toBe(AUTH_TOKEN);
    expect(form.get('request1')).toBe(
      '{"session_id":"78bfcced948a65d29c5c77f1cd3367a2","bterm_user_id":"2034131106552037",' +
        '"cterm_user_id":"5394977607673890","rs_type":"2","content":"{\\"text\\":\\"复诊时请带上化验单\\"}",' +
        '"user_id":"153315451244705"}',
    );
  });

  it('leaves optional ids out and reads simplified answers', async () => {
    const sent = await client({ simplify: true }).sendFollowup({
      session_id: 's-1',
      rs_type: '1',
      content: '{"text":"hi"}',
    });
    expect(sent.id).toBe(fake.delivered[0].id);
    expect(JSON.parse(new URLSearchParams(fake.requests[0].body).get('request1') as string)).toEqual({
      session_id: 's-1',
      rs_type: '1',
      content: '{"text":"hi"}',
    });
  });

  it('maps result1.success=false to an api failure with msg_code', async () => {
    fake.closeSession('closed-session');
    const err = await failure(client().sendFollowup({ ...MESSAGE, session_id: 'closed-session' }));
    expect(err).toMatchObject({
      kind: 'api',
      partnerCode: 'SESSION_CLOSED',
      partnerMessage: '会话已结束',
      retryable: false,
    });
  });

  it('maps error_response: isv.* is a refusal, not repeated', async () => {
    const err = await failure(client().sendFollowup({ ...MESSAGE, content: 'not json' }));
    expect(err).toMatchObject({
      kind: 'api',
      partnerCode: '50/isv.invalid-parameter',
      partnerMessage: '非法参数',
      retryable: false,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps isp.* to "try later" without repeating the call itself (not idempotent)', async () => {
    fake.busy(1);
    const err = await failure(client().sendFollowup(MESSAGE));
    expect(err).toMatchObject({ kind: 'api', partnerCode: '15/isp.remote-service-error', retryable: true });
    expect(fake.requests).toHaveLength(1);
    expect(fake.delivered).toHaveLength(0);
  });

  it('maps a wrong secret (25) and a wrong session (27) to auth, and keeps secrets out of messages', async () => {
    const wrongSecret = 'wrong-secret-abcdef0123456789';
    const bad = await failure(client({ appSecret: wrongSecret }).sendFollowup(MESSAGE));
    expect(bad).toMatchObject({ kind: 'auth', partnerCode: '25' });
    const session = await failure(client({ session: 'other-session-0000' }).sendFollowup(MESSAGE));
    expect(session).toMatchObject({ kind: 'auth', partnerCode: '27' });
    for (const e of [bad, session]) {
      const all = `${e.message} ${e.partnerMessage ?? ''}`;
      for (const secret of [wrongSecret, FAKE_TOP_SECRET, SESSION, AUTH_TOKEN])
        expect(all).not.toContain(secret);
    }
  });

  it('is refused with 31 when the clock is more than 10 minutes off (GMT+8 checked)', async () => {
    const err = await failure(
      client({ now: () => new Date(Date.now() - 11 * 60_000) }).sendFollowup(MESSAGE),
    );
    expect(err).toMatchObject({ kind: 'api', partnerCode: '31' });
    await expect(
      client({ now: () => new Date(Date.now() - 9 * 60_000) }).sendFollowup(MESSAGE),
    ).resolves.toBeDefined();
  });

  it('does not repeat a call that may have arrived (timeout, reset, 5xx)', async () => {
    fake.failNext('hang');
    expect((await failure(client().sendFollowup(MESSAGE))).kind).toBe('timeout');
    fake.failNext('reset');
    expect(await failure(client().sendFollowup(MESSAGE))).toMatchObject({ kind: 'network', unsent: false });
    fake.failNext('http503');
    expect(await failure(client().sendFollowup(MESSAGE))).toMatchObject({ kind: 'status', httpStatus: 503 });
    expect(fake.requests).toHaveLength(3);
    expect(fake.delivered).toHaveLength(0);
  });

  it('calls a body that is not JSON, or JSON without result1, a protocol failure', async () => {
    fake.failNext('garbage');
    expect((await failure(client().sendFollowup(MESSAGE))).kind).toBe('protocol');
  });

  it('repeats a call that certainly never left (connection refused) once the gateway is back', async () => {
    await fake.down();
    const pending = new AlihealthClient(
      new PartnerHttp(
        'alihealth',
        fake.baseUrl,
        { timeoutMs: 500, retries: 3, retryDelayMs: 100, breakerFailures: 50, breakerHalfOpenMs: 100 },
        new PartnerMetrics(),
      ),
      { appKey: FAKE_TOP_APP_KEY, appSecret: FAKE_TOP_SECRET, signMethod: 'md5', session: SESSION },
      '/router/rest',
    ).sendFollowup(MESSAGE);
    setTimeout(() => void fake.up(), 50);
    await expect(pending).resolves.toMatchObject({ id: expect.any(String) });
    expect(fake.delivered).toHaveLength(1);
  });

  it('refuses without credentials or base URL, sending nothing', async () => {
    expect(await failure(client({ appSecret: undefined }).sendFollowup(MESSAGE))).toMatchObject({
      kind: 'not_configured',
      unsent: true,
    });
    expect(client({}, '').configured).toBe(false);
    expect(fake.requests).toHaveLength(0);
  });
});
