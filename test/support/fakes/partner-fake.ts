import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { PartnerCallError } from 'src/integrations/partner-http/partner-call.error';

/**
 * A scripted misbehaviour, applied to the next requests before the partner's own rules run:
 * `hang` never answers, `garbage` answers 200 with a body that is not JSON, `http500`/`http503` answer that
 * status, `reset` drops the connection without an answer.
 */
export type PartnerFault = 'hang' | 'garbage' | 'http500' | 'http503' | 'reset';

export interface FakeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The raw body as text. */
  body: string;
}

export interface FakeReply {
  status?: number;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The loopback server every partner fake is built on: real HTTP on 127.0.0.1, a log of what arrived, scripted
 * faults (`failNext`, `failAll`), and an outage (`down`/`up`) that refuses connections on the same port.
 * Subclasses implement `handle` with the partner's own rules.
 */
export abstract class PartnerFake {
  /** Every request that reached the partner's rules (faulted ones included), oldest first. */
  readonly requests: FakeRequest[] = [];
  private server?: Server;
  private port = 0;
  private readonly sockets = new Set<Socket>();
  private faults: PartnerFault[] = [];
  private persistentFault?: PartnerFault;

  protected abstract handle(req: FakeRequest): FakeReply | Promise<FakeReply>;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next `times` requests meet `fault`. */
  failNext(fault: PartnerFault, times = 1): void {
    this.faults.push(...Array<PartnerFault>(times).fill(fault));
  }

  /** Every request meets `fault` until `heal()`. */
  failAll(fault: PartnerFault): void {
    this.persistentFault = fault;
  }

  heal(): void {
    this.faults = [];
    this.persistentFault = undefined;
  }

  /** Requests to `path` (exact, without query), oldest first. */
  requestsTo(path: string): FakeRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async start(): Promise<this> {
    await this.listen(0);
    return this;
  }

  /** The partner goes away: the port refuses connections until `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    // Let clients notice their pooled keep-alive connections are gone, as they would after a real outage.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async up(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.down();
  }

  private listen(port: number): Promise<void> {
    const server = createServer((req, res) => void this.serve(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    const fault = this.faults.shift() ?? this.persistentFault;
    if (fault === 'hang') return; // the socket is destroyed by `down()`/`stop()` or the client's timeout
    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'garbage')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>');
    if (fault === 'http500' || fault === 'http503')
      return void res.writeHead(fault === 'http500' ? 500 : 503).end('Service Unavailable');
    let reply: FakeReply;
    try {
      reply = await this.handle(request);
    } catch (err) {
      reply = { status: 500, body: `fake failed: ${(err as Error).message}` };
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
    res
      .writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers })
      .end(reply.status === 204 ? undefined : text);
  }
}

/** Parses a form-encoded body (and merges a query string first) into a plain record. */
export function formParams(req: FakeRequest): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of req.query) params[k] = v;
  for (const [k, v] of new URLSearchParams(req.body)) params[k] = v;
  return params;
}

/** The body as a JSON object, or undefined when it is not one. */
export function jsonBody(req: FakeRequest): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(req.body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The partner failure a call ends in; anything else (success, another error) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<PartnerCallError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PartnerCallError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
