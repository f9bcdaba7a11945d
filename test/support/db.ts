import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The template every suite's database is copied from (migrated once per run). */
export const TEMPLATE_DB = 'clinic_test_template';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Names of every database the test runs have created (left over from an interrupted run, or this one). */
export async function listTestDatabases(serverUrl: string): Promise<string[]> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const res = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'clinic_test_%'`);
    return res.rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

export const dropStatements = (names: string[]) => names.map((d) => `DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);

/** Runs statements on the server's maintenance database (`postgres`). */
export async function adminQuery(serverUrl: string, ...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database for one suite, copied from the migrated template (a few hundred milliseconds). */
export async function createSuiteDatabase(): Promise<string> {
  const server = process.env.TEST_PG_SERVER_URL;
  if (!server) throw new Error('TEST_PG_SERVER_URL is not set: run the tests through jest (global setup)');
  const name = `clinic_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  return withDatabase(server, name);
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await adminQuery(process.env.TEST_PG_SERVER_URL as string, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
