import {
  IDNOS,
  joinProject,
  makeDoctor,
  makePatient,
  publishProject,
  slotOf,
} from '../support/clinic-factories';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';

interface ReadRow {
  actor_role: string;
  actor_id: number;
  user_id: number;
  record_type: string;
  record_id: number;
  route: string;
  ip: string;
  request_id: string;
  created_at: Date;
}

type Project = Awaited<ReturnType<typeof publishProject>>;

describe('audit of reads of patients’ records and ID numbers', () => {
  let t: TestApp;
  let admin: string;
  let operatorId: number;
  let doctor: Account;
  let otherDoctor: Account;
  let assistant: Account;
  let patient: Account;
  /** Bound to the assistant, who booked for them. */
  let bound: Account;
  let project: Project;
  let patientBooking: number;
  let assistantBooking: number;

  const as = (who: Account | string) => {
    const token = typeof who === 'string' ? who : who.token;
    return {
      get: (path: string) => t.http.get(path).set('X-auth-token', token),
      post: (path: string, body: object = {}) => t.http.post(path).set('X-auth-token', token).send(body),
    };
  };

  /** The read-audit rows written while `fn` ran (nothing else runs meanwhile). */
  async function readsDuring(fn: () => Promise<unknown>): Promise<ReadRow[]> {
    const [{ last }] = await t.db.query<{ last: string }[]>(
      'SELECT coalesce(max(id), 0) AS last FROM read_audit',
    );
    await fn();
    return t.db.query<ReadRow[]>(
      `SELECT actor_role, actor_id, user_id, record_type, record_id, route, ip, request_id, created_at
       FROM read_audit WHERE id > $1 ORDER BY id`,
      [last],
    );
  }
  const brief = (rows: ReadRow[]) =>
    rows.map((r) => [r.actor_role, r.actor_id, r.user_id, r.record_type, r.record_id, r.route]);

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    [{ id: operatorId }] = await t.db.query<{ id: number }[]>('SELECT id FROM operator');
    doctor = await makeDoctor(t);
    otherDoctor = await makeDoctor(t);
    assistant = await registerAccount(t.http, 3);
    patient = await makePatient(t);
    bound = await makePatient(t, '李四');
    await t.db.query('INSERT INTO assistant_patient (assistant_id, patient_id) VALUES ($1, $2)', [
      assistant.id,
      bound.id,
    ]);
    project = await publishProject(t, doctor);
    patientBooking = await joinProject(t, patient, project);
    await as(assistant)
      .post(`/assistant/join/project/${project.id}`, { user_id: bound.id, plan_time: slotOf(project, 1) })
      .expect(200);
    [{ id: assistantBooking }] = await t.db.query<{ id: number }[]>(
      'SELECT id FROM diagnosis WHERE user_id = $1',
      [bound.id],
    );
  });
  afterAll(() => t.close());

  describe('doctors', () => {
    it('GET /diagnoses/{id}: who, whose record, which route, from where, in the request', async () => {
      let requestId = '';
      const rows = await readsDuring(async () => {
        const res = await as(doctor).get(`/diagnoses/${patientBooking}`).expect(200);
        requestId = res.headers['x-request-id'];
      });
      expect(brief(rows)).toEqual([
        ['doctor', doctor.id, patient.id, 'diagnosis', patientBooking, 'GET /diagnoses/:id'],
      ]);
      expect(rows[0].request_id).toBe(requestId);
      expect(rows[0].ip).not.toBe('');
      expect(Date.now() - rows[0].created_at.getTime()).toBeLessThan(60_000);
    });

    it('GET /project/{id}/patient: every booking shown, in one multi-row insert', async () => {
      const rows = await readsDuring(() => as(doctor).get(`/project/${project.id}/patient`).expect(200));
      expect(brief(rows)).toEqual([
        ['doctor', doctor.id, patient.id, 'diagnosis', patientBooking, 'GET /project/:id/patient'],
        ['doctor', doctor.id, bound.id, 'diagnosis', assistantBooking, 'GET /project/:id/patient'],
      ]);
      // One statement: the rows share its transaction's timestamp.
      expect(new Set(rows.map((r) => r.created_at.getTime())).size).toBe(1);
    });

    it('GET /doctor/project/patient and GET /doctor/comment', async () => {
      const listed = await readsDuring(() => as(doctor).get('/doctor/project/patient').expect(200));
      expect(brief(listed).map((r) => r[4])).toEqual([assistantBooking, patientBooking]);
      expect(listed.every((r) => r.route === 'GET /doctor/project/patient')).toBe(true);

      await t.db.query('UPDATE diagnosis SET doctor_score = 5, patient_comment_time = now() WHERE id = $1', [
        patientBooking,
      ]);
      const rated = await readsDuring(() => as(doctor).get('/doctor/comment').expect(200));
      expect(brief(rated)).toEqual([
        ['doctor', doctor.id, patient.id, 'diagnosis', patientBooking, 'GET /doctor/comment'],
      ]);
    });

    it('GET /all_diagnoses/{patient_id}: the patient’s whole history', async () => {
      const rows = await readsDuring(() => as(doctor).get(`/all_diagnoses/${patient.id}`).expect(200));
      expect(brief(rows)).toEqual([
        ['doctor', doctor.id, patient.id, 'diagnosis', patientBooking, 'GET /all_diagnoses/:id'],
      ]);
    });

    it('a refused read records nothing; masked and public views record nothing', async () => {
      const rows = await readsDuring(async () => {
        expectError(await as(otherDoctor).get(`/diagnoses/${patientBooking}`), 404, 30011);
        expectError(await as(otherDoctor).get(`/all_diagnoses/${patient.id}`), 403, 30018);
        const masked = await as(doctor).get(`/user/${patient.id}`).expect(200);
        expect(masked.body.data.idno).toBe('1101**********002X');
        await as(patient).get(`/doctor/${doctor.id}/comment`).expect(200);
      });
      expect(rows).toEqual([]);
    });
  });

  describe('assistants', () => {
    it('GET /assistant/patient: each bound patient’s whole ID number', async () => {
      const rows = await readsDuring(() => as(assistant).get('/assistant/patient').expect(200));
      expect(brief(rows)).toEqual([
        ['assistant', assistant.id, bound.id, 'idno', bound.id, 'GET /assistant/patient'],
      ]);
    });

    it('GET /assistant/project/{id}/patient (either spelling): the booking and the bound patient’s ID number', async () => {
      for (const spelling of ['paitient', 'patient']) {
        const rows = await readsDuring(() =>
          as(assistant).get(`/assistant/project/${project.id}/${spelling}`).expect(200),
        );
        expect(brief(rows)).toEqual([
          [
            'assistant',
            assistant.id,
            bound.id,
            'diagnosis',
            assistantBooking,
            `GET /assistant/project/:id/${spelling}`,
          ],
          ['assistant', assistant.id, bound.id, 'idno', bound.id, `GET /assistant/project/:id/${spelling}`],
        ]);
      }
    });

    it('GET /diagnoses/{id} and GET /user/{id} of a bound patient', async () => {
      const booking = await readsDuring(() =>
        as(assistant).get(`/diagnoses/${assistantBooking}`).expect(200),
      );
      expect(brief(booking)).toEqual([
        ['assistant', assistant.id, bound.id, 'diagnosis', assistantBooking, 'GET /diagnoses/:id'],
      ]);
      const profile = await readsDuring(async () => {
        const res = await as(assistant).get(`/user/${bound.id}`).expect(200);
        expect(res.body.data.idno).toBe(IDNOS[0]);
      });
      expect(brief(profile)).toEqual([
        ['assistant', assistant.id, bound.id, 'idno', bound.id, 'GET /user/:id'],
      ]);
    });

    it('a paid order: the sandbox confirmation and GET /order/query/{sn}', async () => {
      const priced = await publishProject(t, doctor, { price: 50 });
      const join = await as(assistant)
        .post(`/assistant/join/project/${priced.id}`, { user_id: bound.id, plan_time: slotOf(priced) })
        .expect(200);
      const sn = join.body.data.sn as string;
      const confirmed = await readsDuring(() =>
        as(assistant).post(`/payments/sandbox/${sn}/confirm`).expect(200),
      );
      const [{ id }] = await t.db.query<{ id: number }[]>('SELECT id FROM diagnosis WHERE sn = $1', [sn]);
      expect(brief(confirmed)).toEqual([
        ['assistant', assistant.id, bound.id, 'diagnosis', id, 'POST /payments/sandbox/:sn/confirm'],
      ]);
      const queried = await readsDuring(() => as(assistant).get(`/order/query/${sn}`).expect(200));
      expect(brief(queried)).toEqual([
        ['assistant', assistant.id, bound.id, 'diagnosis', id, 'GET /order/query/:sn'],
      ]);
    });
  });

  describe('operators', () => {
    it('GET /diagnoses/{id}: the booking and the patient’s ID number', async () => {
      const rows = await readsDuring(() => as(admin).get(`/diagnoses/${patientBooking}`).expect(200));
      expect(brief(rows)).toEqual([
        ['admin', operatorId, patient.id, 'diagnosis', patientBooking, 'GET /diagnoses/:id'],
        ['admin', operatorId, patient.id, 'idno', patient.id, 'GET /diagnoses/:id'],
      ]);
    });

    it('GET /admin/users: the ID numbers on the page, one row each; accounts without one record nothing', async () => {
      const rows = await readsDuring(() => as(admin).get('/admin/users?page_size=100').expect(200));
      const idnoOwners = await t.db.query<{ id: number }[]>(
        'SELECT id FROM app_user WHERE idno IS NOT NULL ORDER BY id',
      );
      expect(rows.map((r) => r.user_id).sort((a, b) => a - b)).toEqual(idnoOwners.map((r) => r.id));
      expect(rows.every((r) => r.record_type === 'idno' && r.route === 'GET /admin/users')).toBe(true);
      expect(rows.length).toBeGreaterThanOrEqual(4); // two doctors, two patients
    });

    it('GET /user/{id}', async () => {
      const rows = await readsDuring(() => as(admin).get(`/user/${patient.id}`).expect(200));
      expect(brief(rows)).toEqual([['admin', operatorId, patient.id, 'idno', patient.id, 'GET /user/:id']]);
    });
  });

  it('a patient reading their own data is not audited', async () => {
    const rows = await readsDuring(async () => {
      await as(patient).get(`/diagnoses/${patientBooking}`).expect(200);
      await as(patient).get('/custom/diagnoses').expect(200);
      await as(patient).get(`/project/${project.id}/casebook`).expect(200);
      await as(patient).get('/user').expect(200);
      const own = await as(patient).get(`/user/${patient.id}`).expect(200);
      expect(own.body.data.idno).toBe(IDNOS[0]);
    });
    expect(rows).toEqual([]);
  });

  it('a doctor’s or assistant’s own ID number shown to themselves is not audited', async () => {
    const rows = await readsDuring(async () => {
      await as(doctor).get(`/user/${doctor.id}`).expect(200);
      await as(assistant).get(`/user/${assistant.id}`).expect(200);
    });
    expect(rows).toEqual([]);
  });

  describe('GET /admin/audit?kind=read (operators)', () => {
    const reads = (query: string) => as(admin).get(`/admin/audit?kind=read${query}`);

    it('lists the reads newest first, filtered by whose data and by reader', async () => {
      const res = await reads(`&user_id=${patient.id}&page_size=100`).expect(200);
      const list = res.body.data.list as (Record<string, unknown> & { id: number; user_id: number })[];
      expect(list.length).toBeGreaterThan(3);
      expect(list.every((r) => r.user_id === patient.id)).toBe(true);
      expect(list.map((r) => r.id)).toEqual([...list.map((r) => r.id)].sort((a, b) => b - a));
      expect(Object.keys(list[0]).sort()).toEqual([
        'actor_id',
        'actor_role',
        'created_at',
        'id',
        'ip',
        'record_id',
        'record_type',
        'request_id',
        'route',
        'user_id',
      ]);
      const byDoctor = await reads(`&actor_role=doctor&actor_id=${doctor.id}&page_size=100`).expect(200);
      const doctorRows = byDoctor.body.data.list as { actor_role: string; actor_id: number }[];
      expect(doctorRows.length).toBeGreaterThan(0);
      expect(doctorRows.every((r) => r.actor_role === 'doctor' && r.actor_id === doctor.id)).toBe(true);
      const none = await reads(`&actor_role=doctor&actor_id=${otherDoctor.id}`).expect(200);
      expect(none.body.data).toEqual({
        list: [],
        page: { current_page: 1, total_page: 0, count: 0, page_size: 10 },
      });
    });

    it('without kind it is still the log of operators’ writes; bad filters are a 400; apps cannot list', async () => {
      await as(admin).post(`/admin/users/${assistant.id}/verify`, { is_verify: 1 }).expect(200);
      const writes = await as(admin).get('/admin/audit').expect(200);
      expect(writes.body.data.list[0]).toMatchObject({
        action: 'user.verify',
        target_id: String(assistant.id),
      });
      expectError(await as(admin).get('/admin/audit?kind=reads'), 400, 10001);
      expectError(await reads('&actor_role=patient'), 400, 10001);
      expectError(await reads('&user_id=x'), 400, 10001);
      expectError(await as(doctor).get('/admin/audit?kind=read'), 403, 20005);
    });
  });
});
