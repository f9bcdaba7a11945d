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
export async function adminQuery(serverUrl: string, ...statements: string[]): Promise<Record<string, unknown>[]> {
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

/** Drops what interrupted runs left behind: test databases nobody is connected to (templates of live runs are kept). */
export async function dropLeftovers(serverUrl: string): Promise<void> {
  const rows = await adminQuery(
    serverUrl,
    `SELECT datname FROM pg_database d WHERE datname LIKE '${PREFIX}%' AND NOT datistemplate
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
  );
  await adminQuery(serverUrl, ...dropAll(rows.map((r) => r.datname as string)));
}

/** Drops this run's databases and its template. */
export async function dropRun(serverUrl: string): Promise<void> {
  const rows = await adminQuery(serverUrl, `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}${runId()}_%'`);
  const names = rows.map((r) => r.datname as string);
  await adminQuery(serverUrl, ...names.map((d) => `ALTER DATABASE ${d} IS_TEMPLATE false`), ...dropAll(names));
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
