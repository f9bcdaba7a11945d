import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { PersonalColumnsSubscriber } from 'src/common/crypto/personal-columns';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { QueryCounter } from './query-counter';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Options shared by the app, the CLI and the tests. Migrations only: `synchronize` stays off. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    subscribers: [PersonalColumnsSubscriber],
    migrations: MIGRATIONS,
    migrationsTableName: 'migration',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logger: new QueryCounter(),
    extra: { max: 20, application_name: 'clinic-server' },
  };
}

/** Runs pending migrations under an advisory lock, so several instances starting together migrate once. */
export async function runMigrations(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(727001)');
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.query('SELECT pg_advisory_unlock(727001)');
    }
  } finally {
    await ds.destroy();
  }
}

/** For the TypeORM CLI (`migration:generate`). */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'),
);
