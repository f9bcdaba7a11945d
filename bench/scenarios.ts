import { Client } from 'pg';
import { CITIES } from './cities';
import { BenchMeta, readMeta, tokenFor } from './generate';

/** One HTTP request of a scenario; `n` counts the scenario's requests, so each can differ. */
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Scenario {
  name: string;
  /** The screen it stands for, as the report shows it. */
  title: string;
  kind: 'read' | 'write';
  request(n: number): BenchRequest;
}

/** What the scenarios draw from, read from the generated database. */
export interface Fixtures {
  meta: BenchMeta;
  /** Clinics that start in more than three hours, with their slots that have seats left (`plan_time` labels). */
  openClinics: { id: number; planTimes: string[] }[];
  /** One slot with a few seats left, for the stampede. */
  stampede: { projectId: number; slotId: number; planTime: string; remaining: number };
  dialogs: { id: number; patientId: number; doctorId: number }[];
  hospitalIds: number[];
  departments: string[];
  serviceTargets: string[];
}

export async function loadFixtures(url: string): Promise<Fixtures> {
  const meta = await readMeta(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const open = await db.query<{ id: number; labels: string[] }>(
      `SELECT p.id, array_agg(s.begin || ' - ' || s."end" ORDER BY s.idx) AS labels
       FROM project p JOIN project_slot s ON s.project_id = p.id
       WHERE p.status = 1 AND p.starts_at > now() + interval '3 hours' AND s.remaining > 0
       GROUP BY p.id ORDER BY p.id`,
    );
    const [stampede] = (
      await db.query<{ project_id: number; id: number; begin: string; end: string; remaining: number }>(
        `SELECT s.project_id, s.id, s.begin, s."end", s.remaining FROM project_slot s JOIN project p ON p.id = s.project_id
         WHERE p.status = 1 AND p.starts_at > now() + interval '3 hours' AND s.remaining BETWEEN 3 AND 8
         ORDER BY p.starts_at LIMIT 1`,
      )
    ).rows;
    const dialogs = await db.query<{ id: number; patient_user_id: number; doctor_user_id: number }>(
      'SELECT id, patient_user_id, doctor_user_id FROM chat_dialog ORDER BY id LIMIT 5000',
    );
    const hospitals = await db.query<{ id: number }>('SELECT id FROM hospital ORDER BY id');
    const departments = await db.query<{ d: string }>(
      `SELECT DISTINCT departments AS d FROM project WHERE departments <> '' ORDER BY 1`,
    );
    const targets = await db.query<{ t: string }>(
      'SELECT DISTINCT jsonb_array_elements_text(service_target) AS t FROM project ORDER BY 1',
    );
    const label = (begin: string, end: string) => `${begin} - ${end}`;
    return {
      meta,
      openClinics: open.rows.map((r) => ({ id: r.id, planTimes: r.labels })),
      stampede: {
        projectId: stampede.project_id,
        slotId: stampede.id,
        planTime: label(stampede.begin, stampede.end),
        remaining: stampede.remaining,
      },
      dialogs: dialogs.rows.map((r) => ({
        id: r.id,
        patientId: r.patient_user_id,
        doctorId: r.doctor_user_id,
      })),
      hospitalIds: hospitals.rows.map((r) => r.id),
      departments: departments.rows.map((r) => r.d),
      serviceTargets: targets.rows.map((r) => r.t),
    };
  } finally {
    await db.end();
  }
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
const at = <T>(items: T[], i: number): T => items[i % items.length];

/**
 * Each request comes from another client address (X-Forwarded-For, with TRUST_PROXY on), as the apps' users
 * do; the addresses are in the documentation prefix 2001:db8::/32 and only ever appear in this header.
 */
const clientAddress = (n: number) => `2001:db8::${(n % 4096).toString(16)}`;

export function buildScenarios(f: Fixtures): Scenario[] {
  const { meta } = f;
  const [firstPatient] = meta.patients;
  const [firstJoiner, lastJoiner] = meta.joiners;
  const joiners = lastJoiner - firstJoiner + 1;
  /** Patients with bookings: the readers. */
  const readers = firstJoiner - firstPatient;
  const reader = (n: number) => firstPatient + ((n * 7919) % readers);
  const json = { 'content-type': 'application/json' };
  const as = (userId: number, n: number, extra: Record<string, string> = {}) => ({
    'x-auth-token': tokenFor(meta, userId),
    'x-forwarded-for': clientAddress(n),
    ...extra,
  });
  const get = (path: string, userId: number, n: number, extra?: Record<string, string>): BenchRequest => ({
    method: 'GET',
    path,
    headers: as(userId, n, extra),
  });
  const post = (path: string, userId: number | null, n: number, body: unknown): BenchRequest => ({
    method: 'POST',
    path,
    headers: userId === null ? { ...json, 'x-forwarded-for': clientAddress(n) } : as(userId, n, json),
    body: JSON.stringify(body),
  });
  /** Somewhere within ~10 km of a city centre, varying with `n`. */
  const location = (n: number) => {
    const [, lng, lat] = at(CITIES, n);
    const wobble = (k: number) => (((n * k) % 1000) / 1000 - 0.5) * 0.2;
    return `${(lng + wobble(7919)).toFixed(4)}-${(lat + wobble(104729)).toFixed(4)}`;
  };
  const filters = (n: number) => {
    const choices = [
      `departments=${encodeURIComponent(at(f.departments, n))}`,
      `service_target=${encodeURIComponent(at(f.serviceTargets, n))}`,
      `hospital_id=${at(f.hospitalIds, n)}`,
      `departments=${encodeURIComponent(at(f.departments, n))}&service_target=${encodeURIComponent(at(f.serviceTargets, n >> 2))}`,
    ];
    return at(choices, n);
  };
  // Joins pair joiner n mod J with clinic (n + floor(n / J)) mod C: consecutive requests differ in both (no
  // queue on one clinic's or one patient's row), and no pair repeats within J × C requests when gcd(J + 1, C) = 1.
  let clinics = f.openClinics.length;
  while (clinics > 1 && gcd(joiners + 1, clinics) !== 1) clinics -= 1;
  const joinBody = (planTime: string, n: number) => ({
    content: `最近血压不稳，想请医生看看（第 ${n} 次预约）。`,
    plan_time: planTime,
  });

  return [
    {
      name: 'projects-nearest',
      title: 'GET /project?sort=1 (nearest, X-location)',
      kind: 'read',
      request: (n) => get('/project?sort=1', reader(n), n, { 'x-location': location(n) }),
    },
    {
      name: 'projects-filtered',
      title: 'GET /project?sort=2 with filters',
      kind: 'read',
      request: (n) => get(`/project?sort=2&${filters(n)}`, reader(n), n),
    },
    {
      name: 'project-detail',
      title: 'GET /project/{id}',
      kind: 'read',
      request: (n) => get(`/project/${at(f.openClinics, n * 31).id}`, reader(n), n),
    },
    {
      name: 'doctors-by-score',
      title: 'GET /doctor/list?sort=1',
      kind: 'read',
      request: (n) => get(`/doctor/list?sort=1&current_page=${1 + (n % 3)}`, reader(n), n),
    },
    {
      name: 'patient-homepage',
      title: 'GET /custom/homepage',
      kind: 'read',
      request: (n) => get('/custom/homepage', reader(n), n),
    },
    {
      name: 'own-profile',
      title: 'GET /user',
      kind: 'read',
      request: (n) => get('/user', reader(n), n),
    },
    {
      name: 'chat-dialog',
      title: 'GET /chat/{id}',
      kind: 'read',
      request: (n) => {
        const d = at(f.dialogs, n * 13);
        return get(`/chat/${d.id}`, d.patientId, n);
      },
    },
    {
      name: 'join-spread',
      title: 'POST /project/{id}/join, many slots',
      kind: 'write',
      request: (n) => {
        const clinic = f.openClinics[(n + Math.floor(n / joiners)) % clinics];
        const planTime = at(clinic.planTimes, Math.floor(n / clinics));
        return post(`/project/${clinic.id}/join`, firstJoiner + (n % joiners), n, joinBody(planTime, n));
      },
    },
    {
      name: 'join-one-slot',
      title: 'POST /project/{id}/join, one slot',
      kind: 'write',
      request: (n) =>
        post(
          `/project/${f.stampede.projectId}/join`,
          firstJoiner + (n % joiners),
          n,
          joinBody(f.stampede.planTime, n),
        ),
    },
    {
      name: 'chat-send',
      title: 'POST /chat',
      kind: 'write',
      request: (n) => {
        const d = at(f.dialogs, n * 17);
        return post('/chat', d.patientId, n, {
          content: '医生您好，复查结果出来了，想请您看一下。',
          type: 1,
          to_user_id: d.doctorId,
        });
      },
    },
    {
      name: 'login',
      title: 'POST /login',
      kind: 'write',
      request: (n) => {
        const patient = reader(n) - firstPatient + 1;
        return post('/login', null, n, {
          phono: `13${String(patient).padStart(9, '0')}`,
          pwd: meta.password,
          type: 1,
        });
      },
    },
  ];
}

/** The framework ceiling: a route of the same app that touches no database. */
export const LIVENESS: Scenario = {
  name: 'liveness',
  title: 'GET /health/live (no database)',
  kind: 'read',
  request: (n) => ({ method: 'GET', path: '/health/live', headers: { 'x-forwarded-for': clientAddress(n) } }),
};
