import { Logger } from '@nestjs/common';
import { FakeReply, FakeRequest, PartnerFake, failure } from '../../../test/support/fakes/partner-fake';
import { backoffDelay, PartnerHttp, PartnerHttpSettings, PartnerRequest } from './partner-http';
import { PartnerMetrics } from './partner-metrics';

const SECRET = 'echo-secret-0123456789';

/** Answers `{ok: true, echo}` to anything, `{error: "nope"}` with 400 on `/refuse`, and `{biz: "busy"}` on `/busy`. */
class EchoFake extends PartnerFake {
  protected handle(req: FakeRequest): FakeReply {
    if (req.path === '/refuse') return { status: 400, body: { error: 'nope' } };
    if (req.path === '/busy') return { body: { biz: 'busy' } };
    return { body: { ok: true, echo: req.body } };
  }
}

const SETTINGS: PartnerHttpSettings = {
  timeoutMs: 300,
  retries: 2,
  retryDelayMs: 5,
  breakerFailures: 3,
  breakerHalfOpenMs: 200,
};

const read = (over: Partial<PartnerRequest<unknown>> = {}): PartnerRequest<unknown> => ({
  op: 'read',
  method: 'GET',
  path: '/thing',
  idempotent: true,
  ...over,
});

describe('PartnerHttp', () => {
  let fake: EchoFake;
  let metrics: PartnerMetrics;
  const client = (over: Partial<PartnerHttpSettings> = {}, baseUrl: string | undefined = fake.baseUrl) =>
    new PartnerHttp('echo', baseUrl, { ...SETTINGS, ...over }, metrics, [SECRET]);

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    fake = await new EchoFake().start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.heal();
    fake.requests.length = 0;
    metrics = new PartnerMetrics();
  });

  it('sends JSON and form bodies and returns the parsed answer', async () => {
    const http = client();
    const json = await http.request(read({ method: 'POST', json: { a: 1 }, idempotent: false }));
    expect(json).toEqual({ ok: true, echo: '{"a":1}' });
    await http.request(read({ method: 'POST', form: { b: '2 3' }, idempotent: false }));
    expect(fake.requests[1].headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(fake.requests[1].body).toBe('b=2+3');
  });

  it('retries an idempotent call on 5xx and resets, with backoff, and counts the retries', async () => {
    fake.failNext('http503');
    fake.failNext('reset');
    await expect(client().request(read())).resolves.toMatchObject({ ok: true });
    expect(fake.requests).toHaveLength(3);
    expect(metrics.snapshot()[0]).toMatchObject({ calls: 1, successes: 1, retries: 2 });
  });

  it('does not repeat a call that is not idempotent once it may have arrived', async () => {
    fake.failNext('http500');
    const err = await failure(client().request(read({ method: 'POST', idempotent: false })));
    expect(err).toMatchObject({ kind: 'status', httpStatus: 500, unsent: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('repeats any call the partner certainly never received (connection refused)', async () => {
    await fake.down();
    const pending = client({ retryDelayMs: 150 }).request(read({ method: 'POST', idempotent: false }));
    setTimeout(() => void fake.up(), 50);
    await expect(pending).resolves.toMatchObject({ ok: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up on a hanging partner after the deadline, without retrying', async () => {
    fake.failAll('hang');
    const started = Date.now();
    const err = await failure(client().request(read()));
    expect(err.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fake.requests).toHaveLength(1);
  });

  it('calls a body that is not JSON a protocol failure, and a 4xx a status failure', async () => {
    fake.failNext('garbage');
    expect((await failure(client().request(read()))).kind).toBe('protocol');
    const refused = await failure(client().request(read({ path: '/refuse' })));
    expect(refused).toMatchObject({ kind: 'status', httpStatus: 400 });
  });

  it('lets a parser turn a business answer into a retryable failure', async () => {
    const http = client();
    let calls = 0;
    const err = await failure(
      http.request(
        read({
          path: '/busy',
          parse: () => {
            calls += 1;
            throw http.fail('read', 'api', 'busy', { partnerCode: 'isp.busy', retryable: true });
          },
        }),
      ),
    );
    expect(calls).toBe(3);
    expect(err).toMatchObject({ kind: 'api', partnerCode: 'isp.busy' });
  });

  it('opens the breaker after consecutive failures, refuses without sending, then closes after a good test call', async () => {
    const http = client({ retries: 0 });
    fake.failAll('http500');
    for (let i = 0; i < SETTINGS.breakerFailures; i += 1) await failure(http.request(read()));
    expect(http.breakerState).toBe('open');
    const sent = fake.requests.length;
    expect((await failure(http.request(read()))).kind).toBe('circuit_open');
    expect(fake.requests).toHaveLength(sent);

    fake.heal();
    await new Promise((r) => setTimeout(r, SETTINGS.breakerHalfOpenMs + 50));
    await expect(http.request(read())).resolves.toMatchObject({ ok: true });
    expect(http.breakerState).toBe('closed');
    expect(metrics.snapshot()[0]).toMatchObject({
      breaker: 'closed',
      breaker_opens: 1,
      failures: { status: 3, circuit_open: 1 },
    });
  });

  it('reopens at once when the test call fails', async () => {
    const http = client({ retries: 0 });
    fake.failAll('http503');
    for (let i = 0; i < SETTINGS.breakerFailures; i += 1) await failure(http.request(read()));
    await new Promise((r) => setTimeout(r, SETTINGS.breakerHalfOpenMs + 50));
    await failure(http.request(read()));
    expect(http.breakerState).toBe('open');
    expect(metrics.snapshot()[0].breaker_opens).toBe(2);
  });

  it("does not open the breaker on the partner's refusals", async () => {
    const http = client({ retries: 0 });
    for (let i = 0; i < SETTINGS.breakerFailures + 2; i += 1) {
      await failure(
        http.request(
          read({ parse: () => Promise.reject(http.fail('read', 'api', 'no such order')) as never }),
        ),
      );
      await failure(http.request(read({ path: '/refuse' })));
    }
    expect(http.breakerState).toBe('closed');
  });

  it('refuses without a base URL', async () => {
    const err = await failure(client({}, '').request(read()));
    expect(err).toMatchObject({ kind: 'not_configured', unsent: true });
  });

  it('keeps credentials out of messages and metrics', async () => {
    const http = client();
    const err = await failure(
      http.request(
        read({
          parse: () => {
            throw http.fail('read', 'api', `rejected token ${SECRET}`, { partnerMessage: `bad ${SECRET}` });
          },
        }),
      ),
    );
    expect(err.message).not.toContain(SECRET);
    expect(err.partnerMessage).not.toContain(SECRET);
    expect(JSON.stringify(metrics.snapshot())).not.toContain(SECRET);
  });

  it('reports latency percentiles', async () => {
    const http = client();
    for (let i = 0; i < 5; i += 1) await http.request(read());
    const { latency_ms } = metrics.snapshot()[0];
    expect(latency_ms.p50).toEqual(expect.any(Number));
    expect(latency_ms.p99).toBeGreaterThanOrEqual(latency_ms.p50 as number);
  });
});

describe('backoffDelay', () => {
  it('doubles per retry, jittered between half and the full delay', () => {
    expect(backoffDelay(200, 0, () => 0)).toBe(100);
    expect(backoffDelay(200, 2, () => 0.999)).toBe(800);
    expect(backoffDelay(200, 2, () => 0)).toBe(400);
  });
});
