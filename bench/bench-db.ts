import { Client } from 'pg';
import { startEmbeddedPostgres } from 'src/database/embedded-postgres';

/** Every database the benchmark creates starts with this, so they are easy to find and drop. */
export const BENCH_PREFIX = 'clinic_bench_';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export const databaseOf = (url: string): string => new URL(url).pathname.slice(1);

/** `1` → `100`, `0.01` → `1`, `0.005` → `0p5`: the scale in percent, as it appears in database names. */
export const scaleLabel = (scale: number): string =>
  String(Math.round(scale * 100 * 1000) / 1000).replace('.', 'p');

export const benchDatabaseName = (scale: number, stamp: string): string =>
  `${BENCH_PREFIX}${stamp}_s${scaleLabel(scale)}`;

/** Runs statements on the server's maintenance database; returns the rows of the last one. */
export async function adminQuery<T = Record<string, unknown>>(
  serverUrl: string,
  ...statements: string[]
): Promise<T[]> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    let rows: T[] = [];
    for (const sql of statements) rows = (await client.query(sql)).rows as T[];
    return rows;
  } finally {
    await client.end();
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export interface BenchServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The Postgres server to benchmark on: `BENCH_DATABASE_URL` (its database part is ignored), else a local server
 * on 127.0.0.1:5432, else an embedded one under `.data/bench-postgres` (port 54331), as the app does without
 * DATABASE_URL.
 */
export async function benchServer(): Promise<BenchServer> {
  if (process.env.BENCH_DATABASE_URL) {
    return { url: withDatabase(process.env.BENCH_DATABASE_URL, 'postgres'), stop: async () => {} };
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await reachable(local)) return { url: local, stop: async () => {} };
  const embedded = await startEmbeddedPostgres('.data/bench-postgres', 54331, 'postgres');
  return { url: embedded.url, stop: () => embedded.stop() };
}

export async function benchDatabases(serverUrl: string): Promise<string[]> {
  const rows = await adminQuery<{ datname: string }>(
    serverUrl,
    `SELECT datname FROM pg_database WHERE datname LIKE '${BENCH_PREFIX}%' ORDER BY datname`,
  );
  return rows.map((r) => r.datname);
}

/** The newest generated database of that scale (names sort by their time stamp), if any. */
export async function latestBenchDatabase(serverUrl: string, scale: number): Promise<string | undefined> {
  const suffix = `_s${scaleLabel(scale)}`;
  return (await benchDatabases(serverUrl)).filter((d) => d.endsWith(suffix)).pop();
}

export async function dropDatabases(serverUrl: string, names: string[]): Promise<void> {
  await adminQuery(serverUrl, ...names.map((d) => `DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`));
}
