import { BookingService } from 'src/modules/projects/booking.service';
import {
  joinProject,
  makeDoctor,
  makePatient,
  publishProject,
  shiftProject,
  slotOf,
} from '../support/clinic-factories';
import { Account, expectError } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const OK = { error_code: 0, data: {}, error_message: '' };
/** A clinic firmly in the past at any hour, as DESIGN's "on or after the project date" needs (`shiftProject` moves bookings too). */
const A_DAY_EARLIER = -48 * 60;

type Project = Awaited<ReturnType<typeof publishProject>>;

describe('changing a booking: reject, done, result, ratings (3.2.10–3.2.13, 3.3.17)', () => {
  let t: TestApp;

  const as = (who: Account) => ({
    get: (path: string) => t.http.get(path).set('X-auth-token', who.token),
    post: (path: string, body: object | string = {}) =>
      t.http.post(path).set('X-auth-token', who.token).send(body),
    put: (path: string, body: object | string = {}) =>
      t.http.put(path).set('X-auth-token', who.token).send(body),
  });
  const reject = (who: Account, id: number, body: object = { reject_msg: '医生临时有事' }) =>
    as(who).post(`/diagnoses/${id}/reject`, body);
  const done = (who: Account, id: number) => as(who).get(`/diagnoses/${id}/done`);
  const result = (who: Account, id: number, body: object | string) => as(who).put(`/diagnoses/${id}`, body);
  const rateP = (who: Account, id: number, credit: unknown, punctuality: unknown) =>
    as(who).post(`/doctor/diagnoses/${id}/comment`, {
      patient_credit_score: credit,
      patient_punctuality_score: punctuality,
    });
  const rateD = (who: Account, id: number, body: object) =>
    as(who).post(`/custom/diagnoses/${id}/comment`, body);
  const diagnosis = async (who: Account, id: number) =>
    (await as(who).get(`/diagnoses/${id}`).expect(200)).body.data as Record<string, unknown>;
  const profile = async (who: Account) =>
    (await as(who).get('/user').expect(200)).body.data as Record<string, unknown>;
  const detail = async (who: Account, project: Project) =>
    (await as(who).get(`/project/${project.id}`).expect(200)).body.data as Project & {
      join_people_count: number;
    };
  const latestMessage = async (who: Account) =>
    (await as(who).get('/message?page_size=1').expect(200)).body.data.list[0] as {
      title: string;
      content: string;
    };
  /** Moves a clinic (two hours long) so that it started `minutes` ago: in progress, or over after 120. */
  const startedAgo = async (project: Project, minutes: number) => {
    const [{ ahead }] = await t.db.query<{ ahead: number }[]>(
      `SELECT ceil(extract(epoch FROM starts_at - now()) / 60)::int AS ahead FROM project WHERE id = $1`,
      [project.id],
    );
    await shiftProject(t, project.id, -ahead - minutes);
  };
  /** A doctor's clinic tomorrow with these patients booked (slot n for the n-th), then moved by `shift` minutes. */
  const clinic = async (doctor: Account, patients: Account[], shift = 0) => {
    const project = await publishProject(t, doctor);
    const ids = [];
    for (const [i, p] of patients.entries()) ids.push(await joinProject(t, p, project, i % 4));
    if (shift) await shiftProject(t, project.id, shift);
    return { project, ids };
  };

  beforeAll(async () => {
    t = await startTestApp({ JOBS_WORKERS: 'false' });
  });
  afterAll(() => t.close());

  describe('POST /diagnoses/{id}/reject (3.2.10)', () => {
    let doc: Account, other: Account, patient: Account;
    let project: Project;
    let id: number;

    beforeAll(async () => {
      [doc, other, patient] = await Promise.all([makeDoctor(t), makeDoctor(t), makePatient(t)]);
      ({
        project,
        ids: [id],
      } = await clinic(doc, [patient]));
    });

    it('needs a reason, and only the clinic’s doctor may give it', async () => {
      for (const body of [
        {},
        { reject_msg: '   ' },
        { reject_msg: 'x'.repeat(201) },
        { reject_msg: ['a'] },
      ]) {
        expectError(await reject(doc, id, body), 400, 10001);
      }
      expectError(await reject(other, id), 404, 30011);
      expectError(await reject(doc, 99999999), 404, 30011);
      expectError(await reject(patient, id), 403, 20005);
      expect(await diagnosis(patient, id)).toMatchObject({ verify_status: 1 });
    });

    it('rejects, frees the seat, moves the counters and tells the patient', async () => {
      const before = await detail(patient, project);
      expect(before.plan_time[slotOf(project)]).toBe(4);
      expect(await profile(patient)).toMatchObject({ join_project_count: 1 });

      const res = await t.http
        .post(`/diagnoses/${id}/reject`)
        .set('X-auth-token', doc.token)
        .type('form')
        .send('reject_msg=时间冲突，请改约')
        .expect(200);
      expect(res.body).toEqual(OK);

      const after = await detail(patient, project);
      expect(after.plan_time[slotOf(project)]).toBe(5);
      expect(after).toMatchObject({ join_people_count: 0, is_join: 0 });
      expect(await diagnosis(patient, id)).toMatchObject({
        verify_status: 2,
        reject_msg: '时间冲突，请改约',
        status: 1,
      });
      expect(await profile(patient)).toMatchObject({ join_project_count: 0 });
      const message = await latestMessage(patient);
      expect(message).toMatchObject({ type: 1, title: '预约被拒绝' });
      expect(message.content).toContain('时间冲突，请改约');
    });

    it('refuses a second rejection; the patient may book again', async () => {
      expectError(await reject(doc, id), 422, 30014);
      const again = await joinProject(t, patient, project, 1);
      expect(again).not.toBe(id);
      expect(await diagnosis(patient, again)).toMatchObject({
        verify_status: 1,
        plan_time: slotOf(project, 1),
      });
    });
  });

  describe('GET /diagnoses/{id}/done (3.2.11)', () => {
    let doc: Account, other: Account, p1: Account, p2: Account, p3: Account;

    beforeAll(async () => {
      [doc, other, p1, p2, p3] = await Promise.all([
        makeDoctor(t),
        makeDoctor(t),
        makePatient(t),
        makePatient(t),
        makePatient(t),
      ]);
    });

    it('is refused before the clinic’s date, and to anyone but its doctor', async () => {
      const {
        project,
        ids: [id],
      } = await clinic(doc, [p3]);
      expectError(await done(doc, id), 422, 30015);
      await shiftProject(t, project.id, A_DAY_EARLIER);
      expectError(await done(other, id), 404, 30011);
      expectError(await done(p3, id), 403, 20005);
      expect(await diagnosis(p3, id)).toMatchObject({ status: 1 });
      // Not part of the counter checks below: cancel it again.
      await reject(doc, id).expect(200);
      expectError(await done(doc, id), 422, 30014);
    });

    it('marks seen once, tells the patient, and counts patients, clinics and minutes', async () => {
      const {
        ids: [a, b],
      } = await clinic(doc, [p1, p2], A_DAY_EARLIER);
      await done(doc, a).expect(200, OK);
      expect(await diagnosis(p1, a)).toMatchObject({ status: 3, verify_status: 1 });
      expect(await latestMessage(p1)).toMatchObject({ type: 1, title: '就诊完成' });
      expectError(await done(doc, a), 422, 30014);
      expect(await profile(doc)).toMatchObject({ visits_count: 1, patient_count: 1, service_time_long: 120 });
      expect(await profile(p1)).toMatchObject({ join_project_count: 1, done_project_count: 1 });

      // A second patient in the same clinic: one more patient, the same clinic.
      await done(doc, b).expect(200);
      expect(await profile(doc)).toMatchObject({ visits_count: 1, patient_count: 2, service_time_long: 120 });

      // The first patient again, at another clinic: one more clinic, no new patient.
      const {
        ids: [c],
      } = await clinic(doc, [p1], A_DAY_EARLIER);
      await done(doc, c).expect(200);
      expect(await profile(doc)).toMatchObject({ visits_count: 2, patient_count: 2, service_time_long: 240 });
      expect(await profile(p1)).toMatchObject({ join_project_count: 2, done_project_count: 2 });
      expect(await profile(p2)).toMatchObject({ join_project_count: 1, done_project_count: 1 });
    });

    it('still confirms a visit after the clinic ended and the booking was recorded as a no-show', async () => {
      const patient = await makePatient(t);
      const {
        project,
        ids: [id],
      } = await clinic(doc, [patient]);
      await startedAgo(project, 180);
      const noShows = t.app.get(BookingService);
      expect(await noShows.markNoShows()).toBeGreaterThanOrEqual(1);
      expect(await noShows.markNoShows()).toBe(0);
      expect(await diagnosis(patient, id)).toMatchObject({ status: 2 });
      expect(await latestMessage(patient)).toMatchObject({ type: 1, title: '未到诊' });
      await done(doc, id).expect(200);
      expect(await diagnosis(patient, id)).toMatchObject({ status: 3, confirm_no_refund: 0 });
      expect(await profile(patient)).toMatchObject({ done_project_count: 1 });
    });

    it('counts a patient once when their visits at two clinics are confirmed at the same moment', async () => {
      const [doctor, patient] = await Promise.all([makeDoctor(t), makePatient(t)]);
      const first = await clinic(doctor, [patient], A_DAY_EARLIER);
      const second = await clinic(doctor, [patient], A_DAY_EARLIER);
      await Promise.all([done(doctor, first.ids[0]).expect(200), done(doctor, second.ids[0]).expect(200)]);
      expect(await profile(doctor)).toMatchObject({
        patient_count: 1,
        visits_count: 2,
        service_time_long: 240,
      });
    });

    it('counts a visit once when the doctor confirms it several times at once', async () => {
      const patient = await makePatient(t);
      const {
        ids: [id],
      } = await clinic(doc, [patient], A_DAY_EARLIER);
      const statuses = (await Promise.all(Array.from({ length: 6 }, () => done(doc, id)))).map(
        (r) => r.status,
      );
      expect(statuses.sort()).toEqual([200, 422, 422, 422, 422, 422]);
      expect(await profile(patient)).toMatchObject({ done_project_count: 1 });
    });
  });

  describe('PUT /diagnoses/{id} (3.2.13)', () => {
    let doc: Account, other: Account, p1: Account, p2: Account;
    let project: Project;
    let a: number, b: number;

    beforeAll(async () => {
      [doc, other, p1, p2] = await Promise.all([
        makeDoctor(t),
        makeDoctor(t),
        makePatient(t),
        makePatient(t),
      ]);
      ({
        project,
        ids: [a, b],
      } = await clinic(doc, [p1, p2]));
    });

    it('is refused before the visit, without a result, and to anyone but the clinic’s doctor', async () => {
      expectError(await result(doc, a, { diag_result: '上呼吸道感染' }), 422, 30014);
      await startedAgo(project, 30);
      for (const body of [{}, { diag_result: ' ' }, { diag_result: '好', diag_photo: ['not a url'] }]) {
        expectError(await result(doc, a, body), 400, 10001);
      }
      expectError(await result(other, a, { diag_result: '好' }), 404, 30011);
      expectError(await result(p1, a, { diag_result: '好' }), 403, 20005);
    });

    it('records the result while the booking is being seen, and after', async () => {
      await result(doc, a, { diag_result: '上呼吸道感染', diag_photo: ['http://files.test/r1.png'] }).expect(
        200,
        OK,
      );
      expect(await diagnosis(p1, a)).toMatchObject({
        status: 1,
        diag_result: '上呼吸道感染',
        diag_photo: ['http://files.test/r1.png'],
      });
      await done(doc, a).expect(200);
      // A form body with the photos as a JSON string, as the seed's apps send arrays.
      await t.http
        .put(`/diagnoses/${a}`)
        .set('X-auth-token', doc.token)
        .type('form')
        .send({
          diag_result: '已好转',
          diag_photo: '["http://files.test/r2.png","http://files.test/r3.png"]',
        })
        .expect(200);
      expect(await diagnosis(doc, a)).toMatchObject({
        diag_result: '已好转',
        diag_photo: ['http://files.test/r2.png', 'http://files.test/r3.png'],
      });
      // Without diag_photo the photos stay.
      await result(doc, a, { diag_result: '痊愈' }).expect(200);
      expect(await diagnosis(doc, a)).toMatchObject({ diag_result: '痊愈', diag_photo: expect.any(Array) });
      expect(((await diagnosis(doc, a)).diag_photo as string[]).length).toBe(2);
    });

    it('is refused on a rejected booking and on a no-show', async () => {
      await reject(doc, b).expect(200);
      expectError(await result(doc, b, { diag_result: '好' }), 422, 30014);
      const patient = await makePatient(t);
      const {
        project: over,
        ids: [c],
      } = await clinic(doc, [patient]);
      await startedAgo(over, 180);
      await t.app.get(BookingService).markNoShows();
      expectError(await result(doc, c, { diag_result: '好' }), 422, 30014);
    });
  });

  describe('POST /doctor/diagnoses/{id}/comment (3.2.12)', () => {
    let doc: Account, other: Account, patient: Account;
    let seen: number[];
    let waiting: number;

    beforeAll(async () => {
      [doc, other, patient] = await Promise.all([makeDoctor(t), makeDoctor(t), makePatient(t)]);
      const first = await clinic(doc, [patient], A_DAY_EARLIER);
      const second = await clinic(doc, [patient], A_DAY_EARLIER);
      seen = [first.ids[0], second.ids[0]];
      for (const id of seen) await done(doc, id).expect(200);
      ({
        ids: [waiting],
      } = await clinic(doc, [patient]));
    });

    it('is refused before the visit is seen, with scores outside 1..5, and to others', async () => {
      expectError(await rateP(doc, waiting, 5, 5), 422, 30017);
      for (const [credit, punctuality] of [
        [0, 3],
        [6, 3],
        [3, 4.5],
        ['x', 3],
        [undefined, 3],
        [3, null],
      ]) {
        expectError(await rateP(doc, seen[0], credit, punctuality), 400, 10001);
      }
      expectError(await rateP(other, seen[0], 5, 5), 404, 30011);
      expectError(await rateP(patient, seen[0], 5, 5), 403, 20005);
      expect(await profile(patient)).toMatchObject({ credit_score: '0.0', punctuality_score: '0.0' });
    });

    it('rates once; the patient’s scores are the means of the ratings', async () => {
      await rateP(doc, seen[0], 5, 4).expect(200, OK);
      const d = await diagnosis(patient, seen[0]);
      expect(d).toMatchObject({ patient_credit_score: 5, patient_punctuality_score: 4 });
      expect(d.doctor_comment_time).toMatch(DATETIME);
      expectError(await rateP(doc, seen[0], 1, 1), 409, 30016);
      expect(await profile(patient)).toMatchObject({ credit_score: '5.0', punctuality_score: '4.0' });

      // Form-encoded numbers count as numbers.
      await t.http
        .post(`/doctor/diagnoses/${seen[1]}/comment`)
        .set('X-auth-token', doc.token)
        .type('form')
        .send('patient_credit_score=2&patient_punctuality_score=3')
        .expect(200);
      expect(await profile(patient)).toMatchObject({ credit_score: '3.5', punctuality_score: '3.5' });
    });
  });

  describe('POST /custom/diagnoses/{id}/comment (3.3.17)', () => {
    let doc: Account, patient: Account, someoneElse: Account;
    let seen: number[];
    let waiting: number;
    let theirs: number;

    beforeAll(async () => {
      [doc, patient, someoneElse] = await Promise.all([makeDoctor(t), makePatient(t), makePatient(t)]);
      const first = await clinic(doc, [patient, someoneElse], A_DAY_EARLIER);
      const second = await clinic(doc, [patient], A_DAY_EARLIER);
      const third = await clinic(doc, [patient], A_DAY_EARLIER);
      seen = [first.ids[0], second.ids[0], third.ids[0]];
      theirs = first.ids[1];
      for (const id of [...seen, theirs]) await done(doc, id).expect(200);
      ({
        ids: [waiting],
      } = await clinic(doc, [patient]));
    });

    it('is refused before the visit, with a bad score or comment, and on someone else’s booking', async () => {
      expectError(await rateD(patient, waiting, { doctor_score: 5, doctor_comment: '好' }), 422, 30017);
      for (const body of [
        { doctor_score: 0, doctor_comment: '好' },
        { doctor_score: 6, doctor_comment: '好' },
        { doctor_score: 'x', doctor_comment: '好' },
        { doctor_comment: '好' },
        { doctor_score: 5 },
        { doctor_score: 5, doctor_comment: '  ' },
        { doctor_score: 5, doctor_comment: '好'.repeat(201) },
      ]) {
        expectError(await rateD(patient, seen[0], body), 400, 10001);
      }
      expectError(await rateD(patient, theirs, { doctor_score: 5, doctor_comment: '好' }), 404, 30011);
      expectError(await rateD(patient, 99999999, { doctor_score: 5, doctor_comment: '好' }), 404, 30011);
      expectError(await rateD(doc, seen[0], { doctor_score: 5, doctor_comment: '好' }), 403, 20005);
    });

    it('rates once; the doctor’s score is the mean; the rating moves between the lists', async () => {
      expect((await as(patient).get('/custom/need/comment').expect(200)).body.data.page.count).toBe(3);
      await rateD(patient, seen[0], { doctor_score: 5, doctor_comment: '好'.repeat(200) }).expect(200, OK);
      const d = await diagnosis(doc, seen[0]);
      expect(d).toMatchObject({ doctor_score: 5, doctor_comment: '好'.repeat(200) });
      expect(d.patient_comment_time).toMatch(DATETIME);
      expectError(await rateD(patient, seen[0], { doctor_score: 1, doctor_comment: '差' }), 409, 30016);
      expect(await profile(doc)).toMatchObject({ score: '5.0' });

      await rateD(patient, seen[1], { doctor_score: '4', doctor_comment: '耐心' }).expect(200);
      expect(await profile(doc)).toMatchObject({ score: '4.5' });

      const need = (await as(patient).get('/custom/need/comment').expect(200)).body.data;
      expect(need.list.map((x: { id: number }) => x.id)).toEqual([seen[2]]);
      const mine = (await as(doc).get('/doctor/comment').expect(200)).body.data;
      expect(mine.list.map((x: { id: number }) => x.id).sort()).toEqual([seen[0], seen[1]].sort());
      const pub = (await as(someoneElse).get(`/doctor/${doc.id}/comment`).expect(200)).body.data;
      expect(pub.page.count).toBe(2);
    });

    it('accepts one of many simultaneous ratings of the same visit', async () => {
      const statuses = (
        await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            rateD(patient, seen[2], { doctor_score: 1 + (i % 5), doctor_comment: '好' }),
          ),
        )
      ).map((r) => r.status);
      expect(statuses.sort()).toEqual([200, 409, 409, 409, 409, 409]);
      const [row] = await t.db.query<{ score_count: number }[]>(
        'SELECT score_count FROM user_stat WHERE user_id = $1',
        [doc.id],
      );
      expect(row.score_count).toBe(3);
    });
  });

  it('keeps every profile counter equal to what the bookings say', async () => {
    const doctors = await t.db.query<{ id: number }[]>(`SELECT DISTINCT doctor_user_id AS id FROM diagnosis`);
    expect(doctors.length).toBeGreaterThanOrEqual(6);
    for (const { id } of doctors) {
      const [expected] = await t.db.query<Record<string, string>[]>(
        `SELECT count(DISTINCT d.user_id) FILTER (WHERE d.status = 3)::int AS patient_count,
                count(DISTINCT d.project_id) FILTER (WHERE d.status = 3)::int AS visits_count,
                COALESCE(to_char(avg(d.doctor_score), 'FM0.0'), '0.0') AS score
         FROM diagnosis d WHERE d.doctor_user_id = $1`,
        [id],
      );
      const [stat] = await t.db.query<Record<string, number>[]>(
        `SELECT patient_count, visits_count, score_sum, score_count FROM user_stat WHERE user_id = $1`,
        [id],
      );
      const score = stat?.score_count ? (stat.score_sum / stat.score_count).toFixed(1) : '0.0';
      expect({
        id,
        patient_count: stat?.patient_count ?? 0,
        visits_count: stat?.visits_count ?? 0,
        score,
      }).toEqual({
        id,
        ...expected,
      });
    }
    const patients = await t.db.query<{ id: number }[]>(`SELECT DISTINCT user_id AS id FROM diagnosis`);
    for (const { id } of patients) {
      const [expected] = await t.db.query<Record<string, number>[]>(
        `SELECT count(*) FILTER (WHERE verify_status = 1)::int AS join_project_count,
                count(*) FILTER (WHERE status = 3)::int AS done_project_count,
                COALESCE(sum(patient_credit_score), 0)::int AS credit_sum,
                count(patient_credit_score)::int AS credit_count
         FROM diagnosis WHERE user_id = $1`,
        [id],
      );
      const [stat] = await t.db.query<Record<string, number>[]>(
        `SELECT join_project_count, done_project_count, credit_sum, credit_count FROM user_stat WHERE user_id = $1`,
        [id],
      );
      expect({ id, ...stat }).toEqual({ id, ...expected });
    }
  });
});
