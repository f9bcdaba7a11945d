import {
  bulkPatients,
  joinProject,
  makeDoctor,
  makePatient,
  publishProject,
  shiftProject,
  slotOf,
} from '../support/clinic-factories';
import { BookingService } from 'src/modules/projects/booking.service';
import { Account, expectError, registerAccount } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const RACE_RUNS = Number(process.env.BOOKING_RACE_RUNS ?? 20);

describe('joining and leaving a free clinic (3.3.4, 3.3.5)', () => {
  let t: TestApp;
  let doctor: Account;
  beforeAll(async () => {
    t = await startTestApp();
    doctor = await makeDoctor(t);
  });
  afterAll(() => t.close());

  const join = (who: Account, projectId: number, body: object) =>
    t.http.post(`/project/${projectId}/join`).set('X-auth-token', who.token).send(body);
  const detail = async (who: Account, id: number) =>
    (await t.http.get(`/project/${id}`).set('X-auth-token', who.token).expect(200)).body.data as Record<
      string,
      unknown
    > & {
      plan_time: Record<string, number>;
    };

  describe('join', () => {
    it('books a seat: the slot and the count move, the casebook is stored, the patient is told', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor);
      const label = slotOf(project, 1);
      const res = await join(patient, project.id, {
        content: '高血压复诊',
        photo: ['http://files.test/a.png'],
        plan_time: label,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });
      const after = await detail(patient, project.id);
      expect(after.plan_time[label]).toBe(project.plan_time[label] - 1);
      expect(after).toMatchObject({ join_people_count: 1, is_join: 1, op_cancel: 1 });
      const [booking] = await t.db.query<Record<string, unknown>[]>(
        `SELECT d.verify_status, d.status, d.amount_fen, c.content, c.photo FROM diagnosis d JOIN casebook c ON c.id = d.casebook_id
         WHERE d.project_id = $1 AND d.user_id = $2`,
        [project.id, patient.id],
      );
      expect(booking).toEqual({
        verify_status: 1,
        status: 1,
        amount_fen: 0,
        content: '高血压复诊',
        photo: ['http://files.test/a.png'],
      });
      const messages = await t.http.get('/message').set('X-auth-token', patient.token).expect(200);
      expect(messages.body.data.list[0]).toMatchObject({ type: 1, title: '预约成功' });
      const me = await t.http.get('/user').set('X-auth-token', patient.token).expect(200);
      expect(me.body.data.join_project_count).toBe(1);
    });

    it.each([
      ['content missing', { plan_time: '09:00:00 - 09:30:00' }, 'content'],
      ['plan_time missing', { content: 'x' }, 'plan_time'],
      ['plan_time malformed', { content: 'x', plan_time: '9点' }, 'plan_time'],
      [
        'four photos',
        {
          content: 'x',
          plan_time: '09:00:00 - 09:30:00',
          photo: ['http://a/1', 'http://a/2', 'http://a/3', 'http://a/4'],
        },
        'photo',
      ],
      [
        'a photo that is not a URL',
        { content: 'x', plan_time: '09:00:00 - 09:30:00', photo: ['x'] },
        'photo',
      ],
    ])('rejects %s (400 naming the field) and stores nothing', async (_, body, field) => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor);
      const res = await join(patient, project.id, body);
      expectError(res, 400, 10001);
      expect(res.body.data.field).toBe(field);
      const [{ n }] = await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM diagnosis WHERE project_id = $1',
        [project.id],
      );
      expect(n).toBe(0);
    });

    it('refuses a slot the clinic does not have (422 30005)', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor);
      expectError(
        await join(patient, project.id, { content: 'x', plan_time: '03:00:00 - 03:30:00' }),
        422,
        30005,
      );
    });

    it('needs a patient profile with name and ID number (422 30009)', async () => {
      const bare = await registerAccount(t.http, 1);
      const project = await publishProject(t, doctor);
      expectError(await join(bare, project.id, { content: 'x', plan_time: slotOf(project) }), 422, 30009);
    });

    it('is for patients only: doctors and assistants get 403, no token 401', async () => {
      const project = await publishProject(t, doctor);
      const assistant = await registerAccount(t.http, 3);
      const body = { content: 'x', plan_time: slotOf(project) };
      expectError(await join(doctor, project.id, body), 403, 20005);
      expectError(await join(assistant, project.id, body), 403, 20005);
      expectError(await t.http.post(`/project/${project.id}/join`).send(body), 401, 20001);
    });

    it('refuses unknown, cancelled and ended clinics, and slots already started', async () => {
      const patient = await makePatient(t);
      expectError(
        await join(patient, 99999999, { content: 'x', plan_time: '09:00:00 - 09:30:00' }),
        404,
        30001,
      );
      const cancelled = await publishProject(t, doctor);
      await t.http.get(`/project/${cancelled.id}/cancel`).set('X-auth-token', doctor.token).expect(200);
      expectError(
        await join(patient, cancelled.id, { content: 'x', plan_time: slotOf(cancelled) }),
        422,
        30004,
      );
      const ended = await publishProject(t, doctor);
      await shiftProject(t, ended.id, -3 * 24 * 60);
      expectError(await join(patient, ended.id, { content: 'x', plan_time: slotOf(ended) }), 422, 30004);
      const running = await publishProject(t, doctor);
      // Started 40 minutes ago: the first slot has begun, a later one is still open.
      const [{ mins }] = await t.db.query<{ mins: number }[]>(
        `SELECT extract(epoch FROM (starts_at - now())) / 60 AS mins FROM project WHERE id = $1`,
        [running.id],
      );
      await shiftProject(t, running.id, -Math.ceil(Number(mins)) - 40);
      expectError(
        await join(patient, running.id, { content: 'x', plan_time: slotOf(running, 0) }),
        422,
        30007,
      );
      expect((await join(patient, running.id, { content: 'x', plan_time: slotOf(running, 3) })).status).toBe(
        200,
      );
    });

    it('allows one active booking per patient per clinic, even when requests race', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor);
      const results = await Promise.all(
        [0, 1, 2, 3].flatMap((slot) => [
          join(patient, project.id, { content: 'x', plan_time: slotOf(project, slot) }),
          join(patient, project.id, { content: 'y', plan_time: slotOf(project, slot) }),
        ]),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 30008);
      expect((await detail(patient, project.id)).join_people_count).toBe(1);
    });

    it('the database itself refuses a second active booking (partial unique index)', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor);
      const id = await joinProject(t, patient, project);
      await expect(
        t.db.query(
          `INSERT INTO diagnosis (project_id, slot_id, user_id, doctor_user_id, casebook_id, verify_status, visit_time)
           SELECT project_id, slot_id, user_id, doctor_user_id, casebook_id, 1, visit_time FROM diagnosis WHERE id = $1`,
          [id],
        ),
      ).rejects.toThrow(/uq_diagnosis_active_per_patient/);
    });

    it('answers a full slot with one clear code (422 30006)', async () => {
      const [a, b] = await bulkPatients(t, 2);
      const project = await publishProject(t, doctor, { people_count: 4 });
      await joinProject(t, a, project, 0);
      expectError(await join(b, project.id, { content: 'x', plan_time: slotOf(project, 0) }), 422, 30006);
      expect((await detail(b, project.id)).progress_status).toBe(1);
    });
  });

  describe('no overbooking under concurrency', () => {
    it(`200 simultaneous joins on a 7-seat slot give exactly 7 bookings, ${RACE_RUNS} times over`, async () => {
      const patients = await bulkPatients(t, 200);
      for (let run = 0; run < RACE_RUNS; run += 1) {
        // 74 people over 15:23–20:53: the first slot has 7 seats.
        const project = await publishProject(t, doctor, {
          begin: '15:23:00',
          end: '20:53:00',
          people_count: 74,
        });
        const label = slotOf(project, 0);
        expect(project.plan_time[label]).toBe(7);
        const results = await Promise.all(
          patients.map((p) => join(p, project.id, { content: '排队', plan_time: label })),
        );
        const ok = results.filter((r) => r.status === 200);
        const refused = results.filter((r) => r.status !== 200);
        expect(ok).toHaveLength(7);
        expect(refused).toHaveLength(193);
        expect(new Set(refused.map((r) => `${r.status} ${r.body.error_code}`))).toEqual(
          new Set(['422 30006']),
        );
        const [state] = await t.db.query<{ remaining: number; bookings: number; joined: number }[]>(
          `SELECT s.remaining, (SELECT count(*)::int FROM diagnosis d WHERE d.slot_id = s.id) AS bookings,
                  (SELECT join_people_count FROM project WHERE id = s.project_id) AS joined
           FROM project_slot s WHERE s.project_id = $1 AND s.idx = 0`,
          [project.id],
        );
        expect(state).toEqual({ remaining: 0, bookings: 7, joined: 7 });
      }
    }, 300_000);
  });

  describe('a thousand at once', () => {
    it('1,000 simultaneous joins on a 7-seat slot: 7 bookings, 993 refusals, no 5xx', async () => {
      const patients = await bulkPatients(t, 1000);
      const project = await publishProject(t, doctor, {
        begin: '15:23:00',
        end: '20:53:00',
        people_count: 74,
      });
      const label = slotOf(project, 0);
      const results = await Promise.all(
        patients.map((p) => join(p, project.id, { content: '排队', plan_time: label })),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(7);
      expect(results.filter((r) => r.status === 422 && r.body.error_code === 30006)).toHaveLength(993);
      expect((await detail(patients[0], project.id)).plan_time[label]).toBe(0);
    }, 120_000);
  });

  describe('a seat held for an unpaid deposit', () => {
    it('is held with verify_status 0, then released once PAYMENT_TIMEOUT_MINUTES pass (idempotently)', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor, { price: 50 });
      const label = slotOf(project, 0);
      const id = await joinProject(t, patient, project, 0);
      const held = await detail(patient, project.id);
      expect(held).toMatchObject({ price: 50, join_people_count: 1, is_join: 1 });
      expect(held.plan_time[label]).toBe(project.plan_time[label] - 1);
      const [row] = await t.db.query<{ verify_status: number; amount_fen: number }[]>(
        'SELECT verify_status, amount_fen FROM diagnosis WHERE id = $1',
        [id],
      );
      expect(row).toEqual({ verify_status: 0, amount_fen: 5000 });
      // An unpaid hold does not count as a successful booking.
      expect(
        (await t.http.get('/user').set('X-auth-token', patient.token)).body.data.join_project_count,
      ).toBe(0);

      const bookings = t.app.get(BookingService);
      expect(await bookings.releaseUnpaidHolds()).toBe(0); // not yet expired
      await t.db.query(`UPDATE diagnosis SET created_at = now() - interval '16 minutes' WHERE id = $1`, [id]);
      expect(await bookings.releaseUnpaidHolds()).toBe(1);
      expect(await bookings.releaseUnpaidHolds()).toBe(0);
      const after = await detail(patient, project.id);
      expect(after).toMatchObject({ join_people_count: 0, is_join: 0 });
      expect(after.plan_time[label]).toBe(project.plan_time[label]);
      const [{ verify_status }] = await t.db.query<{ verify_status: number }[]>(
        'SELECT verify_status FROM diagnosis WHERE id = $1',
        [id],
      );
      expect(verify_status).toBe(3);
      const messages = await t.http.get('/message').set('X-auth-token', patient.token).expect(200);
      expect(messages.body.data.list[0]).toMatchObject({ type: 1, title: '预约已失效' });
      // The seat is free again: the patient may hold it anew.
      await joinProject(t, patient, project, 0);
    });

    it('is scheduled in the job queue every minute', async () => {
      const rows = await t.db.query<{ cron: string }[]>(
        `SELECT cron FROM pgboss.schedule WHERE name = 'bookings.release-unpaid-holds'`,
      );
      expect(rows).toEqual([{ cron: '* * * * *' }]);
    });
  });

  describe('cancel by the patient (3.3.5)', () => {
    it('cancels before the deadline: the seat returns, the patient may book again', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor);
      await joinProject(t, patient, project, 2);
      await t.http.get(`/custom/project/${project.id}/cancel`).set('X-auth-token', patient.token).expect(200);
      const after = await detail(patient, project.id);
      expect(after).toMatchObject({ join_people_count: 0, is_join: 0, op_cancel: 0 });
      expect(after.plan_time[slotOf(project, 2)]).toBe(project.plan_time[slotOf(project, 2)]);
      const [{ verify_status }] = await t.db.query<{ verify_status: number }[]>(
        'SELECT verify_status FROM diagnosis WHERE project_id = $1 AND user_id = $2',
        [project.id, patient.id],
      );
      expect(verify_status).toBe(3);
      await joinProject(t, patient, project, 2);
      const me = await t.http.get('/user').set('X-auth-token', patient.token).expect(200);
      expect(me.body.data.join_project_count).toBe(1);
    });

    it('refuses inside the deadline (422 30013), without a booking (404 30012), and for other roles (403)', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor);
      expectError(
        await t.http.get(`/custom/project/${project.id}/cancel`).set('X-auth-token', patient.token),
        404,
        30012,
      );
      await joinProject(t, patient, project, 0);
      const [{ mins }] = await t.db.query<{ mins: number }[]>(
        `SELECT extract(epoch FROM (starts_at - now())) / 60 AS mins FROM project WHERE id = $1`,
        [project.id],
      );
      await shiftProject(t, project.id, -Math.floor(Number(mins)) + 60); // the slot now starts in an hour
      expect((await detail(patient, project.id)).op_cancel).toBe(0);
      expectError(
        await t.http.get(`/custom/project/${project.id}/cancel`).set('X-auth-token', patient.token),
        422,
        30013,
      );
      expectError(
        await t.http.get(`/custom/project/${project.id}/cancel`).set('X-auth-token', doctor.token),
        403,
        20005,
      );
      expectError(
        await t.http.get('/custom/project/abc/cancel').set('X-auth-token', patient.token),
        400,
        10001,
      );
    });
  });
});
