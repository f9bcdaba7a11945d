import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as EnvSchemaModule from 'src/config/env.schema';
import type * as BootstrapModule from 'src/database/bootstrap-database';

/**
 * How the benchmark configures the app: as in production (NODE_ENV, LOG_LEVEL info, job workers on, rate-limit
 * counters in Postgres) except that the request budgets are raised out of the way, and client addresses come
 * from X-Forwarded-For (TRUST_PROXY) so that requests spread over many clients as real traffic does.
 */
export const BENCH_APP_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  APP_SECRET: 'benchmark-only-secret-0123456789abcdef',
  // Fixed keys for personal data at rest: the generator seals phones and ID numbers with them.
  PII_KEYS: `1:${Buffer.alloc(32, 'bench-pii-key').toString('base64')}`,
  PII_HASH_KEY: Buffer.alloc(32, 'bench-pii-hash').toString('base64'),
  TRUST_PROXY: 'true',
  RATE_LIMIT_PER_MINUTE: '100000000',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
  LOGIN_FAILURE_LIMIT: '100000000',
  CHAT_RATE_LIMIT_PER_MINUTE: '100000000',
  SEED_DEMO: 'false',
};

/** The app's database pool size (`dataSourceOptions` `extra.max`); the database ceilings use the same. */
export const APP_POOL_SIZE = 20;

/** The built app the benchmark runs (`npm run build`); `--app <dir>` points at another build, e.g. a baseline. */
export const DEFAULT_APP_DIR = resolve('dist');

/**
 * Migrates the database with the build's own start-up code (`prepareDatabase`: keys for personal data, then
 * migrations), so a reused database gets the build's new migrations before its SQL is recorded and explained.
 */
export async function prepareBenchDatabase(appDir: string, databaseUrl: string): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { validateEnv } = require(join(appDir, 'src/config/env.schema')) as typeof EnvSchemaModule;
  const { prepareDatabase } = require(
    join(appDir, 'src/database/bootstrap-database'),
  ) as typeof BootstrapModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  await prepareDatabase(validateEnv({ ...BENCH_APP_ENV, DATABASE_URL: databaseUrl }));
}

interface MemorySample {
  rssKb: number;
  hwmKb: number;
}

function memoryOf(pid: number): MemorySample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export interface RunningApp {
  pid: number;
  baseUrl: string;
  databaseUrl: string;
  /** Starts a new window of memory samples. */
  resetPeak(): void;
  /** Highest resident set of any one process of the app (a cluster's primary or a worker) in the window, in MB. */
  peakRssMb(): number;
  /** The highest VmHWM (lifetime peak) among the app's processes, in MB. */
  lifetimePeakMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts the built app (`node dist/src/main`) on the database, waits until it answers, and samples the
 * resident memory of its processes every 100 ms. Its log lines go to /dev/null: they are still produced and
 * serialized, as in production, only not kept.
 */
export async function startApp(options: {
  appDir: string;
  databaseUrl: string;
  port: number;
  workers?: number;
  cpuProfileDir?: string;
}): Promise<RunningApp> {
  const main = join(options.appDir, 'src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...BENCH_APP_ENV };
  delete env.REDIS_URL;
  Object.assign(env, {
    DATABASE_URL: options.databaseUrl,
    PORT: String(options.port),
    WEB_CONCURRENCY: String(options.workers ?? 1),
  });
  const args = options.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, main]
    : [main];
  // From the project folder, as `npm start` runs it (relative settings such as UPLOAD_DIR resolve there).
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const pid = child.pid!;
  const baseUrl = `http://127.0.0.1:${options.port}`;

  let peakKb = 0;
  const processes = () => [pid, ...childrenOf(pid)];
  const sampler = setInterval(() => {
    for (const p of processes()) peakKb = Math.max(peakKb, memoryOf(p)?.rssKb ?? 0);
  }, 100);

  const workers = options.workers ?? 1;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited while starting:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`the app did not answer within 60 s:\n${stderr}`);
    // In cluster mode every worker must be listening, not only the first.
    const ready =
      (await fetch(`${baseUrl}/health/live`).then(
        (r) => r.ok,
        () => false,
      )) &&
      (workers === 1 || childrenOf(pid).length >= workers);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (workers > 1) await new Promise((r) => setTimeout(r, 2000)); // the last workers finish starting

  return {
    pid,
    baseUrl,
    databaseUrl: options.databaseUrl,
    resetPeak: () => {
      peakKb = 0;
    },
    peakRssMb: () => Math.round(peakKb / 1024),
    lifetimePeakMb: () => Math.round(Math.max(0, ...processes().map((p) => memoryOf(p)?.hwmKb ?? 0)) / 1024),
    stop: async () => {
      clearInterval(sampler);
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
