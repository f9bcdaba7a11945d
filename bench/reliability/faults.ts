/**
 * Fault injection against the built app, with figures.
 *
 *   npm run reliability:faults                        # every scenario (as root: one mounts a 1 MB tmpfs)
 *   npm run reliability:faults -- app-killed          # only the named ones; `--no-build` uses the dist/ built
 *
 * It starts a Postgres of its own (embedded, spare port, temporary folder: the machine's server is never
 * touched) and the built server (`node dist/src/main`) as child processes, then injects each fault and checks
 * what must hold afterwards. Figures go to bench/reliability/results/faults.json (full runs only) and stdout.
 *
 * A scenario is one named fault with its own checks, listed in SCENARIOS; each gets the shared database, app
 * and sign-ins, and may start processes of its own in the workspace. The app talks to the 阿里健康随访 partner
 * on its loopback fake (test/support/fakes/alihealth.fake.ts), which the partner scenario takes down for
 * minutes (`FAULT_PARTNER_OUTAGE_SECONDS`, default 120).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { shanghaiDate } from '../../test/support/clinic-factories';
import { FAKE_TOP_APP_KEY, FAKE_TOP_SECRET, FakeAlihealth } from '../../test/support/fakes/alihealth.fake';
import {
  Answer,
  AppProcess,
  buildApp,
  call,
  demoSignIns,
  DemoRole,
  log,
  main,
  must,
  pooled,
  registerPatients,
  ScratchPostgres,
  scriptArgs,
  SignedIn,
  sleep,
  sparePort,
  sql,
  Workspace,
  writeResult,
} from './support';

interface FaultContext {
  ws: Workspace;
  /** The follow-up IM partner the app delivers linked chat dialogs to. */
  followup: FakeAlihealth;
  pg: ScratchPostgres;
  app: AppProcess;
  appEnv: Record<string, string>;
  who: Record<DemoRole, SignedIn>;
  /** Patients nobody has used yet, with complete profiles and tokens. */
  freshPatients(count: number): SignedIn[];
}

interface Scenario {
  name: string;
  /** Fresh patients the scenario needs: made through the API before any scenario runs. */
  patients: number;
  run(ctx: FaultContext): Promise<Outcome>;
}

interface Outcome {
  fault: string;
  /** Each check that must hold, and whether it did. */
  checks: Record<string, boolean>;
  figures: Record<string, unknown>;
  skipped?: string;
}

const DEMO_SMS_CODE = '123456';
const APP_ENV = {
  NODE_ENV: 'development',
  SMS_TEST_CODE: DEMO_SMS_CODE,
  SMS_NO_CAPTCHA_IP_HOURLY_LIMIT: '100000000',
  SEED_DEMO: 'true',
  LOG_LEVEL: 'warn',
  WEB_CONCURRENCY: '1',
  JOBS_POLL_SECONDS: '1',
  RATE_LIMIT_PER_MINUTE: '100000000',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
};

// ---------------------------------------------------------------------------------------------------------------
// Bookings: clinics, joins, and what must hold between the answers and the rows.

interface Clinic {
  id: number;
  slots: string[];
}

async function publishClinic(base: string, doctor: SignedIn, peopleCount: number): Promise<Clinic> {
  const project = await must<{ id: number; plan_time: Record<string, number> }>(base, 'POST', '/project', {
    token: doctor.token,
    body: {
      date: shanghaiDate(1),
      begin: '09:00:00',
      end: '11:00:00',
      people_count: peopleCount,
      lng: 116.397,
      lat: 39.909,
      addr: '北京市东城区',
      service_target: ['老年人'],
      abstract: '社区义诊',
      price: 0,
    },
  });
  return { id: project.id, slots: Object.keys(project.plan_time) };
}

interface JoinAnswer {
  patientId: number;
  answer: Answer;
}

function joinClinic(base: string, clinic: Clinic, patient: SignedIn, slot: number): Promise<JoinAnswer> {
  return call(base, 'POST', `/project/${clinic.id}/join`, {
    token: patient.token,
    body: { content: '头痛三天', plan_time: clinic.slots[slot % clinic.slots.length] },
    timeoutMs: 30_000,
  }).then((answer) => ({ patientId: patient.id, answer }));
}

const ok = (a: Answer) => a.status === 200 && a.code === 0;

/** `status error_code` (or the network failure) → count. */
function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.status ? `${a.status} ${a.code}` : `no answer (${a.failure})`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * Compares the join answers with the rows: every 2xx has its one active booking (none lost), nobody holds two
 * (none doubled), every slot's taken seats equal its active bookings, the clinic's count equals them too, and
 * every casebook belongs to a booking (no half-written join). Bookings without a 2xx answer are those whose
 * transaction committed while the answer was lost; a client retrying them is told 409 (already joined).
 */
async function bookingIntegrity(url: string, clinic: Clinic, joins: JoinAnswer[]) {
  const rows = await sql<{ user_id: number; active: number; total: number }>(
    url,
    `SELECT user_id, count(*) FILTER (WHERE verify_status IN (0, 1))::int AS active, count(*)::int AS total
     FROM diagnosis WHERE project_id = $1 GROUP BY user_id`,
    [clinic.id],
  );
  const byUser = new Map(rows.map((r) => [r.user_id, r]));
  const answered = new Set(joins.filter((j) => ok(j.answer)).map((j) => j.patientId));
  const [seats] = await sql<{ mismatched_slots: number; taken: number; active: number; counter: number }>(
    url,
    `SELECT count(*) FILTER (WHERE s.capacity - s.remaining <> coalesce(d.n, 0))::int AS mismatched_slots,
            sum(s.capacity - s.remaining)::int AS taken, sum(coalesce(d.n, 0))::int AS active,
            (SELECT join_people_count FROM project WHERE id = $1) AS counter
     FROM project_slot s
     LEFT JOIN (SELECT slot_id, count(*) AS n FROM diagnosis WHERE verify_status IN (0, 1) GROUP BY slot_id) d
       ON d.slot_id = s.id
     WHERE s.project_id = $1`,
    [clinic.id],
  );
  const [orphans] = await sql<{ n: number }>(
    url,
    `SELECT count(*)::int AS n FROM casebook c
     WHERE c.project_id = $1 AND NOT EXISTS (SELECT 1 FROM diagnosis d WHERE d.casebook_id = c.id)`,
    [clinic.id],
  );
  return {
    joins_answered_2xx: answered.size,
    bookings: rows.reduce((n, r) => n + r.active, 0),
    lost: [...answered].filter((id) => (byUser.get(id)?.active ?? 0) !== 1).length,
    doubled: rows.filter((r) => r.total > 1).length,
    committed_without_2xx: rows.filter((r) => !answered.has(r.user_id)).length,
    slots_with_seat_mismatch: seats.mismatched_slots,
    seats_taken: seats.taken,
    clinic_join_count: seats.counter,
    casebooks_without_booking: orphans.n,
  };
}

function integrityChecks(f: Awaited<ReturnType<typeof bookingIntegrity>>): Record<string, boolean> {
  return {
    'no booking lost (every 2xx join has its row)': f.lost === 0,
    'no booking doubled': f.doubled === 0,
    "every slot's taken seats equal its active bookings": f.slots_with_seat_mismatch === 0,
    'seats taken, clinic count and bookings agree':
      f.seats_taken === f.bookings && f.clinic_join_count === f.bookings,
    'no half-written join (casebook without booking)': f.casebooks_without_booking === 0,
  };
}

/**
 * Queues an SMS code and waits for the job queue to deliver it: the workers are alive and connected. The job is
 * told by its time (its recipient is sealed); nothing else sends codes meanwhile.
 */
async function smsJobDelivered(base: string, url: string, withinMs: number): Promise<number | null> {
  const started = Date.now();
  if (!ok(await call(base, 'POST', '/phone/verifycode', { body: { phone: '13700000001' } }))) return null;
  while (Date.now() - started < withinMs) {
    const [job] = await sql<{ state: string }>(
      url,
      `SELECT state FROM pgboss.job WHERE name = 'sms.send-code' AND created_on >= to_timestamp($1 / 1000.0)`,
      [started - 1000],
    );
    if (job?.state === 'completed') return Date.now() - started;
    await sleep(200);
  }
  return null;
}

/** Waits until no job of the queue is waiting or running. */
async function waitForJobs(url: string, queue: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const [{ n }] = await sql<{ n: number }>(
      url,
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
      [queue],
    );
    if (n === 0) return;
    await sleep(500);
  }
  throw new Error(`the ${queue} jobs did not drain within ${withinMs / 1000} s`);
}

// ---------------------------------------------------------------------------------------------------------------
// a) The database restarted under load.

const LOAD_WORKERS = 6;
const LOAD_PAUSE_MS = 40;
const BEFORE_FAULT_MS = 5_000;
const OUTAGE_MS = 5_000;
const STEADY_AFTER_MS = 5_000;
const RECOVERY_LIMIT_MS = 60_000;

interface Sample {
  at: number;
  end: number;
  kind: 'join' | 'list' | 'detail';
  answer: Answer;
}

const databaseRestart: Scenario = {
  name: 'database-restart',
  patients: 900,
  async run({ pg, app, who, freshPatients }) {
    const clinic = await publishClinic(app.base, who.doctor, 1000);
    const patients = freshPatients(900);
    const samples: Sample[] = [];
    const joins: JoinAnswer[] = [];
    let nextPatient = 0;
    let running = true;

    // Steady traffic: every third request a join by a new patient, the others the list and a clinic's page.
    const worker = async (w: number) => {
      for (let i = 0; running; i += 1) {
        const at = Date.now();
        const kind = (i + w) % 3 === 0 && nextPatient < patients.length ? 'join' : i % 2 ? 'list' : 'detail';
        let answer: Answer;
        if (kind === 'join') {
          const index = nextPatient++;
          const result = await joinClinic(app.base, clinic, patients[index], index);
          joins.push(result);
          answer = result.answer;
        } else {
          const path = kind === 'list' ? '/project?sort=2&page_size=20' : `/project/${clinic.id}`;
          answer = await call(app.base, 'GET', path, { token: who.patient.token });
        }
        samples.push({ at, end: Date.now(), kind, answer });
        await sleep(LOAD_PAUSE_MS);
      }
    };
    const pid = app.pid;
    const load = Promise.all(Array.from({ length: LOAD_WORKERS }, (_, w) => worker(w)));

    await sleep(BEFORE_FAULT_MS);
    const down = Date.now();
    log('database-restart: stopping Postgres');
    await pg.stop();
    await sleep(OUTAGE_MS);
    await pg.start();
    const up = Date.now();
    log(`database-restart: Postgres back after ${up - down} ms`);

    let firstOk: number | undefined;
    while (Date.now() - up < RECOVERY_LIMIT_MS) {
      firstOk = samples.find((s) => s.at >= up && ok(s.answer))?.at;
      if (firstOk && Date.now() - firstOk >= STEADY_AFTER_MS) break;
      await sleep(250);
    }
    running = false;
    await load;

    // Before: answered before the stop; during: in flight at some point of the outage; after: sent once it was back.
    const before = samples.filter((s) => s.end < down);
    const during = samples.filter((s) => s.end >= down && s.at < up);
    const after = samples.filter((s) => s.at >= up);
    const lastFailure = after.filter((s) => !ok(s.answer)).pop();
    const integrity = await bookingIntegrity(pg.url, clinic, joins);
    const smsMs = await smsJobDelivered(app.base, pg.url, 30_000);
    const timeline = [];
    for (let t = samples[0].at; t < samples[samples.length - 1].at; t += 1000) {
      const second = samples.filter((s) => s.at >= t && s.at < t + 1000);
      timeline.push({
        second: Math.round((t - down) / 1000),
        ok: second.filter((s) => ok(s.answer)).length,
        failed: second.filter((s) => !ok(s.answer)).length,
      });
    }
    return {
      fault: `Postgres stopped (fast shutdown) and started again after ${OUTAGE_MS / 1000} s, under steady traffic of ${LOAD_WORKERS} clients (joins, list, detail)`,
      checks: {
        'the app recovered without a restart (same process)': app.pid === pid && app.running,
        [`requests succeed again within ${RECOVERY_LIMIT_MS / 1000} s of the database being back`]:
          firstOk !== undefined,
        'every request before the fault succeeded': before.every((s) => ok(s.answer)),
        'every failure during the outage was answered 503 with error_code 10006 (none hung)': during.every(
          (s) => ok(s.answer) || (s.answer.status === 503 && s.answer.code === 10006),
        ),
        'the job queue works again (an SMS job queued after the restart was delivered)': smsMs !== null,
        ...integrityChecks(integrity),
      },
      figures: {
        database_down_ms: up - down,
        requests_total: samples.length,
        requests_before_fault: before.length,
        requests_during_outage: during.length,
        answers_during_outage: tally(during.map((s) => s.answer)),
        recovery_ms_to_first_success: firstOk === undefined ? null : firstOk - up,
        recovery_ms_to_last_failure: lastFailure ? lastFailure.at - up : 0,
        answers_after_restart: tally(after.map((s) => s.answer)),
        joins_sent: joins.length,
        join_answers: tally(joins.map((j) => j.answer)),
        sms_job_delivered_ms_after_recovery: smsMs,
        ...integrity,
        timeline_per_second: timeline,
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// b) The app killed (SIGKILL) in the middle of concurrent joins.

const KILL_CLINIC_SEATS = 100;
const KILL_PATIENTS = 400;
const KILL_CONCURRENCY = 32;
const KILL_AFTER_BOOKINGS = 40;

const appKilled: Scenario = {
  name: 'app-killed',
  patients: KILL_PATIENTS,
  async run({ pg, app, who, freshPatients }) {
    const clinic = await publishClinic(app.base, who.doctor, KILL_CLINIC_SEATS);
    const patients = freshPatients(KILL_PATIENTS);
    let booked = 0;
    let killedAt: number | undefined;
    const tasks = patients.map((p, i) => async () => {
      const result = await joinClinic(app.base, clinic, p, i);
      if (ok(result.answer)) booked += 1;
      if (booked >= KILL_AFTER_BOOKINGS && killedAt === undefined) {
        killedAt = Date.now();
        log(`app-killed: kill -9 after ${booked} answered bookings`);
        void app.kill9();
      }
      return result;
    });
    const joins = await pooled(tasks, KILL_CONCURRENCY, () => killedAt !== undefined && !app.running);
    await app.kill9();

    const restartStarted = Date.now();
    await app.start();
    const restartMs = Date.now() - restartStarted;
    const afterKill = await bookingIntegrity(pg.url, clinic, joins);

    // Bookings that committed while their answer was lost to the kill.
    const committedUnanswered = new Set(
      (
        await sql<{ user_id: number }>(pg.url, 'SELECT user_id FROM diagnosis WHERE project_id = $1', [
          clinic.id,
        ])
      )
        .map((r) => r.user_id)
        .filter((id) => !joins.some((j) => j.patientId === id && ok(j.answer))),
    );
    // The clients whose join got no answer try again (same slot), as an app would; so do those never sent.
    const answered = new Set(joins.filter((j) => j.answer.status !== 0).map((j) => j.patientId));
    const retried = await pooled(
      patients.flatMap((p, i) => (answered.has(p.id) ? [] : [() => joinClinic(app.base, clinic, p, i)])),
      8,
    );
    const retriedCommitted = retried.filter((r) => committedUnanswered.has(r.patientId));
    const final = await bookingIntegrity(pg.url, clinic, [...joins, ...retried]);
    const inFlight = joins.filter((j) => j.answer.status === 0);
    return {
      fault: `kill -9 of the app once ${KILL_AFTER_BOOKINGS} of ${KILL_PATIENTS} concurrent joins (${KILL_CONCURRENCY} in flight) on a ${KILL_CLINIC_SEATS}-seat clinic were answered`,
      checks: {
        ...integrityChecks(afterKill),
        'a retried join whose booking had committed unanswered books nothing more': retriedCommitted.every(
          (r) => !ok(r.answer),
        ),
        'after the retries the clinic is exactly full':
          final.bookings === KILL_CLINIC_SEATS && final.doubled === 0,
        'integrity still holds after the retries': Object.values(integrityChecks(final)).every(Boolean),
      },
      figures: {
        joins_answered_before_kill: joins.filter((j) => j.answer.status !== 0).length,
        joins_cut_by_kill: inFlight.length,
        answers: tally(joins.map((j) => j.answer)),
        restart_ms: restartMs,
        after_kill: afterKill,
        retried_joins: retried.length,
        retry_answers: tally(retried.map((r) => r.answer)),
        retry_answers_of_committed_unanswered: tally(retriedCommitted.map((r) => r.answer)),
        after_retries: final,
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// c) The uploads disk full.

const UPLOAD_FS_SIZE = '1m';

/** A PNG of random pixels (incompressible, about 160 KB): a few fill a 1 MB filesystem. */
function noisePng(): Buffer {
  const canvas = createCanvas(200, 200);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(200, 200);
  for (let i = 0; i < image.data.length; i += 1) image.data[i] = Math.floor(Math.random() * 256);
  ctx.putImageData(image, 0, 0);
  return canvas.toBuffer('image/png');
}

function storedFiles(dir: string): { path: string; size: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { path, size: statSync(path).size };
    });
}

const uploadsDiskFull: Scenario = {
  name: 'uploads-disk-full',
  patients: 0,
  async run({ ws, pg, appEnv, who }): Promise<Outcome> {
    const fault = `UPLOAD_DIR on a ${UPLOAD_FS_SIZE.toUpperCase()}B tmpfs, images uploaded until it is full`;
    const dir = join(ws.dir, 'uploads-full');
    mkdirSync(dir);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${UPLOAD_FS_SIZE}`, 'tmpfs', dir], {
      encoding: 'utf8',
    });
    if (mount.status !== 0) {
      return {
        fault,
        checks: {},
        figures: {},
        skipped: `cannot mount a tmpfs (needs root): ${mount.stderr.trim()}`,
      };
    }
    ws.onCleanup(() => void spawnSync('umount', [dir]));
    // An instance of its own with UPLOAD_DIR on the small filesystem, beside the main one.
    const uploader = new AppProcess(
      ws,
      await sparePort(),
      { ...appEnv, DATABASE_URL: pg.url, UPLOAD_DIR: dir },
      'uploader',
    );
    await uploader.start();

    const png = noisePng();
    const upload = () => {
      const form = new FormData();
      form.append('file', new Blob([png], { type: 'image/png' }), 'noise.png');
      return call(uploader.base, 'POST', '/imgupload', { token: who.patient.token, body: form });
    };
    const answers: Answer[] = [];
    for (let failures = 0; failures < 3 && answers.length < 40;) {
      const answer = await upload();
      answers.push(answer);
      failures = ok(answer) ? 0 : failures + 1;
    }
    const stored = storedFiles(dir);
    const urls = answers.filter(ok).map((a) => (a.data as { url: string }).url);
    const firstRefusal = answers.find((a) => !ok(a));

    // Space freed (one image removed): uploads work again without a restart.
    if (stored.length) unlinkSync(stored[0].path);
    const afterFreeing = await upload();
    const healthy = await call(uploader.base, 'GET', '/health');
    await uploader.stop();
    return {
      fault,
      checks: {
        'a full disk is answered 507 with error_code 10013':
          firstRefusal?.status === 507 && firstRefusal.code === 10013,
        'every refusal is that envelope': answers.filter((a) => !ok(a)).every((a) => a.code === 10013),
        'no half-written file (every stored file is a whole image)': stored.every(
          (f) => f.size === png.length,
        ),
        'one stored file per accepted upload, and each URL names one':
          stored.length === urls.length &&
          urls.every((u) => stored.some((f) => f.path.endsWith(u.split('/uploads/')[1]))),
        'uploads work again once space is freed': ok(afterFreeing),
        'the instance stayed healthy': healthy.status === 200,
      },
      figures: {
        filesystem: `tmpfs size=${UPLOAD_FS_SIZE}`,
        image_bytes: png.length,
        uploads: answers.length,
        accepted: urls.length,
        answers: tally(answers),
        stored_files: stored.length,
        stored_bytes: stored.reduce((n, f) => n + f.size, 0),
        upload_after_freeing_space: tally([afterFreeing]),
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// d) A partner down for minutes while chat messages keep coming.

const PARTNER_OUTAGE_MS = Number(process.env.FAULT_PARTNER_OUTAGE_SECONDS ?? 120) * 1000;
const OUTAGE_MESSAGES = 40;
/** After the partner is back: job retries back off, and the sweep re-queues what the queue gave up on each minute. */
const DELIVERY_LIMIT_MS = 6 * 60_000;

const partnerOutage: Scenario = {
  name: 'partner-outage',
  patients: 0,
  async run({ pg, app, who, followup }): Promise<Outcome> {
    const session = `fault-session-${Date.now()}`;
    const say = (content: string) =>
      call(app.base, 'POST', '/chat', {
        token: who.patient.token,
        body: { content, type: 1, to_user_id: who.doctor.id },
      });
    // The dialog exists once the first message is sent; it is linked before the outage.
    const opening = await say('随访开始');
    const [{ id: dialogId }] = await sql<{ id: number }>(
      pg.url,
      'SELECT id FROM chat_dialog WHERE patient_user_id = $1 AND doctor_user_id = $2',
      [who.patient.id, who.doctor.id],
    );
    await must(app.base, 'POST', `/admin/chat/dialogs/${dialogId}/followup`, {
      token: who.operator.token,
      body: { session_id: session },
    });

    await followup.down();
    const downAt = Date.now();
    const texts = Array.from({ length: OUTAGE_MESSAGES }, (_, i) => `停机期间的消息 ${i + 1}`);
    const answers: Answer[] = [];
    for (const text of texts) {
      answers.push(await say(text));
      await sleep(PARTNER_OUTAGE_MS / OUTAGE_MESSAGES);
    }
    const [during] = await sql<{ pending: number; attempts: number }>(
      pg.url,
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, coalesce(sum(attempts), 0)::int AS attempts
         FROM followup_delivery WHERE dialog_id = $1`,
      [dialogId],
    );
    await followup.up();
    const upAt = Date.now();
    const ofSession = () => followup.delivered.filter((d) => d.session_id === session);
    while (ofSession().length < texts.length && Date.now() - upAt < DELIVERY_LIMIT_MS) await sleep(500);
    const drainedMs = Date.now() - upAt;
    await sleep(5_000); // anything sent twice would arrive now
    const received = ofSession().map((d) => d.text);
    const copies = texts.map((t) => received.filter((r) => r === t).length);
    const states = await sql<{ status: string; n: number }>(
      pg.url,
      'SELECT status, count(*)::int AS n FROM followup_delivery WHERE dialog_id = $1 GROUP BY status',
      [dialogId],
    );
    return {
      fault: `the follow-up IM partner down for ${Math.round((upAt - downAt) / 1000)} s while ${OUTAGE_MESSAGES} chat messages were sent in a linked dialog`,
      checks: {
        'every message was accepted during the outage': answers.every(ok) && ok(opening),
        'every message sent during the outage was delivered': copies.every((n) => n >= 1),
        'no message was delivered twice': copies.every((n) => n <= 1),
        'messages arrived in the order they were sent': received
          .filter((r) => texts.includes(r))
          .every((r, i) => r === texts[i]),
        'no delivery left pending, uncertain or failed': states.every((s) => s.status === 'delivered'),
      },
      figures: {
        outage_s: Math.round((upAt - downAt) / 1000),
        messages: OUTAGE_MESSAGES,
        accepted: answers.filter(ok).length,
        pending_when_partner_came_back: during.pending,
        failed_attempts_during_outage: during.attempts,
        delivered_within_s_of_return: Math.round(drainedMs / 1000),
        messages_received: {
          once: copies.filter((n) => n === 1).length,
          twice_or_more: copies.filter((n) => n > 1).length,
          never: copies.filter((n) => n === 0).length,
        },
        delivery_states: Object.fromEntries(states.map((s) => [s.status, s.n])),
      },
    };
  },
};

const SCENARIOS: Scenario[] = [databaseRestart, appKilled, uploadsDiskFull, partnerOutage];

main(async (ws) => {
  const args = scriptArgs();
  const unknown = args.names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) {
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  const chosen = args.names.length ? SCENARIOS.filter((s) => args.names.includes(s.name)) : SCENARIOS;
  if (args.build) await buildApp();
  const pg = await ws.startPostgres();
  const followup = await new FakeAlihealth(FAKE_TOP_APP_KEY, FAKE_TOP_SECRET).start();
  const appEnv = {
    ...APP_ENV,
    UPLOAD_DIR: join(ws.dir, 'uploads'),
    ALIHEALTH_BASE_URL: `${followup.baseUrl}/router/rest`,
    ALIHEALTH_APP_KEY: FAKE_TOP_APP_KEY,
    ALIHEALTH_APP_SECRET: FAKE_TOP_SECRET,
    ALIHEALTH_SIGN_METHOD: 'hmac',
    CHAT_RATE_LIMIT_PER_MINUTE: '1000',
  };
  const app = new AppProcess(ws, await sparePort(), { ...appEnv, DATABASE_URL: pg.url });
  await app.start();
  log(`app on ${app.base} (pid ${app.pid}), scratch Postgres on port ${pg.port}`);
  const who = await demoSignIns(app.base);
  const needed = chosen.reduce((n, s) => n + s.patients, 0);
  const patients = await registerPatients(app.base, needed, DEMO_SMS_CODE);
  // Their code SMSes go through the job queue: let it drain, so the scenarios start on an idle queue.
  await waitForJobs(pg.url, 'sms.send-code', 180_000);
  log(`${needed} patients registered`);
  let used = 0;
  const freshPatients = (count: number) => patients.slice(used, (used += count));

  const outcomes: Record<string, Outcome & { passed: boolean; seconds: number }> = {};
  for (const scenario of chosen) {
    log(`scenario ${scenario.name}`);
    const started = Date.now();
    const outcome = await scenario.run({ ws, followup, pg, app, appEnv, who, freshPatients });
    const passed = !outcome.skipped && Object.values(outcome.checks).every(Boolean);
    outcomes[scenario.name] = { ...outcome, passed, seconds: Math.round((Date.now() - started) / 1000) };
    log(
      `${scenario.name}: ${outcome.skipped ? `skipped (${outcome.skipped})` : passed ? 'passed' : 'FAILED'}`,
    );
    for (const [check, held] of Object.entries(outcome.checks)) log(`  ${held ? 'ok  ' : 'FAIL'} ${check}`);
    if (!passed && !outcome.skipped) {
      // The app's errors (pino level 50 and above) tell why; warnings of the fault itself would drown them.
      const errors = readFileSync(app.logFile, 'utf8')
        .split('\n')
        .filter((line) => /"level":(5|6)0/.test(line))
        .slice(-20);
      process.stderr.write(`the app's last errors:\n${errors.join('\n')}\n`);
    }
  }

  const report = {
    generated_at: new Date().toISOString(),
    node: process.version,
    machine: `${cpus().length} cores`,
    scenarios: outcomes,
  };
  const json = JSON.stringify(report, null, 2);
  process.stdout.write(`${json}\n`);
  // A run of some scenarios does not replace the figures of the full one.
  if (!args.names.length) log(`written to ${writeResult('faults.json', `${json}\n`)}`);
  if (Object.values(outcomes).some((o) => !o.passed && !o.skipped)) process.exitCode = 1;
});
