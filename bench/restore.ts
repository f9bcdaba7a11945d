import { Client } from 'pg';

/** The highest ids before a write scenario: what lies above them was made by the scenario. */
export interface Watermark {
  diagnosis: number;
  casebook: number;
  message: number;
  chatMessage: number;
  chatDialog: number;
  authToken: number;
}

async function withClient<T>(url: string, run: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await run(db);
  } finally {
    await db.end();
  }
}

export function watermark(url: string): Promise<Watermark> {
  return withClient(url, async (db) => {
    const { rows } = await db.query<Record<keyof Watermark, string>>(
      `SELECT (SELECT COALESCE(max(id), 0) FROM diagnosis) AS diagnosis,
              (SELECT COALESCE(max(id), 0) FROM casebook) AS casebook,
              (SELECT COALESCE(max(id), 0) FROM message) AS message,
              (SELECT COALESCE(max(id), 0) FROM chat_message) AS "chatMessage",
              (SELECT COALESCE(max(id), 0) FROM chat_dialog) AS "chatDialog",
              (SELECT COALESCE(max(id), 0) FROM auth_token) AS "authToken"`,
    );
    const r = rows[0];
    return {
      diagnosis: Number(r.diagnosis),
      casebook: Number(r.casebook),
      message: Number(r.message),
      chatMessage: Number(r.chatMessage),
      chatDialog: Number(r.chatDialog),
      authToken: Number(r.authToken),
    };
  });
}

/**
 * Active bookings of slot `s` of clinic `t.project_id`, found through the clinic's index (`ix_diagnosis_project`):
 * bookings have no index on their slot.
 */
const ACTIVE_IN_SLOT = `SELECT count(*) FROM diagnosis d
  WHERE d.project_id = t.project_id AND d.slot_id = s.id AND d.verify_status IN (0, 1)`;

export interface SeatCheck {
  /** Slots booked during the scenario. */
  slots: number;
  /** Slots with more active bookings than seats. */
  overbooked: number;
  /** Slots whose `remaining` is not capacity less active bookings. */
  inconsistent: number;
  /** Patients with two active bookings of one clinic. */
  doubleBooked: number;
  bookingsMade: number;
}

/** After a booking scenario, before the restore: do the seats agree with the bookings? */
export function checkSeats(url: string, mark: Watermark): Promise<SeatCheck> {
  return withClient(url, async (db) => {
    const { rows } = await db.query<Record<keyof SeatCheck, number>>(
      `WITH touched AS (SELECT DISTINCT project_id, slot_id FROM diagnosis WHERE id > $1),
            seats AS (SELECT s.id, s.capacity, s.remaining, (${ACTIVE_IN_SLOT}) AS active
                      FROM project_slot s JOIN touched t ON t.slot_id = s.id)
       SELECT (SELECT count(*)::int FROM seats) AS slots,
              (SELECT count(*)::int FROM seats WHERE active > capacity) AS overbooked,
              (SELECT count(*)::int FROM seats WHERE remaining <> capacity - active) AS inconsistent,
              (SELECT count(*)::int FROM (SELECT 1 FROM diagnosis WHERE verify_status IN (0, 1)
                 AND project_id IN (SELECT project_id FROM diagnosis WHERE id > $1)
                 GROUP BY project_id, user_id HAVING count(*) > 1) x) AS "doubleBooked",
              (SELECT count(*)::int FROM diagnosis WHERE id > $1) AS "bookingsMade"`,
      [mark.diagnosis],
    );
    return rows[0];
  });
}

/**
 * Takes the database back to the watermark, so every run (and `--reuse`) starts from the generated state:
 * removes the bookings, casebooks, messages, chat messages, dialogs and tokens made since, recomputes the seats,
 * clinic counts, patients' counters and dialogs' latest messages they moved, and clears rate-limit counters.
 */
export function restore(url: string, mark: Watermark): Promise<void> {
  return withClient(url, async (db) => {
    await db.query('BEGIN');
    // Casebooks have no index by booking: the foreign-key check of each deleted casebook would scan every booking.
    // The rows go together, so skip those checks where the user may (a superuser); elsewhere they just take longer.
    await db.query('SAVEPOINT role');
    await db
      .query('SET LOCAL session_replication_role = replica')
      .catch(() => db.query('ROLLBACK TO SAVEPOINT role'));
    await db.query(
      `CREATE TEMP TABLE touched ON COMMIT DROP AS
       SELECT DISTINCT project_id, slot_id, user_id FROM diagnosis WHERE id > $1`,
      [mark.diagnosis],
    );
    await db.query(
      `CREATE TEMP TABLE touched_dialog ON COMMIT DROP AS SELECT DISTINCT dialog_id FROM chat_message WHERE id > $1`,
      [mark.chatMessage],
    );
    await db.query('DELETE FROM diagnosis WHERE id > $1', [mark.diagnosis]);
    await db.query('DELETE FROM casebook WHERE id > $1', [mark.casebook]);
    await db.query('DELETE FROM message WHERE id > $1', [mark.message]);
    await db.query('DELETE FROM chat_message WHERE id > $1', [mark.chatMessage]);
    await db.query('DELETE FROM chat_dialog WHERE id > $1', [mark.chatDialog]);
    await db.query('DELETE FROM auth_token WHERE id > $1', [mark.authToken]);
    await db.query(
      `UPDATE project_slot s SET remaining = s.capacity - (${ACTIVE_IN_SLOT})
       FROM (SELECT DISTINCT project_id, slot_id FROM touched) t WHERE s.id = t.slot_id`,
    );
    await db.query(
      `UPDATE project p SET join_people_count =
         (SELECT count(*) FROM diagnosis d WHERE d.project_id = p.id AND d.verify_status IN (0, 1))
       WHERE p.id IN (SELECT project_id FROM touched)`,
    );
    await db.query(
      `UPDATE user_stat u SET join_project_count =
         (SELECT count(*) FROM diagnosis d WHERE d.user_id = u.user_id AND d.verify_status = 1)
       WHERE u.user_id IN (SELECT user_id FROM touched)`,
    );
    await db.query(
      `UPDATE chat_dialog c SET (last_msg_id, last_msg_at) =
         (SELECT id, created_at FROM chat_message m WHERE m.dialog_id = c.id ORDER BY id DESC LIMIT 1)
       WHERE c.id IN (SELECT dialog_id FROM touched_dialog)`,
    );
    await db.query('DELETE FROM rate_limit_counter');
    await db.query('COMMIT');
  });
}
