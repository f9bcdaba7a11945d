/**
 * What the reliability scripts share: a scratch Postgres of their own (embedded, on a spare port, in a temporary
 * folder: never the machine's server), the built app (`dist/src/main`) as a child process, a small client that
 * reads the envelope, and the demo sign-ins.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from 'src/database/embedded-postgres';
import { DEMO_ACCOUNTS } from 'src/database/seeds/demo.seed';
import { IDNOS } from '../../test/support/clinic-factories';

export const REPO = resolve(__dirname, '../..');
export const RESULTS_DIR = join(__dirname, 'results');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function log(line: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 23)}] ${line}\n`);
}

/** Runs a command to completion with its output passed through; rejects on a non-zero exit. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: REPO, stdio: 'inherit', env });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** `npm run build`: the scripts exercise the built server exactly as it is deployed. */
export function buildApp(): Promise<void> {
  log('building the app (npm run build)');
  return run('npm', ['run', 'build']);
}

/** The command line: `--no-build` uses the dist/ already built; other words name what to run (all when none). */
export function scriptArgs(): { build: boolean; names: string[] } {
  const words = process.argv.slice(2);
  return { build: !words.includes('--no-build'), names: words.filter((w) => w !== '--no-build') };
}

/** A TCP port nobody listens on right now. */
export function sparePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * Runs `tasks` with at most `limit` in flight and stops starting new ones once `stop()` says so; the results
 * come in task order, without the tasks never started.
 */
export async function pooled<T>(
  tasks: (() => Promise<T>)[],
  limit: number,
  stop: () => boolean = () => false,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < tasks.length && !stop()) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results.filter((r) => r !== undefined);
}

export function writeResult(name: string, content: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, name);
  writeFileSync(path, content);
  return path;
}

export interface ScratchPostgres {
  url: string;
  port: number;
  /** Fast shutdown (SIGINT): open connections are cut, as in a database failover or restart. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A temporary folder with a Postgres of its own, and the clean-up of everything started in it. Ctrl-C or a
 * failure still stops the children and removes the folder.
 */
export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'clinic-reliability-'));
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  constructor() {
    // As root the embedded server runs as the `postgres` user, which must be able to enter this folder.
    chmodSync(this.dir, 0o755);
  }

  onCleanup(fn: () => Promise<void> | void): void {
    this.cleanups.push(fn);
  }

  async startPostgres(): Promise<ScratchPostgres> {
    const port = await sparePort();
    const folder = join(this.dir, 'postgres');
    let server = await startEmbeddedPostgres(folder, port, 'clinic');
    let running = true;
    this.onCleanup(() => (running ? server.stop() : undefined));
    return {
      url: server.url,
      port,
      stop: async () => {
        await server.stop();
        running = false;
      },
      start: async () => {
        server = await startEmbeddedPostgres(folder, port, 'clinic');
        running = true;
      },
    };
  }

  async close(): Promise<void> {
    for (const fn of this.cleanups.reverse()) {
      await Promise.resolve(fn()).catch((err: unknown) => log(`clean-up: ${String(err)}`));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `body` in a fresh workspace and always cleans up, also on Ctrl-C; exits 1 on failure. */
export function main(body: (ws: Workspace) => Promise<void>): void {
  const ws = new Workspace();
  const interrupted = () => void ws.close().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  body(ws)
    .then(() => ws.close())
    .catch(async (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      await ws.close();
      process.exitCode = 1;
    });
}

/** The built server as a child process, started, stopped and killed at will; its log goes to a file. */
export class AppProcess {
  readonly base: string;
  private child?: ChildProcess;
  private exited?: Promise<void>;
  readonly logFile: string;
  restarts = 0;

  constructor(
    ws: Workspace,
    readonly port: number,
    private readonly env: Record<string, string>,
    name = 'app',
  ) {
    this.base = `http://127.0.0.1:${port}`;
    this.logFile = join(ws.dir, `${name}.log`);
    ws.onCleanup(() => this.stop());
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.child) this.restarts += 1;
    const out = openSync(this.logFile, 'a');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const child = spawn(process.execPath, ['dist/src/main'], {
      cwd: REPO,
      env: { ...env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`the app exited during start-up; see ${this.logFile}`);
      const health = await call(this.base, 'GET', '/health', { timeoutMs: 2000 });
      if (health.status === 200) return;
      await sleep(250);
    }
    throw new Error(`the app did not become healthy within 90 s; see ${this.logFile}`);
  }

  /** SIGTERM and wait: the server's own graceful shutdown. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    await this.exited;
  }

  /** SIGKILL: no shutdown hooks, in-flight requests and transactions cut where they are. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }
}

export interface Answer {
  /** HTTP status; 0 when no answer came (refused, reset, timed out). */
  status: number;
  /** The envelope's error_code; null without an envelope. */
  code: number | null;
  data: unknown;
  ms: number;
  failure?: string;
}

export interface CallOptions {
  token?: string;
  /** JSON, or a FormData sent as multipart. */
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function call(
  base: string,
  method: string,
  path: string,
  { token, body, headers = {}, timeoutMs = 15_000 }: CallOptions = {},
): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { 'X-auth-token': token } : {}),
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let envelope: { error_code?: number; data?: unknown } = {};
    try {
      envelope = JSON.parse(text) as typeof envelope;
    } catch {
      // not an envelope (an image, a crash page): status alone tells
    }
    return {
      status: res.status,
      code: envelope.error_code ?? null,
      data: envelope.data,
      ms: performance.now() - started,
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return {
      status: 0,
      code: null,
      data: null,
      ms: performance.now() - started,
      failure: cause ?? (err as Error).name,
    };
  }
}

/** `call` that must succeed (HTTP 200, error_code 0); returns `data`. */
export async function must<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<T> {
  const answer = await call(base, method, path, options);
  if (answer.status !== 200 || answer.code !== 0) {
    throw new Error(
      `${method} ${path}: ${answer.status} ${answer.code ?? answer.failure} ${JSON.stringify(answer.data)}`,
    );
  }
  return answer.data as T;
}

export type DemoRole = keyof typeof DEMO_ACCOUNTS;
export interface SignedIn {
  id: number;
  token: string;
  phone: string;
}

/** Signs every demo account in (README: demo accounts); the operator through /admin/login. */
export async function demoSignIns(base: string): Promise<Record<DemoRole, SignedIn>> {
  const types = { patient: 1, doctor: 2, assistant: 3 } as const;
  const entries = await Promise.all(
    (Object.keys(DEMO_ACCOUNTS) as DemoRole[]).map(async (role) => {
      const { phone, password } = DEMO_ACCOUNTS[role];
      const data =
        role === 'operator'
          ? await must<{ id: number; token: string }>(base, 'POST', '/admin/login', {
              body: { phone, pwd: password },
            })
          : await must<{ id: number; token: string }>(base, 'POST', '/login', {
              body: { phono: phone, pwd: password, type: types[role] },
            });
      return [role, { id: data.id, token: data.token, phone }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<DemoRole, SignedIn>;
}

/** Runs SQL on the scratch database with a short-lived connection. */
export async function sql<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The fields of 3.1.3 a patient's profile needs, besides the ID number. */
const PATIENT_PROFILE = {
  real_name: '患者',
  height: '170',
  weight: '60',
  marital_status: 0,
  drink_status: 0,
  smoking_status: 0,
};

/**
 * Patients with complete profiles made through the API, as the apps make them: a code login (the development
 * SMS_TEST_CODE; no password to hash) and the profile's name and ID number.
 */
export function registerPatients(base: string, count: number, smsCode: string): Promise<SignedIn[]> {
  const tag = `${Date.now() % 100000}`.padStart(5, '0');
  const phones = Array.from({ length: count }, (_, i) => `16${tag}${String(i).padStart(4, '0')}`);
  return pooled(
    phones.map((phone) => async () => {
      await must(base, 'POST', '/phone/verifycode', { body: { phone } });
      const { id, token } = await must<{ id: number; token: string }>(base, 'POST', '/login/phone', {
        body: { phone, verify_code: smsCode },
      });
      await must(base, 'PUT', '/user', {
        token,
        body: { ...PATIENT_PROFILE, idno: IDNOS[0] },
      });
      return { id, token, phone };
    }),
    16,
  );
}
