import { JobsService } from 'src/common/jobs/jobs.service';
import { BookingService } from 'src/modules/projects/booking.service';
import { NO_SHOW_JOB } from 'src/modules/projects/projects.module';
import {
  joinProject,
  makeDoctor,
  makePatient,
  publishProject,
  shanghaiDate,
  shiftProject,
} from '../support/clinic-factories';
import { Account, expectError, sleep } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** Two days back: the clinic is over whatever the hour now (a one-day shift is not, early in the morning). */
const TO_THE_PAST = -48 * 60;

interface Visit {
  id: number;
  status: number;
  verify_status: number;
  confirm_no_refund: number;
  updated_at: Date;
}

describe('bookings of finished clinics and the counters kept from them', () => {
  let t: TestApp;
  let noShows: BookingService;

  const visits = async (...ids: number[]) =>
    t.db.query<Visit[]>(
      `SELECT id, status, verify_status, confirm_no_refund, updated_at FROM diagnosis WHERE id = ANY($1) ORDER BY array_position($1, id)`,
      [ids],
    );
  const messages = async (patient: Account) =>
    (await t.http.get('/message?page_size=100').set('X-auth-token', patient.token).expect(200)).body.data
      .list as { type: number; title: string; content: string }[];
  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).set('X-auth-token', token),
    post: (path: string, body: object = {}) => t.http.post(path).set('X-auth-token', token).send(body),
  });

  beforeAll(async () => {
    // No workers and no cron monitor here: the job runs only when a test calls it, so counts are exact.
    t = await startTestApp({ JOBS_WORKERS: 'false' });
    noShows = t.app.get(BookingService);
  });
  afterAll(() => t.close());

  describe('the no-show job', () => {
    let doctor: Account;
    let seenPatient: Account;
    let absentPatient: Account;
    let seen: number;
    let absent: number;
    let cancelled: number;
    let upcoming: number;

    beforeAll(async () => {
      doctor = await makeDoctor(t);
      [seenPatient, absentPatient] = [await makePatient(t, '张三'), await makePatient(t, '李四')];
      const leaver = await makePatient(t, '王五');
      const project = await publishProject(t, doctor);
      const later = await publishProject(t, doctor, { date: shanghaiDate(2) });
      seen = await joinProject(t, seenPatient, project, 0);
      absent = await joinProject(t, absentPatient, project, 1);
      cancelled = await joinProject(t, leaver, project, 2);
      await as(leaver.token).get(`/custom/project/${project.id}/cancel`).expect(200);
      upcoming = await joinProject(t, absentPatient, later);
      await shiftProject(t, project.id, TO_THE_PAST);
      await as(doctor.token).get(`/diagnoses/${seen}/done`).expect(200);
    });

    it('turns the waiting bookings of finished clinics into no-shows and tells the patient', async () => {
      const inboxBefore = await messages(absentPatient);
      expect(await noShows.markNoShows()).toBe(1);
      const [s, a, c, u] = await visits(seen, absent, cancelled, upcoming);
      expect(s).toMatchObject({ status: 3, verify_status: 1 });
      // Free clinic: no deposit to keep.
      expect(a).toMatchObject({ status: 2, verify_status: 1, confirm_no_refund: 0 });
      // A cancelled booking and one of a clinic still to come are left alone.
      expect(c).toMatchObject({ status: 1, verify_status: 3 });
      expect(u).toMatchObject({ status: 1, verify_status: 1 });

      const inbox = await messages(absentPatient);
      expect(inbox).toHaveLength(inboxBefore.length + 1);
      expect(inbox[0]).toMatchObject({ type: 1, title: '未到诊' });
      expect(inbox[0].content).toContain('未到诊');
      expect((await messages(seenPatient)).map((m) => m.title)).not.toContain('未到诊');
    });

    it('is idempotent: a second run changes nothing and sends nothing', async () => {
      const before = await visits(seen, absent, cancelled, upcoming);
      const inbox = (await messages(absentPatient)).length;
      expect(await noShows.markNoShows()).toBe(0);
      expect(await visits(seen, absent, cancelled, upcoming)).toEqual(before);
      expect(await messages(absentPatient)).toHaveLength(inbox);
    });

    it('the doctor may still correct a no-show to seen (the job ran first); later runs leave it seen', async () => {
      await as(doctor.token).get(`/diagnoses/${absent}/done`).expect(200);
      expect(await noShows.markNoShows()).toBe(0);
      expect((await visits(absent))[0]).toMatchObject({ status: 3, confirm_no_refund: 0 });
    });

    it('is scheduled in pg-boss every five minutes in the platform zone', async () => {
      const rows = await t.db.query<{ name: string; cron: string; timezone: string }[]>(
        `SELECT name, cron, timezone FROM pgboss.schedule WHERE name = $1`,
        [NO_SHOW_JOB],
      );
      expect(rows).toEqual([{ name: NO_SHOW_JOB, cron: '*/5 * * * *', timezone: 'Asia/Shanghai' }]);
    });

    it('runs through the queue: an instance with workers picks the job up and marks the no-shows', async () => {
      const patient = await makePatient(t, '赵六');
      const project = await publishProject(t, doctor, { begin: '15:00:00', end: '16:00:00' });
      const waiting = await joinProject(t, patient, project);
      await shiftProject(t, project.id, TO_THE_PAST);
      const worker = await startTestApp({ JOBS_WORKERS: 'true' }, t.databaseUrl);
      try {
        await worker.app.get(JobsService).send(NO_SHOW_JOB, {});
        for (let i = 0; i < 50 && (await visits(waiting))[0].status !== 2; i += 1) await sleep(200);
        expect((await visits(waiting))[0]).toMatchObject({ status: 2 });
      } finally {
        await worker.close();
      }
    });
  });

  describe('counters stay consistent with the bookings', () => {
    it('after joins, cancels, rejections, a cancelled clinic, visits, no-shows and ratings, user_stat = recomputed', async () => {
      const d1 = await makeDoctor(t, { name: '一号医生' });
      const d2 = await makeDoctor(t, { name: '二号医生' });
      const p: Account[] = [];
      for (let i = 0; i < 5; i += 1) p.push(await makePatient(t, `患者${i}`));
      const c1 = await publishProject(t, d1);
      const c2 = await publishProject(t, d1, { begin: '14:00:00', end: '15:00:00' });
      const c3 = await publishProject(t, d2);
      const c4 = await publishProject(t, d1, { begin: '16:00:00', end: '17:00:00' });

      const b: Record<string, number> = {};
      for (let i = 0; i < 5; i += 1) b[`c1p${i}`] = await joinProject(t, p[i], c1, i % 4);
      for (let i = 0; i < 3; i += 1) b[`c2p${i}`] = await joinProject(t, p[i], c2);
      b.c3p0 = await joinProject(t, p[0], c3);
      b.c3p3 = await joinProject(t, p[3], c3, 1);
      b.c4p0 = await joinProject(t, p[0], c4);
      b.c4p1 = await joinProject(t, p[1], c4);

      // The patient cancels, then books again; the doctor rejects one; the doctor cancels a whole clinic.
      await as(p[4].token).get(`/custom/project/${c1.id}/cancel`).expect(200);
      b.c1p4again = await joinProject(t, p[4], c1, 3);
      await as(d1.token).post(`/diagnoses/${b.c1p3}/reject`, { reject_msg: '不适合' }).expect(200);
      await as(d1.token).get(`/project/${c2.id}/cancel`).expect(200);

      for (const c of [c1, c3, c4]) await shiftProject(t, c.id, TO_THE_PAST);
      for (const [token, id] of [
        [d1.token, b.c1p0],
        [d1.token, b.c1p1],
        [d2.token, b.c3p0],
        [d2.token, b.c3p3],
        [d1.token, b.c4p0],
      ] as const) {
        await as(token).get(`/diagnoses/${id}/done`).expect(200);
      }
      expect(await noShows.markNoShows()).toBe(3); // c1: p2 and p4's second booking; c4: p1

      const rateDoctor = (token: string, id: number, score: number) =>
        as(token).post(`/custom/diagnoses/${id}/comment`, { doctor_score: score, doctor_comment: '好' });
      const ratePatient = (token: string, id: number, credit: number, punctuality: number) =>
        as(token).post(`/doctor/diagnoses/${id}/comment`, {
          patient_credit_score: credit,
          patient_punctuality_score: punctuality,
        });
      await ratePatient(d1.token, b.c1p0, 5, 4).expect(200);
      await ratePatient(d1.token, b.c1p1, 3, 2).expect(200);
      await ratePatient(d1.token, b.c4p0, 4, 4).expect(200);
      await ratePatient(d2.token, b.c3p0, 2, 5).expect(200);
      await rateDoctor(p[0].token, b.c1p0, 5).expect(200);
      await rateDoctor(p[1].token, b.c1p1, 4).expect(200);
      await rateDoctor(p[0].token, b.c4p0, 3).expect(200);
      await rateDoctor(p[3].token, b.c3p3, 1).expect(200);
      // Refused changes move nothing: a second rating, a rating before the visit, a no-show's rating.
      expectError(await rateDoctor(p[0].token, b.c1p0, 1), 409, 30016);
      expectError(await ratePatient(d1.token, b.c1p0, 1, 1), 409, 30016);
      expectError(await rateDoctor(p[1].token, b.c4p1, 5), 422, 30017);

      const stored = await t.db.query<Record<string, number>[]>(
        `SELECT u.id AS user_id,
                COALESCE(s.join_project_count, 0) AS join_project_count,
                COALESCE(s.done_project_count, 0) AS done_project_count,
                COALESCE(s.patient_count, 0) AS patient_count,
                COALESCE(s.visits_count, 0) AS visits_count,
                COALESCE(s.service_minutes, 0) AS service_minutes,
                COALESCE(s.score_sum, 0) AS score_sum, COALESCE(s.score_count, 0) AS score_count,
                COALESCE(s.score, 0)::float AS score,
                COALESCE(s.credit_sum, 0) AS credit_sum, COALESCE(s.credit_count, 0) AS credit_count,
                COALESCE(s.punctuality_sum, 0) AS punctuality_sum,
                COALESCE(s.punctuality_count, 0) AS punctuality_count
         FROM app_user u LEFT JOIN user_stat s ON s.user_id = u.id
         WHERE u.type IN (1, 2) ORDER BY u.id`,
      );
      const recomputed = await t.db.query<Record<string, number>[]>(
        `WITH held AS (  -- clinics in which a doctor has seen somebody
           SELECT DISTINCT d.doctor_user_id, d.project_id, p."begin", p."end"
           FROM diagnosis d JOIN project p ON p.id = d.project_id WHERE d.status = 3)
         SELECT u.id AS user_id,
                (SELECT count(*) FROM diagnosis d WHERE d.user_id = u.id AND d.verify_status = 1)::int AS join_project_count,
                (SELECT count(*) FROM diagnosis d WHERE d.user_id = u.id AND d.status = 3)::int AS done_project_count,
                (SELECT count(DISTINCT d.user_id) FROM diagnosis d
                 WHERE d.doctor_user_id = u.id AND d.status = 3)::int AS patient_count,
                (SELECT count(*) FROM held h WHERE h.doctor_user_id = u.id)::int AS visits_count,
                (SELECT COALESCE(sum(extract(epoch FROM h."end" - h."begin") / 60), 0) FROM held h
                 WHERE h.doctor_user_id = u.id)::int AS service_minutes,
                (SELECT COALESCE(sum(d.doctor_score), 0) FROM diagnosis d WHERE d.doctor_user_id = u.id)::int AS score_sum,
                (SELECT count(d.doctor_score) FROM diagnosis d WHERE d.doctor_user_id = u.id)::int AS score_count,
                (SELECT COALESCE(round(avg(d.doctor_score), 2), 0) FROM diagnosis d
                 WHERE d.doctor_user_id = u.id)::float AS score,
                (SELECT COALESCE(sum(d.patient_credit_score), 0) FROM diagnosis d WHERE d.user_id = u.id)::int AS credit_sum,
                (SELECT count(d.patient_credit_score) FROM diagnosis d WHERE d.user_id = u.id)::int AS credit_count,
                (SELECT COALESCE(sum(d.patient_punctuality_score), 0) FROM diagnosis d
                 WHERE d.user_id = u.id)::int AS punctuality_sum,
                (SELECT count(d.patient_punctuality_score) FROM diagnosis d
                 WHERE d.user_id = u.id)::int AS punctuality_count
         FROM app_user u WHERE u.type IN (1, 2) ORDER BY u.id`,
      );
      expect(stored).toEqual(recomputed);

      // The scenario really moved the counters (a table of zeros would match too).
      const of = (id: number) => stored.find((r) => r.user_id === id);
      expect(of(p[0].id)).toMatchObject({
        join_project_count: 3,
        done_project_count: 3,
        credit_sum: 11,
        credit_count: 3,
        punctuality_sum: 13,
      });
      expect(of(d1.id)).toMatchObject({
        patient_count: 2,
        visits_count: 2,
        service_minutes: 180,
        score_sum: 12,
        score_count: 3,
        score: 4,
      });
      expect(of(d2.id)).toMatchObject({ patient_count: 2, visits_count: 1, score_sum: 1, score_count: 1 });

      // Seats: each clinic's join_people_count and each slot's taken seats equal its active bookings.
      const seats = await t.db.query<{ id: number; counted: number; active: number; taken: number }[]>(
        `SELECT p.id, p.join_people_count AS counted,
                (SELECT count(*) FROM diagnosis d WHERE d.project_id = p.id AND d.verify_status IN (0, 1))::int AS active,
                (SELECT sum(s.capacity - s.remaining) FROM project_slot s WHERE s.project_id = p.id)::int AS taken
         FROM project p ORDER BY p.id`,
      );
      for (const row of seats)
        expect(row).toEqual({ id: row.id, counted: row.active, active: row.active, taken: row.active });
      const slots = await t.db.query<{ off: number }[]>(
        `SELECT count(*)::int AS off FROM project_slot s
         WHERE s.capacity - s.remaining <> (SELECT count(*) FROM diagnosis d WHERE d.slot_id = s.id AND d.verify_status IN (0, 1))`,
      );
      expect(slots).toEqual([{ off: 0 }]);

      // What the apps show follows the same figures.
      const profile = (await as(p[0].token).get('/user').expect(200)).body.data;
      expect(profile).toMatchObject({
        join_project_count: 3,
        done_project_count: 3,
        credit_score: '3.7',
        punctuality_score: '4.3',
      });
      const doctorProfile = (await as(d1.token).get('/user').expect(200)).body.data;
      expect(doctorProfile).toMatchObject({
        patient_count: 2,
        visits_count: 2,
        service_time_long: 180,
        score: '4.0',
      });
    });
  });
});
