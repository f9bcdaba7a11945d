import { usePersonalDataKeys } from 'src/common/crypto/personal-data';
import { AppEnv } from 'src/config/env.schema';
import { runMigrations } from './data-source';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { seedDemoIfEmpty } from './seeds/demo.seed';

export interface ReadyDatabase {
  url: string;
  embedded?: EmbeddedDatabase;
}

/**
 * Makes the database usable: DATABASE_URL, or an embedded Postgres under EMBEDDED_PG_DIR; then migrations,
 * then the demo data when asked (SEED_DEMO) or when the embedded database was just created.
 */
export async function prepareDatabase(env: AppEnv): Promise<ReadyDatabase> {
  const embedded = env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(env.EMBEDDED_PG_DIR, env.EMBEDDED_PG_PORT);
  const url = env.DATABASE_URL ?? embedded!.url;
  // Migrations and the demo seed seal personal data with the configured keys.
  usePersonalDataKeys(env);
  await runMigrations(url);
  if (env.SEED_DEMO || embedded?.created) await seedDemoIfEmpty(url);
  return { url, embedded };
}
