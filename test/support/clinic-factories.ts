import { randomUUID } from 'node:crypto';
import { User, UserType, VerifyState } from 'src/modules/users/user.entity';
import { Account, registerAccount } from './factories';
import type { TestApp } from './test-app';

/** Valid resident ID numbers (check digits computed), for filling patient and doctor profiles. */
export const IDNOS = ['11010519491231002X', '110101199003074514', '440301198501010014'];

let hospitalSeq = 0;

/** A hospital row, returned by id. */
export async function makeHospital(t: TestApp, name = `测试医院${++hospitalSeq}`): Promise<number> {
  const [row] = await t.db.query<{ id: number }[]>(
    `INSERT INTO hospital (name, province_id, province_name, city_id, city_name) VALUES ($1, 110000, '北京市', 110100, '北京市') RETURNING id`,
    [name],
  );
  return row.id;
}

/** A doctor who may publish: registered, profile complete (hospital, department), verified. */
export async function makeDoctor(
  t: TestApp,
  over: { departments?: string; hospitalId?: number; name?: string } = {},
): Promise<Account> {
  const doctor = await registerAccount(t.http, 2);
  const hospitalId = over.hospitalId ?? (await makeHospital(t));
  // Through the entity: the ID number is sealed at rest.
  await t.db.getRepository(User).update(doctor.id, {
    realName: over.name ?? '李医生',
    idno: IDNOS[1],
    hospitalId,
    departments: over.departments ?? '内科',
    jobPosition: '主任医师',
    goodAt: '常见病',
    workPhoto: ['http://files.test/p.png'],
    isVerify: VerifyState.Active,
  });
  return doctor;
}

/** A patient whose profile has the name and ID number a booking needs. */
export async function makePatient(t: TestApp, name = '张三'): Promise<Account> {
  const patient = await registerAccount(t.http, 1);
  await t.db
    .getRepository(User)
    .update(patient.id, { realName: name, idno: IDNOS[0], sex: 2, birthday: '1949-12-31' });
  return patient;
}

/** Tomorrow's date in the platform zone (Asia/Shanghai), `YYYY-MM-DD`. */
export function shanghaiDate(offsetDays: number): string {
  return new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export interface ProjectInput {
  date?: string;
  begin?: string;
  end?: string;
  people_count?: number;
  price?: number;
  lng?: number;
  lat?: number;
  addr?: string;
  abstract?: string;
  service_target?: string[];
}

/** A complete `POST /project` body: 09:00–11:00 `daysAhead` days from now, 20 people, free, in Beijing. */
export function clinicBody<T extends object = ProjectInput>(daysAhead: number, over?: T) {
  return {
    date: shanghaiDate(daysAhead),
    begin: '09:00:00',
    end: '11:00:00',
    people_count: 20,
    lng: 116.397,
    lat: 39.909,
    addr: '北京市东城区',
    service_target: ['老年人'],
    abstract: '社区义诊',
    price: 0,
    ...over,
  };
}

/** Publishes a clinic through the API (tomorrow 09:00–11:00, 20 people, free, in Beijing by default); returns its object. */
export async function publishProject(t: TestApp, doctor: Account, over: ProjectInput = {}) {
  const res = await t.http.post('/project').set('X-auth-token', doctor.token).send(clinicBody(1, over));
  if (res.status !== 200) throw new Error(`publish failed: ${JSON.stringify(res.body)}`);
  return res.body.data as { id: number; plan_time: Record<string, number> } & Record<string, unknown>;
}

/** The label of a clinic's n-th slot (`"09:00:00 - 09:30:00"`). */
export const slotOf = (project: { plan_time: Record<string, number> }, n = 0): string =>
  Object.keys(project.plan_time)[n];

/** Books a slot for the patient through the API; returns the booking (diagnosis) id. */
export async function joinProject(
  t: TestApp,
  patient: Account,
  project: { id: number; plan_time: Record<string, number> },
  n = 0,
) {
  const res = await t.http
    .post(`/project/${project.id}/join`)
    .set('X-auth-token', patient.token)
    .send({ content: '头痛三天', photo: ['http://files.test/c.png'], plan_time: slotOf(project, n) });
  if (res.status !== 200) throw new Error(`join failed: ${JSON.stringify(res.body)}`);
  const [row] = await t.db.query<{ id: number }[]>(
    `SELECT id FROM diagnosis WHERE project_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT 1`,
    [project.id, patient.id],
  );
  return row.id;
}

/**
 * Moves a clinic in time (and its bookings' visit times), e.g. `-48 * 60` to put tomorrow's clinic firmly in the
 * past at any hour: tests use it to reach states the clock would reach (started, ended) without waiting.
 */
export async function shiftProject(t: TestApp, projectId: number, minutes: number): Promise<void> {
  await t.db.query(
    `UPDATE project SET starts_at = starts_at + $2 * interval '1 minute', ends_at = ends_at + $2 * interval '1 minute',
            date = ((starts_at + $2 * interval '1 minute') AT TIME ZONE 'Asia/Shanghai')::date WHERE id = $1`,
    [projectId, minutes],
  );
  await t.db.query(
    `UPDATE diagnosis SET visit_time = visit_time + $2 * interval '1 minute' WHERE project_id = $1`,
    [projectId, minutes],
  );
}

/**
 * Many patients with complete profiles and live tokens, inserted directly (registering hundreds through the
 * API would only measure password hashing): through the entity, which seals phone and ID numbers, in one
 * statement. Each token is stored as its SHA-256, as the app stores them.
 */
export async function bulkPatients(t: TestApp, count: number): Promise<Account[]> {
  const tag = `${Date.now() % 100000}`.padStart(5, '0');
  const phones = Array.from({ length: count }, (_, i) => `17${tag}${String(i + 1).padStart(4, '0')}`);
  const inserted = await t.db.getRepository(User).insert(
    phones.map((phone, i) => ({
      type: UserType.Patient,
      phone,
      isVerify: VerifyState.Active,
      realName: `患者${i + 1}`,
      idno: IDNOS[0],
    })),
  );
  const accounts = inserted.identifiers.map((r, i) => ({
    id: r.id as number,
    phone: phones[i],
    password: '',
    token: `bulk-${r.id}-${randomUUID()}`,
    type: 1,
  }));
  await t.db.query(
    `INSERT INTO auth_token (token_hash, user_id, expires_at, last_used_at)
     SELECT encode(sha256(convert_to(tok, 'UTF8')), 'hex'), uid, now() + interval '1 day', now()
     FROM unnest($1::text[], $2::int[]) AS x(tok, uid)`,
    [accounts.map((a) => a.token), accounts.map((a) => a.id)],
  );
  return accounts;
}
