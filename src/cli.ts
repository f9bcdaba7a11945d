import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { resealPersonalData } from './common/crypto/personal-columns';
import { personalData } from './common/crypto/personal-data';
import { validateEnv } from './config/env.schema';
import { prepareDatabase } from './database/bootstrap-database';
import { dataSourceOptions } from './database/data-source';
import { seedDemoIfEmpty } from './database/seeds/demo.seed';
import {
  OPERATOR_PASSWORD_MAX,
  OPERATOR_PASSWORD_MIN,
  upsertOperator,
} from './modules/admin/operator-accounts';

const USAGE = `usage:
  node dist/src/cli seed                                        load the demo data into an empty database
  node dist/src/cli admin:create --phone 1xxxxxxxxxx --password secret [--name 名字]
                                                                create an operator, or reset its password
  node dist/src/cli pii:rekey                                   re-encrypt phone and ID numbers under PII_KEY_VERSION
                                                                and recompute their lookup hashes with PII_HASH_KEY`;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { phone: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
  });
  const command = positionals[0];
  if (command !== 'seed' && command !== 'admin:create' && command !== 'pii:rekey') throw new Error(USAGE);
  // Same bounds as POST /admin/login accepts (password 6..32), and the column's 50 for the name.
  const password = values.password ?? '';
  if (
    command === 'admin:create' &&
    (!values.phone ||
      !/^1[3-9]\d{9}$/.test(values.phone) ||
      password.length < OPERATOR_PASSWORD_MIN ||
      password.length > OPERATOR_PASSWORD_MAX ||
      (values.name ?? '').length > 50)
  ) {
    throw new Error(
      `admin:create needs --phone (mainland mobile), --password (${OPERATOR_PASSWORD_MIN} to ${OPERATOR_PASSWORD_MAX} characters) and at most 50 characters of --name\n${USAGE}`,
    );
  }
  const env = validateEnv({ ...process.env, SEED_DEMO: 'false' });
  const db = await prepareDatabase(env);
  try {
    if (command === 'seed') {
      const loaded = await seedDemoIfEmpty(db.url);
      process.stdout.write(loaded ? 'demo data loaded\n' : 'accounts already exist; demo data not loaded\n');
      return;
    }
    const ds = await new DataSource(dataSourceOptions(db.url)).initialize();
    try {
      if (command === 'pii:rekey') {
        const rewritten = await resealPersonalData(ds);
        const counts = Object.entries(rewritten).map(([table, n]) => `${table} ${n}`);
        process.stdout.write(`re-encrypted under key ${personalData().version}: ${counts.join(', ')}\n`);
        return;
      }
      const { created } = await upsertOperator(ds.manager, values.phone!, values.password!, values.name);
      process.stdout.write(`operator ${values.phone} ${created ? 'created' : 'updated'}\n`);
    } finally {
      await ds.destroy();
    }
  } finally {
    await db.embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
