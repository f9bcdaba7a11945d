import { Client } from 'pg';
import { personalData } from 'src/common/crypto/personal-data';
import { sha256Hex } from 'src/common/crypto/hashing';
import { parseResidentId } from 'src/common/validation/resident-id';
import { BenchMeta, generate, tokenFor, volumeAt } from '../../bench/generate';
import { createSuiteDatabase, dropDatabase } from '../support/db';

/** The benchmark's data generator at a tiny scale: the volume asked for, and data that obeys the app's rules. */
describe('benchmark data generator', () => {
  const scale = 0.002;
  const volume = volumeAt(scale);
  let url: string;
  let db: Client;
  let meta: BenchMeta;
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0].n);

  beforeAll(async () => {
    url = await createSuiteDatabase();
    meta = await generate(url, scale);
    db = new Client({ connectionString: url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await dropDatabase(url);
  });

  it('creates the volume asked for', async () => {
    expect(await count('SELECT count(*) AS n FROM hospital')).toBe(volume.hospitals);
    expect(await count('SELECT count(*) AS n FROM app_user WHERE type = 2')).toBe(volume.doctors);
    expect(await count('SELECT count(*) AS n FROM app_user WHERE type = 3')).toBe(volume.assistants);
    expect(await count('SELECT count(*) AS n FROM app_user WHERE type = 1')).toBe(volume.patients);
    expect(await count('SELECT count(*) AS n FROM project')).toBe(volume.clinics);
    expect(await count('SELECT count(*) AS n FROM diagnosis')).toBe(volume.bookings);
    expect(await count('SELECT count(*) AS n FROM casebook')).toBe(volume.bookings);
    expect(await count('SELECT count(*) AS n FROM chat_message')).toBe(volume.chatMessages);
    // Open clinics to book, and patients without bookings to book them with.
    expect(
      await count(`SELECT count(*) AS n FROM project WHERE status = 1 AND starts_at > now()`),
    ).toBeGreaterThan(0);
    expect(await count('SELECT count(*) AS n FROM diagnosis WHERE user_id >= $1', [meta.joiners[0]])).toBe(0);
  });

  it('keeps seats, clinic counts and slot capacities consistent with the bookings', async () => {
    expect(
      await count(`SELECT count(*) AS n FROM project_slot s WHERE s.remaining < 0 OR s.remaining <> s.capacity
                     - (SELECT count(*) FROM diagnosis d WHERE d.slot_id = s.id AND d.verify_status IN (0, 1))`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM project p WHERE p.join_people_count <>
                     (SELECT count(*) FROM diagnosis d WHERE d.project_id = p.id AND d.verify_status IN (0, 1))
                   OR p.people_count <> (SELECT sum(capacity) FROM project_slot s WHERE s.project_id = p.id)`),
    ).toBe(0);
    expect(await count('SELECT count(*) AS n FROM project_slot WHERE remaining < capacity')).toBeGreaterThan(
      0,
    );
  });

  it('books each patient once per clinic, and leaves no ended clinic with waiting bookings', async () => {
    expect(
      await count(`SELECT count(*) AS n FROM (SELECT 1 FROM diagnosis WHERE verify_status IN (0, 1)
                   GROUP BY project_id, user_id HAVING count(*) > 1) x`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM diagnosis d JOIN project p ON p.id = d.project_id
                   WHERE p.ends_at <= now() AND d.status = 1 AND d.verify_status = 1`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM diagnosis d JOIN project p ON p.id = d.project_id
                   WHERE d.doctor_user_id <> p.doctor_id OR d.casebook_id <> d.id OR d.visit_time < p.starts_at
                      OR d.visit_time >= p.ends_at`),
    ).toBe(0);
  });

  it('computes the profile counters from the bookings', async () => {
    expect(
      await count(`SELECT count(*) AS n FROM user_stat s JOIN app_user u ON u.id = s.user_id AND u.type = 1
                   WHERE s.join_project_count <> (SELECT count(*) FROM diagnosis d WHERE d.user_id = s.user_id AND d.verify_status = 1)
                      OR s.done_project_count <> (SELECT count(*) FROM diagnosis d WHERE d.user_id = s.user_id AND d.status = 3)`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM user_stat s JOIN app_user u ON u.id = s.user_id AND u.type = 2
                   WHERE s.patient_count <> (SELECT count(DISTINCT user_id) FROM diagnosis d WHERE d.doctor_user_id = s.user_id AND d.status = 3)
                      OR s.score_count <> (SELECT count(doctor_score) FROM diagnosis d WHERE d.doctor_user_id = s.user_id)`),
    ).toBe(0);
  });

  it('points each dialog at its latest message', async () => {
    expect(
      await count(`SELECT count(*) AS n FROM chat_dialog c
                   WHERE c.last_msg_id IS DISTINCT FROM (SELECT max(id) FROM chat_message m WHERE m.dialog_id = c.id)`),
    ).toBe(0);
  });

  it('stores tokens, phones and ID numbers as the app does', async () => {
    const patient = meta.patients[0];
    expect(
      await count('SELECT count(*) AS n FROM auth_token WHERE user_id = $1 AND token_hash = $2', [
        patient,
        sha256Hex(tokenFor(meta, patient)),
      ]),
    ).toBe(1);
    const { rows } = await db.query<{ phone: string; idno: string; sex: number; birthday: string }>(
      `SELECT phone, idno, sex, to_char(birthday, 'YYYY-MM-DD') AS birthday FROM app_user WHERE id = $1`,
      [patient],
    );
    expect(rows[0].phone).not.toMatch(/^1\d{10}$/);
    const idno = personalData().open('idno', rows[0].idno);
    expect(personalData().open('phone', rows[0].phone)).toBe('13000000001');
    expect(parseResidentId(idno)).toEqual({ sex: rows[0].sex, birthday: rows[0].birthday });
  });
});
