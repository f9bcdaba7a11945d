import 'tsconfig-paths/register';
import 'reflect-metadata';
import PgBoss from 'pg-boss';
import { runMigrations } from 'src/database/data-source';
import { startEmbeddedPostgres } from 'src/database/embedded-postgres';
import { adminQuery, dropLeftovers, newRunId, templateName, withDatabase } from './db';

/**
 * One Postgres for the run: DATABASE_URL when set, otherwise an embedded one under .data/test-postgres.
 * Builds a migrated template database (schema, regions, job-queue tables) that each suite copies.
 */
export default async function globalSetup(): Promise<void> {
  let server = process.env.DATABASE_URL;
  if (!server) {
    const embedded = await startEmbeddedPostgres(
      '.data/test-postgres',
      Number(process.env.TEST_PG_PORT ?? 54330),
      'postgres',
    );
    (globalThis as { __embeddedPg?: { stop(): Promise<void> } }).__embeddedPg = embedded;
    server = embedded.url;
  }
  process.env.TEST_RUN_ID = newRunId();
  process.env.TEST_PG_SERVER_URL = server;
  await dropLeftovers(server);
  await adminQuery(server, `CREATE DATABASE ${templateName()}`);
  const templateUrl = withDatabase(server, templateName());
  await runMigrations(templateUrl);
  const boss = new PgBoss({
    connectionString: templateUrl,
    schema: 'pgboss',
    supervise: false,
    schedule: false,
  });
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
  await adminQuery(server, `ALTER DATABASE ${templateName()} IS_TEMPLATE true`);
}
