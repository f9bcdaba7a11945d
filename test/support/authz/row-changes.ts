import type { DataSource } from 'typeorm';

/**
 * Writes whose purpose is to record the request itself, not to act on it: request and failure budgets, the
 * sliding expiry of the caller's token, a wrong SMS code counted against its five tries, the cached WeChat access
 * token. A refused request may make them; they are counted apart.
 */
export const BOOKKEEPING = [
  { table: 'public.rate_limit_counter' },
  { table: 'public.auth_token', op: 'UPDATE' },
  { table: 'public.sms_code', op: 'UPDATE' },
  { table: 'public.wechat_token' },
] as const;

const isBookkeeping = `(${BOOKKEEPING.map((b) =>
  'op' in b ? `(tbl = '${b.table}' AND op = '${b.op}')` : `tbl = '${b.table}'`,
).join(' OR ')})`;

export interface RowChanges {
  /** Rows of application data written. */
  data: number;
  /** Rows of the bookkeeping tables written. */
  bookkeeping: number;
  /** `schema.table op` of the application rows, for the report. */
  tables: string[];
}

/**
 * An exact count of the rows every request writes: a row trigger on each table of the application (and the job
 * queue's inserts) appends to a log, read after each request. Requests must go one at a time, and nothing else
 * may write meanwhile (the app runs without job workers).
 */
export class RowChangeLog {
  private mark = 0;

  private constructor(private readonly db: DataSource) {}

  static async install(db: DataSource): Promise<RowChangeLog> {
    await db.query(
      `CREATE TABLE sweep_row_change (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL)`,
    );
    await db.query(`
      CREATE FUNCTION sweep_log_row_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO sweep_row_change (tbl, op) VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP);
        RETURN NULL;
      END $$`);
    const tables = await db.query<{ name: string }[]>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
       WHERE schemaname = 'public' AND tablename <> 'sweep_row_change'`,
    );
    for (const { name } of tables) {
      await db.query(
        `CREATE TRIGGER sweep_log AFTER INSERT OR UPDATE OR DELETE ON ${name}
         FOR EACH ROW EXECUTE FUNCTION sweep_log_row_change()`,
      );
    }
    // A job enqueued by a request is a change it caused; the queue's own upkeep (state, archive) is not.
    await db.query(
      `CREATE TRIGGER sweep_log AFTER INSERT ON pgboss.job FOR EACH ROW EXECUTE FUNCTION sweep_log_row_change()`,
    );
    const log = new RowChangeLog(db);
    await log.sinceLast();
    return log;
  }

  /** The rows written since the previous call. */
  async sinceLast(): Promise<RowChanges> {
    const rows = await this.db.query<
      { tbl: string; op: string; bookkeeping: boolean; n: number; top: string }[]
    >(
      `SELECT tbl, op, ${isBookkeeping} AS bookkeeping, count(*)::int AS n, max(id)::text AS top
       FROM sweep_row_change WHERE id > $1 GROUP BY tbl, op`,
      [this.mark],
    );
    for (const r of rows) this.mark = Math.max(this.mark, Number(r.top));
    const data = rows.filter((r) => !r.bookkeeping);
    return {
      data: data.reduce((sum, r) => sum + r.n, 0),
      bookkeeping: rows.filter((r) => r.bookkeeping).reduce((sum, r) => sum + r.n, 0),
      tables: data.map((r) => `${r.tbl} ${r.op} ×${r.n}`),
    };
  }
}
