import 'reflect-metadata';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppEnv, validateEnv } from './config/env.schema';
import { prepareDatabase } from './database/bootstrap-database';
import type { EmbeddedDatabase } from './database/embedded-postgres';

const logger = new Logger('Server');

/** Runs `stop` once, on the first SIGTERM or SIGINT. */
function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    void stop(signal);
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}

/** One HTTP server: a single process, or one cluster worker (the port is shared through the primary). */
async function serve(env: AppEnv, databaseUrl: string, embedded?: EmbeddedDatabase): Promise<void> {
  const app = await createApp({ DATABASE_URL: databaseUrl });
  // Stop accepting, let in-flight requests finish, then stop workers and pools, then the embedded database.
  onShutdownSignal(async () => {
    await new Promise<void>((resolve) => app.getHttpServer().close(() => resolve()));
    await app.close();
    await embedded?.stop();
    process.exit(0);
  });
  await app.listen(env.PORT);
  const where = cluster.isWorker ? ` (worker ${cluster.worker!.id})` : embedded ? ' (embedded Postgres)' : '';
  logger.log(`listening on port ${env.PORT}${where}; API docs at /docs`);
}

/**
 * WEB_CONCURRENCY > 1: this process prepared the database (embedded Postgres, migrations, demo data) once and
 * now forks the HTTP workers, replaces any that dies, and on SIGTERM/SIGINT stops them before the database.
 */
function superviseWorkers(env: AppEnv, databaseUrl: string, embedded?: EmbeddedDatabase): void {
  let stopping = false;
  const fork = () => cluster.fork({ DATABASE_URL: databaseUrl });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error(`worker ${worker.id} exited (${signal ?? code}); starting another`);
    // Checked again: a Ctrl-C reaches the workers and this process at the same moment.
    setTimeout(() => stopping || fork(), 1000);
  });
  for (let i = 0; i < env.WEB_CONCURRENCY; i += 1) fork();
  onShutdownSignal(async (signal) => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill(signal);
          }),
      ),
    );
    await embedded?.stop();
    process.exit(0);
  });
  logger.log(
    `started ${env.WEB_CONCURRENCY} workers on port ${env.PORT}${embedded ? ' (embedded Postgres)' : ''}`,
  );
}

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(process.env);
  // A worker is forked with the prepared database's URL in DATABASE_URL.
  if (cluster.isWorker) return serve(env, env.DATABASE_URL!);
  const db = await prepareDatabase(env);
  if (env.WEB_CONCURRENCY > 1) return superviseWorkers(env, db.url, db.embedded);
  return serve(env, db.url, db.embedded);
}

void bootstrap().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
