import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Every database a test run creates starts with this; the run id keeps concurrent runs apart. */
const PREFIX = 'clinic_test_';
const runId = () => process.env.TEST_RUN_ID ?? 'local';

/** The template each suite's database is copied from (migrated once per run). */
export const templateName = () => `${PREFIX}${runId()}_template`;

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs statements on the server's maintenance database (`postgres`); returns the last result's rows. */
export async function adminQuery(
  serverUrl: string,
  ...statements: string[]
): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const sql of statements) rows = (await client.query(sql)).rows as Record<string, unknown>[];
    return rows;
  } finally {
    await client.end();
  }
}

const dropAll = (names: string[]) => names.map((d) => `DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);

/** A run id that starts with the run's start time (seconds), so leftovers can be recognised by age. */
export const newRunId = () => `${Math.floor(Date.now() / 1000)}_${randomBytes(2).toString('hex')}`;

/**
 * Drops what interrupted runs left behind: databases of runs started more than six hours ago. Younger ones may
 * belong to a run still going on beside this one, and are left alone.
 */
export async function dropLeftovers(serverUrl: string): Promise<void> {
  const rows = await adminQuery(serverUrl, `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`);
  const cutoff = Date.now() / 1000 - 6 * 3600;
  const stale = rows
    .map((r) => r.datname as string)
    .filter((name) => Number(/^clinic_test_(\d+)_/.exec(name)?.[1] ?? 0) < cutoff);
  await adminQuery(
    serverUrl,
    ...stale.map((d) => `ALTER DATABASE ${d} IS_TEMPLATE false`),
    ...dropAll(stale),
  );
}

/** Drops this run's databases and its template. */
export async function dropRun(serverUrl: string): Promise<void> {
  const rows = await adminQuery(
    serverUrl,
    `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}${runId()}_%'`,
  );
  const names = rows.map((r) => r.datname as string);
  await adminQuery(
    serverUrl,
    ...names.map((d) => `ALTER DATABASE ${d} IS_TEMPLATE false`),
    ...dropAll(names),
  );
}

/** A fresh database for one suite, copied from the migrated template (a few hundred milliseconds). */
export async function createSuiteDatabase(): Promise<string> {
  const server = process.env.TEST_PG_SERVER_URL;
  if (!server) throw new Error('TEST_PG_SERVER_URL is not set: run the tests through jest (global setup)');
  const name = `${PREFIX}${runId()}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name} TEMPLATE ${templateName()}`);
  return withDatabase(server, name);
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await adminQuery(process.env.TEST_PG_SERVER_URL as string, ...dropAll([name]));
}
