import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { validateEnv } from './config/env.schema';
import { prepareDatabase } from './database/bootstrap-database';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(process.env);
  const db = await prepareDatabase(env);
  const app = await createApp({ DATABASE_URL: db.url });
  const logger = new Logger('Server');

  // Stop accepting, let in-flight requests finish, then stop workers and pools, then the embedded database.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    await new Promise<void>((resolve) => app.getHttpServer().close(() => resolve()));
    await app.close();
    await db.embedded?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));

  await app.listen(env.PORT);
  logger.log(`listening on port ${env.PORT}${db.embedded ? ' (embedded Postgres)' : ''}; API docs at /docs`);
}

void bootstrap().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
