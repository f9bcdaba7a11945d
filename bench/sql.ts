/**
 * The SQL behind each scenario: recorded from the app itself (its TypeORM logger sees every statement, with the
 * query runner that sent it), replayed on raw `pg` for the database ceiling, and EXPLAINed for the report.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Pool, PoolClient } from 'pg';
import { DataSource, Logger } from 'typeorm';
import type { createApp as CreateApp } from 'src/app.factory';
import { APP_POOL_SIZE, BENCH_APP_ENV } from './app-process';
import type { BenchRequest, Scenario } from './scenarios';

export interface Statement {
  sql: string;
  params: unknown[];
  /** The id an `INSERT … RETURNING "id"` gave when recorded; replays map it to the id they get. */
  returnedId?: string;
}

/** Statements sent together: one transaction, or a single statement outside any. */
export interface Unit {
  transaction: boolean;
  statements: Statement[];
}

/** One recorded request: its answer and, in the order they started, the units it sent. */
export interface RecordedRequest {
  status: number;
  units: Unit[];
}

/**
 * Groups what the app's query runners send into transactions and single statements (as its logger), and notes
 * the ids inserts return (as a subscriber), which later statements of the request may carry.
 */
class Recorder implements Logger {
  private units: Unit[] = [];
  private readonly open = new Map<object, Unit>();
  private readonly last = new Map<object, Statement>();
  recording = false;

  afterQuery(event: { query: string; queryRunner: object; rawResults?: unknown }): void {
    const statement = this.last.get(event.queryRunner);
    const rows = (event.rawResults as { rows?: { id?: string | number }[] } | undefined)?.rows;
    if (statement?.sql === event.query && /^INSERT/i.test(event.query) && rows?.[0]?.id !== undefined) {
      statement.returnedId = String(rows[0].id);
    }
  }

  logQuery(sql: string, params?: unknown[], runner?: object): void {
    if (!this.recording) return;
    const key = runner ?? this;
    if (sql === 'START TRANSACTION') {
      const unit = { transaction: true, statements: [] };
      this.open.set(key, unit);
      this.units.push(unit);
      return;
    }
    if (sql === 'COMMIT' || sql === 'ROLLBACK') {
      this.open.delete(key);
      return;
    }
    const statement: Statement = { sql, params: structuredClone(params ?? []) };
    this.last.set(key, statement);
    const unit = this.open.get(key);
    if (unit) unit.statements.push(statement);
    else this.units.push({ transaction: false, statements: [statement] });
  }

  take(): Unit[] {
    const units = this.units;
    this.units = [];
    this.open.clear();
    this.last.clear();
    return units;
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

const send = (baseUrl: string, r: BenchRequest) =>
  fetch(`${baseUrl}${r.path}`, { method: r.method, headers: r.headers, body: r.body }).then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });

/**
 * Records `samples` requests of each scenario on the built app, run in this process (job workers off, so only
 * requests send SQL). Read requests are sent once before recording: the recording is of a warm request (the
 * token's sliding expiry is written at most once a minute, so it is not part of a typical read).
 */
export async function recordScenarios(
  appDir: string,
  databaseUrl: string,
  scenarios: Scenario[],
  samplesOf: (s: Scenario) => number,
): Promise<Map<string, RecordedRequest[]>> {
  // The compiled app, as the benchmark runs it (not the TypeScript sources).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createApp } = require(join(appDir, 'src/app.factory')) as { createApp: typeof CreateApp };
  const app = await createApp({
    ...BENCH_APP_ENV,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    JOBS_WORKERS: 'false',
  });
  await app.listen(0, '127.0.0.1');
  const recorder = new Recorder();
  const dataSource = app.get(DataSource);
  (dataSource as { logger: Logger }).logger = recorder;
  dataSource.subscribers.push(recorder);
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const recorded = new Map<string, RecordedRequest[]>();
  try {
    for (const scenario of scenarios) {
      const list: RecordedRequest[] = [];
      // Far from the numbers the timed windows use, so the recording does not book their seats.
      for (let i = 0; i < samplesOf(scenario); i += 1) {
        const request = scenario.request(1_000_000 + i);
        if (scenario.kind === 'read') await send(baseUrl, request);
        recorder.recording = true;
        const status = await send(baseUrl, request);
        recorder.recording = false;
        list.push({ status, units: recorder.take() });
      }
      recorded.set(scenario.name, list);
    }
  } finally {
    await app.close();
  }
  return recorded;
}

export interface ReplayResult {
  /** Replayed requests per second (each one the full list of its statements). */
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The first error's message, when there were errors. */
  firstError?: string;
  statementsPerRequest: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : 0;

/**
 * A statement's parameters for a replay: ids returned by earlier inserts of the same request are the replay's own
 * (a booking refers to the casebook just inserted), and a token issued again gets a fresh hash
 * (`uq_auth_token_hash`).
 */
function replayParams(s: Statement, ids: Map<string, unknown>): unknown[] {
  const token = /INSERT INTO "auth_token"/.test(s.sql);
  return s.params.map((p) => {
    if (token && typeof p === 'string' && /^[0-9a-f]{64}$/.test(p)) return randomBytes(32).toString('hex');
    return (typeof p === 'number' || typeof p === 'string') && ids.has(String(p)) ? ids.get(String(p)) : p;
  });
}

async function run(db: Pool | PoolClient, s: Statement, ids: Map<string, unknown>): Promise<void> {
  const result = await db.query<{ id?: unknown }>(s.sql, replayParams(s, ids));
  if (s.returnedId !== undefined && result.rows[0]?.id !== undefined)
    ids.set(s.returnedId, result.rows[0].id);
}

async function replayUnit(pool: Pool, unit: Unit, ids: Map<string, unknown>): Promise<void> {
  if (!unit.transaction) {
    for (const s of unit.statements) await run(pool, s, ids);
    return;
  }
  // Rolled back instead of committed: replays of a booking must not take the seats they measure.
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const s of unit.statements) await run(client, s, ids);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/**
 * The database ceiling of a scenario: `connections` loops, through a pool as large as the app's, each replaying
 * recorded requests (every statement in order, transactions rolled back) for `durationS` seconds. Loop i
 * replays sample i, i + connections, …, so with as many samples as loops no two loops replay the same writes.
 */
export async function replay(
  databaseUrl: string,
  samples: RecordedRequest[],
  options: { connections: number; durationS: number },
): Promise<ReplayResult> {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: APP_POOL_SIZE,
    application_name: 'clinic-bench-replay',
  });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const end = Date.now() + options.durationS * 1000;
  const started = Date.now();
  try {
    await Promise.all(
      Array.from({ length: options.connections }, async (_, loop) => {
        for (let i = 0; Date.now() < end; i += 1) {
          const sample = samples[(loop + i * options.connections) % samples.length];
          const t0 = process.hrtime.bigint();
          try {
            const ids = new Map<string, unknown>();
            for (const unit of sample.units) await replayUnit(pool, unit, ids);
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          } catch (err) {
            errors += 1;
            firstError ??= err instanceof Error ? err.message : String(err);
          }
        }
      }),
    );
  } finally {
    await pool.end();
  }
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const statements = samples.reduce((n, s) => n + s.units.reduce((m, u) => m + u.statements.length, 0), 0);
  return {
    rps: Math.round(latencies.length / seconds),
    p50: Math.round(percentile(latencies, 50) * 100) / 100,
    p99: Math.round(percentile(latencies, 99) * 100) / 100,
    errors,
    firstError,
    statementsPerRequest: Math.round((statements / samples.length) * 10) / 10,
  };
}

export interface Plan {
  sql: string;
  params: unknown[];
  scenarios: string[];
  executionMs: number;
  /** Sequential scans on tables of more than 10,000 rows. */
  seqScans: string[];
  plan: string;
}

/**
 * `EXPLAIN (ANALYZE, BUFFERS)` of every distinct statement the read scenarios send outside transactions
 * (the first recorded request of each), flagging sequential scans of large tables.
 */
export async function explainReads(
  databaseUrl: string,
  recorded: Map<string, RecordedRequest[]>,
  readScenarios: string[],
): Promise<Plan[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ relname: string; n: number }>(
      `SELECT relname, reltuples::bigint AS n FROM pg_class WHERE relkind = 'r' AND reltuples > 10000`,
    );
    const large = new Set(rows.map((r) => r.relname));
    const plans = new Map<string, Plan>();
    for (const name of readScenarios) {
      const [first] = recorded.get(name) ?? [];
      for (const unit of first?.units ?? []) {
        for (const s of unit.statements) {
          if (unit.transaction || !/^\s*SELECT/i.test(s.sql)) continue;
          const known = plans.get(s.sql);
          if (known) {
            if (!known.scenarios.includes(name)) known.scenarios.push(name);
            continue;
          }
          const result = await db.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`,
            s.params,
          );
          const plan = result.rows.map((r) => r['QUERY PLAN']).join('\n');
          const seqScans = [...plan.matchAll(/Seq Scan on (\w+)/g)]
            .map((m) => m[1])
            .filter((t) => large.has(t));
          const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? 0);
          plans.set(s.sql, { sql: s.sql, params: s.params, scenarios: [name], executionMs, seqScans, plan });
        }
      }
    }
    return [...plans.values()];
  } finally {
    await db.end();
  }
}
