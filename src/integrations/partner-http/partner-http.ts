import { Logger } from '@nestjs/common';
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import { PartnerCallError, PartnerErrorDetails, PartnerFailure, scrubSecrets } from './partner-call.error';
import { BreakerState, PartnerMetrics } from './partner-metrics';

export interface PartnerHttpSettings {
  /** Budget of one attempt, from sending to the last byte of the body. */
  timeoutMs: number;
  /** Further attempts after the first, for calls that may safely be repeated. */
  retries: number;
  /** First backoff; doubled per retry, jittered down to half so instances do not retry in step. */
  retryDelayMs: number;
  /** Consecutive failed attempts (timeouts, network errors, 5xx, garbage) that open the breaker. */
  breakerFailures: number;
  /** How long an open breaker refuses calls before letting one through to test the partner. */
  breakerHalfOpenMs: number;
  /** Larger bodies are refused without being read to the end. */
  maxBodyBytes?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PartnerResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON whatever the Content-Type said; `undefined` when it is not JSON. */
  json: unknown;
}

export interface PartnerRequest<T> {
  /** Names the call in logs, errors and metrics (a method name, never a URL with credentials). */
  op: string;
  method: HttpMethod;
  /** Joined to the partner's base URL (which may itself carry a path). */
  path: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /**
   * Repeating the call cannot do harm (a read, or a write the partner dedupes): it is retried on network
   * errors, 5xx and answers the parser marks `retryable`. Other calls are retried only when certainly unsent.
   */
  idempotent: boolean;
  /** Values scrubbed from every message this call produces (tokens, signatures, personal data). */
  secrets?: readonly (string | undefined)[];
  /**
   * Turns an answer into a result, or throws `http.fail(...)`. Runs inside each attempt, so a `retryable`
   * business error is retried like a 5xx. Default: a 2xx answer's parsed JSON, anything else a failure.
   */
  parse?: (res: PartnerResponse) => T;
}

const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Network failures raised before a single byte of the request went out. */
const UNSENT_CAUSES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Backoff before retry `n` (0-based): base * 2^n, jittered down to half. */
export function backoffDelay(base: number, n: number, random = Math.random): number {
  const full = base * 2 ** n;
  return Math.round(full / 2 + (random() * full) / 2);
}

const BREAKER_STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * The one outbound HTTP layer of every partner client: a deadline on each attempt, retries with
 * exponential backoff and jitter for calls that may be repeated, one circuit breaker per partner, metrics,
 * and errors that never carry a credential. Bodies are read as text and parsed as JSON whatever the
 * Content-Type says. Redirects are not followed: none of the partners documents one.
 */
export class PartnerHttp {
  private readonly logger: Logger;
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    readonly partner: string,
    private readonly baseUrl: string | undefined,
    private readonly settings: PartnerHttpSettings,
    private readonly metrics: PartnerMetrics,
    /** Credentials of this partner, scrubbed from every message. */
    private readonly secrets: readonly (string | undefined)[] = [],
  ) {
    this.logger = new Logger(`Partner:${partner}`);
    this.breaker = circuitBreaker(
      handleWhen((err) => err instanceof PartnerCallError && err.countsAgainstPartner),
      {
        halfOpenAfter: settings.breakerHalfOpenMs,
        breaker: new ConsecutiveBreaker(settings.breakerFailures),
      },
    );
    metrics.register(partner);
    this.breaker.onStateChange((state) => {
      metrics.breakerChanged(partner, BREAKER_STATES[state]);
      if (state === CircuitState.Open)
        this.logger.warn(`circuit opened: calls refused for ${settings.breakerHalfOpenMs} ms`);
      else if (state === CircuitState.Closed) this.logger.log('circuit closed');
    });
  }

  get configured(): boolean {
    return Boolean(this.baseUrl);
  }

  get breakerState(): BreakerState {
    return BREAKER_STATES[this.breaker.state];
  }

  /** A failure of this partner, for parsers and clients; `message` is scrubbed of known credentials. */
  fail(
    op: string,
    kind: PartnerFailure,
    message: string,
    details: PartnerErrorDetails = {},
  ): PartnerCallError {
    const partnerMessage = details.partnerMessage && this.scrub(details.partnerMessage);
    return new PartnerCallError(this.partner, op, kind, this.scrub(message), { ...details, partnerMessage });
  }

  async request<T = unknown>(req: PartnerRequest<T>): Promise<T> {
    const started = Date.now();
    const secrets = [...this.secrets, ...(req.secrets ?? [])];
    try {
      const result = await this.withRetries(req, secrets);
      this.metrics.succeeded(this.partner, Date.now() - started);
      return result;
    } catch (err) {
      const failure =
        err instanceof PartnerCallError
          ? err
          : this.fail(req.op, 'protocol', scrubSecrets(String((err as Error)?.message ?? err), secrets));
      this.metrics.failed(this.partner, req.op, failure.kind, failure.message, Date.now() - started);
      // The partner's own code and message stay in the log; the client sees only our error code.
      const code = failure.partnerCode ? ` [${failure.partnerCode}] ${failure.partnerMessage ?? ''}` : '';
      this.logger.warn(`${failure.message}${code}`.trim());
      throw failure;
    }
  }

  private async withRetries<T>(req: PartnerRequest<T>, secrets: readonly (string | undefined)[]): Promise<T> {
    if (!this.baseUrl) throw this.fail(req.op, 'not_configured', 'base URL is not configured');
    for (let n = 0; ; n += 1) {
      try {
        return await this.breaker.execute(() => this.attempt(req, secrets));
      } catch (err) {
        if (err instanceof BrokenCircuitError)
          throw this.fail(req.op, 'circuit_open', 'circuit open: the partner failed repeatedly');
        if (!(err instanceof PartnerCallError) || n >= this.settings.retries || !this.mayRetry(req, err))
          throw err;
        const delay = backoffDelay(this.settings.retryDelayMs, n);
        this.metrics.retried(this.partner);
        this.logger.warn(`${err.message}; retry ${n + 1}/${this.settings.retries} in ${delay} ms`);
        await sleep(delay);
      }
    }
  }

  /**
   * Timeouts are not retried even for reads: a slow partner only gets slower when hammered, and the
   * caller's own deadline is already spent.
   */
  private mayRetry(req: PartnerRequest<unknown>, err: PartnerCallError): boolean {
    if (err.kind === 'circuit_open' || err.kind === 'not_configured') return false;
    if (err.unsent) return true;
    if (!req.idempotent) return false;
    return err.retryable || err.kind === 'network' || (err.kind === 'status' && (err.httpStatus ?? 0) >= 500);
  }

  private async attempt<T>(req: PartnerRequest<T>, secrets: readonly (string | undefined)[]): Promise<T> {
    const res = await this.send(req, secrets);
    if (req.parse) return req.parse(res);
    if (res.status < 200 || res.status >= 300)
      throw this.fail(req.op, 'status', `HTTP ${res.status}`, { httpStatus: res.status });
    if (res.json === undefined && res.text !== '')
      throw this.fail(req.op, 'protocol', 'the answer is not JSON', { httpStatus: res.status });
    return res.json as T;
  }

  private url(req: PartnerRequest<unknown>): URL {
    const base = (this.baseUrl as string).replace(/\/?$/, '/');
    const url = new URL(req.path.replace(/^\//, ''), base);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    return url;
  }

  private async send(
    req: PartnerRequest<unknown>,
    secrets: readonly (string | undefined)[],
  ): Promise<PartnerResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded; charset=utf-8';
    }
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.url(req), { method: req.method, headers, body, signal, redirect: 'manual' });
    } catch (err) {
      throw this.transportError(req.op, err, signal.aborted, 'no answer', secrets);
    }
    let text: string;
    try {
      text = await this.readCapped(req.op, res);
    } catch (err) {
      if (err instanceof PartnerCallError) throw err;
      throw this.transportError(req.op, err, signal.aborted, 'body cut short', secrets);
    }
    if (res.status >= 500)
      throw this.fail(req.op, 'status', `HTTP ${res.status}`, { httpStatus: res.status });
    return { status: res.status, headers: res.headers, text, json: parseJson(text) };
  }

  private async readCapped(op: string, res: Response): Promise<string> {
    const max = this.settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const body = await readBodyCapped(res, max, () =>
      this.fail(op, 'protocol', `body over ${max} bytes`, { httpStatus: res.status }),
    );
    return body.toString('utf8');
  }

  private transportError(
    op: string,
    err: unknown,
    timedOut: boolean,
    what: string,
    secrets: readonly (string | undefined)[],
  ): PartnerCallError {
    if (timedOut) return this.fail(op, 'timeout', `${what} within ${this.settings.timeoutMs} ms`);
    const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
    const detail =
      typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
    const unsent = typeof cause?.code === 'string' && UNSENT_CAUSES.has(cause.code);
    return this.fail(op, 'network', scrubSecrets(`${what}: network error ${detail}`.trim(), secrets), {
      unsent,
    });
  }

  private scrub(text: string): string {
    return scrubSecrets(text, this.secrets);
  }
}

/** Reads a fetch body, giving up (and throwing `tooLarge()`) as soon as it passes `maxBytes`. */
export async function readBodyCapped(
  res: Response,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  // fetch bodies are byte streams; Node's typings leave the chunk type open.
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
