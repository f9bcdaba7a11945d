import { MigrationInterface, QueryRunner } from 'typeorm';
import { PersonalKind, personalData } from 'src/common/crypto/personal-data';

const BATCH = 1000;
const SMS_JOB = 'sms.send-code';
/** Rate-limit keys that ended in a phone number before this migration. */
const PHONE_KEY = /^(sms:gap:|sms:day:|login:fail:[^:]+:)(1[3-9]\d{9})$/;

type Row = Record<string, string | number | null>;

/**
 * Rewrites `table` in batches: `change` maps each selected row to new column values, written with one UPDATE per
 * batch. `columns` types the written columns (`name type`).
 */
async function rewrite(
  q: QueryRunner,
  table: string,
  select: string[],
  columns: string[],
  change: (row: Row) => Record<string, unknown>,
): Promise<void> {
  const names = columns.map((c) => c.split(' ')[0]);
  for (let after = 0; ;) {
    const rows = (await q.query(
      `SELECT id, ${select.join(', ')} FROM "${table}" WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
      [after],
    )) as Row[];
    if (!rows.length) return;
    after = Number(rows[rows.length - 1].id);
    await q.query(
      `UPDATE "${table}" t SET ${names.map((n) => `"${n}" = x."${n}"`).join(', ')}
       FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, ${columns.join(', ')}) WHERE t.id = x.id`,
      [JSON.stringify(rows.map((row) => ({ id: row.id, ...change(row) })))],
    );
  }
}

const seal = (kind: PersonalKind, value: string | number | null) =>
  value === null ? null : personalData().seal(kind, String(value));
const open = (kind: PersonalKind, value: string | number | null) =>
  value === null ? null : personalData().open(kind, String(value));
const hash = (kind: PersonalKind, value: string | number | null) =>
  value === null ? null : personalData().lookupHash(kind, String(value));

/** The SMS jobs still in pg-boss's tables (created at the app's first start, so possibly absent). */
async function smsJobTables(q: QueryRunner): Promise<string[]> {
  const [row] = (await q.query(
    `SELECT to_regclass('pgboss.job')::text AS job, to_regclass('pgboss.archive')::text AS archive`,
  )) as { job: string | null; archive: string | null }[];
  return [row.job, row.archive].filter((t): t is string => t !== null);
}

/** Moves each SMS job's recipient from `from` to `to` in the payload, transformed by `convert`. */
async function rewriteSmsJobs(
  q: QueryRunner,
  from: string,
  to: string,
  convert: (value: string) => string,
): Promise<void> {
  for (const table of await smsJobTables(q)) {
    const jobs = (await q.query(
      `SELECT id, data->>'${from}' AS value FROM ${table} WHERE name = $1 AND data ? '${from}'`,
      [SMS_JOB],
    )) as { id: string; value: string }[];
    if (!jobs.length) continue;
    await q.query(
      `UPDATE ${table} j SET data = (j.data - '${from}') || jsonb_build_object('${to}', x.value)
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, value text) WHERE j.name = $2 AND j.id = x.id`,
      [JSON.stringify(jobs.map((j) => ({ id: j.id, value: convert(j.value) }))), SMS_JOB],
    );
  }
}

/**
 * Phone numbers and ID numbers sealed at rest (AES-256-GCM, versioned keys) with keyed lookup hashes, wherever
 * they were kept: accounts, operators, SMS codes, rate-limit keys and queued SMS jobs; and the audit of reads of
 * patients' records and ID numbers.
 *
 * Existing rows are converted here in TypeScript with the configured keys (the bootstrap installs them before
 * migrating), inside the migration's transaction: SQL cannot reach the keys, and converting at start-up instead
 * would leave a window, and code, in which plain and sealed values coexist.
 */
export class PersonalDataAtRest1763900500000 implements MigrationInterface {
  name = 'PersonalDataAtRest1763900500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "app_user" DROP CONSTRAINT "uq_app_user_phone_type"`);
    await q.query(`ALTER TABLE "app_user" ALTER COLUMN "phone" TYPE text, ALTER COLUMN "idno" TYPE text`);
    await q.query(
      `ALTER TABLE "app_user" ADD "phone_hash" character(64), ADD "phone_search" text array NOT NULL DEFAULT '{}',
       ADD "idno_hash" character(64)`,
    );
    await rewrite(
      q,
      'app_user',
      ['phone', 'idno'],
      ['phone text', 'phone_hash text', 'phone_search text[]', 'idno text', 'idno_hash text'],
      (u) => ({
        phone: seal('phone', u.phone),
        phone_hash: hash('phone', u.phone),
        phone_search: personalData().phoneSearchTokens(String(u.phone)),
        idno: seal('idno', u.idno),
        idno_hash: hash('idno', u.idno),
      }),
    );
    await q.query(`ALTER TABLE "app_user" ALTER COLUMN "phone_hash" SET NOT NULL`);
    await q.query(
      `ALTER TABLE "app_user" ADD CONSTRAINT "uq_app_user_phone_hash_type" UNIQUE ("phone_hash", "type")`,
    );
    await q.query(`CREATE INDEX "ix_app_user_idno_hash" ON "app_user" ("idno_hash")`);
    await q.query(`CREATE INDEX "ix_app_user_phone_search" ON "app_user" USING gin ("phone_search")`);

    await q.query(`ALTER TABLE "operator" DROP CONSTRAINT "uq_operator_phone"`);
    await q.query(`ALTER TABLE "operator" ALTER COLUMN "phone" TYPE text, ADD "phone_hash" character(64)`);
    await rewrite(q, 'operator', ['phone'], ['phone text', 'phone_hash text'], (o) => ({
      phone: seal('phone', o.phone),
      phone_hash: hash('phone', o.phone),
    }));
    await q.query(`ALTER TABLE "operator" ALTER COLUMN "phone_hash" SET NOT NULL`);
    await q.query(`ALTER TABLE "operator" ADD CONSTRAINT "uq_operator_phone_hash" UNIQUE ("phone_hash")`);

    // Codes are only ever looked up by phone: the hash is enough.
    await q.query(`ALTER TABLE "sms_code" ADD "phone_hash" character(64)`);
    await rewrite(q, 'sms_code', ['phone'], ['phone_hash text'], (c) => ({
      phone_hash: hash('phone', c.phone),
    }));
    await q.query(`DROP INDEX "ix_sms_code_phone_created"`);
    await q.query(`ALTER TABLE "sms_code" DROP COLUMN "phone"`);
    await q.query(`ALTER TABLE "sms_code" ALTER COLUMN "phone_hash" SET NOT NULL`);
    await q.query(`CREATE INDEX "ix_sms_code_phone_hash_created" ON "sms_code" ("phone_hash", "created_at")`);

    const counters = (await q.query(`SELECT key FROM rate_limit_counter`)) as { key: string }[];
    for (const { key } of counters) {
      const match = PHONE_KEY.exec(key);
      if (match) {
        await q.query(`UPDATE rate_limit_counter SET key = $2 WHERE key = $1`, [
          key,
          `${match[1]}${hash('phone', match[2])}`,
        ]);
      }
    }
    await rewriteSmsJobs(q, 'phone', 'to', (phone) => personalData().seal('phone', phone));

    await q.query(`
            CREATE TABLE "read_audit" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "actor_role" character varying(16) NOT NULL,
                "actor_id" integer NOT NULL,
                "user_id" integer NOT NULL,
                "record_type" character varying(16) NOT NULL,
                "record_id" integer NOT NULL,
                "route" character varying(200) NOT NULL,
                "ip" character varying(64) NOT NULL DEFAULT '',
                "request_id" character varying(64) NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f1fccb88281ef98b447d5df220e" PRIMARY KEY ("id")
            )
        `);
    await q.query(`CREATE INDEX "ix_read_audit_user" ON "read_audit" ("user_id", "id")`);
    await q.query(`CREATE INDEX "ix_read_audit_actor" ON "read_audit" ("actor_role", "actor_id", "id")`);
    await q.query(`CREATE INDEX "ix_read_audit_created_at" ON "read_audit" ("created_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "read_audit"`);

    await rewriteSmsJobs(q, 'to', 'phone', (sealed) => personalData().open('phone', sealed));
    // The counters cannot be mapped back from hashes; they are short-lived, so they restart.
    await q.query(`DELETE FROM rate_limit_counter WHERE key ~ '^(sms:gap:|sms:day:|login:fail:)'`);

    // Codes cannot be mapped back to phones either: the ones outstanding stop working.
    await q.query(`DELETE FROM sms_code`);
    await q.query(`DROP INDEX "ix_sms_code_phone_hash_created"`);
    await q.query(`ALTER TABLE "sms_code" DROP COLUMN "phone_hash"`);
    await q.query(`ALTER TABLE "sms_code" ADD "phone" character varying(11) NOT NULL`);
    await q.query(`CREATE INDEX "ix_sms_code_phone_created" ON "sms_code" ("phone", "created_at")`);

    await q.query(`ALTER TABLE "operator" DROP CONSTRAINT "uq_operator_phone_hash"`);
    await rewrite(q, 'operator', ['phone'], ['phone text'], (o) => ({ phone: open('phone', o.phone) }));
    await q.query(
      `ALTER TABLE "operator" DROP COLUMN "phone_hash", ALTER COLUMN "phone" TYPE character varying(11)`,
    );
    await q.query(`ALTER TABLE "operator" ADD CONSTRAINT "uq_operator_phone" UNIQUE ("phone")`);

    await q.query(`DROP INDEX "ix_app_user_phone_search"`);
    await q.query(`DROP INDEX "ix_app_user_idno_hash"`);
    await q.query(`ALTER TABLE "app_user" DROP CONSTRAINT "uq_app_user_phone_hash_type"`);
    await rewrite(q, 'app_user', ['phone', 'idno'], ['phone text', 'idno text'], (u) => ({
      phone: open('phone', u.phone),
      idno: open('idno', u.idno),
    }));
    await q.query(
      `ALTER TABLE "app_user" DROP COLUMN "phone_hash", DROP COLUMN "phone_search", DROP COLUMN "idno_hash",
       ALTER COLUMN "phone" TYPE character varying(11), ALTER COLUMN "idno" TYPE character varying(18)`,
    );
    await q.query(`ALTER TABLE "app_user" ADD CONSTRAINT "uq_app_user_phone_type" UNIQUE ("phone", "type")`);
  }
}
