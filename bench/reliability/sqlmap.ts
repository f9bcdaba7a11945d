/**
 * SQL injection scan, with sqlmap, of every GET route that takes query parameters (lists and searches).
 *
 *   apt-get install -y sqlmap            # the Debian package; this script only checks that it is there
 *   npm run reliability:sqlmap           # every route;  `npm run reliability:sqlmap -- /doctor` only matching ones
 *                                        # (`--no-build` scans the dist/ already built)
 *
 * It builds the app and starts it on a scratch database with the demo data, adds what makes the lists non-empty
 * (clinics with bookings, a refunded deposit, a chat, follows, an approved org membership, a bound patient, a special
 * project, a broadcast),
 * signs every demo role in and reads the routes from the OpenAPI document. Each route is scanned with the token of
 * the first role it answers, and with parameter values that keep its list non-empty: sqlmap's boolean tests
 * compare pages, and an empty list would make the true and the false page the same. Header parameters the route
 * documents (X-location) are scanned too. A deliberately injectable loopback endpoint is scanned first as a
 * control: if sqlmap does not find that one, the scan proves nothing and the script fails.
 *
 * Writes bench/reliability/results/sqlmap-summary.md; exits 1 when a route is injectable or the control is missed.
 */
import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { Pool } from 'pg';
import { clinicBody } from '../../test/support/clinic-factories';
import {
  AppProcess,
  buildApp,
  call,
  demoSignIns,
  DemoRole,
  log,
  main,
  must,
  pooled,
  scriptArgs,
  SignedIn,
  sparePort,
  Workspace,
  writeResult,
} from './support';

const SQLMAP_OPTIONS = [
  '--batch',
  '--level=3',
  '--risk=2',
  // Boolean, error, union, stacked and time-based: each takes a few seconds per parameter when nothing is found.
  '--technique=BEUST',
  '--dbms=PostgreSQL',
  '--flush-session',
  '--disable-coloring',
];
const DEMO_SMS_CODE = '123456';
const SCAN_LANES = 2;
/** The apps' roles first: a route the apps call is scanned as the apps call it, operators' routes as operators. */
const ROLE_ORDER: DemoRole[] = ['patient', 'doctor', 'assistant', 'operator'];
const LOCATION = '116.397-39.909';

/** Values tried for a parameter, in order; the first that keeps the list non-empty is kept. */
const CANDIDATES: Record<string, string[]> = {
  keyword: ['医', '张', '协和'],
  departments: ['内科'],
  job_position: ['主任医师'],
  service_target: ['老年人'],
  name: ['北京市'],
  parent_id: ['110000'],
  media_id: ['demo-media'],
  code: ['demo-code'],
};

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema?: { default?: string | number; enum?: (string | number)[]; example?: string | number };
}
interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
}

interface Target {
  path: string;
  role: DemoRole;
  query: [string, string][];
  /** sqlmap's -H options: the token, and header parameters marked `*` as injection points. */
  headers: string[];
  rows: number;
  baseline: string;
}

interface ScanResult {
  tested: string[];
  injectable: string[];
  requests: number;
  httpErrors: string[];
  seconds: number;
}

function requireSqlmap(): string {
  const probe = spawnSync('sqlmap', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    process.stderr.write(
      'sqlmap is not installed. It is a Debian package: `apt-get install -y sqlmap` (as root, or with sudo),\n' +
        'then run `npm run reliability:sqlmap` again.\n',
    );
    process.exit(2);
  }
  return probe.stdout.trim().split('\n')[0];
}

/** How many rows an answer's `data` shows: a page's list, an array, or one object. */
function rowsOf(data: unknown): number {
  if (Array.isArray(data)) return data.length;
  if (data && typeof data === 'object') {
    const list = (data as { list?: unknown }).list;
    if (Array.isArray(list)) return list.length;
    return Object.keys(data).length > 0 ? 1 : 0;
  }
  return 0;
}

/** Content that makes each list non-empty: every id a path parameter may take is returned. */
async function addContent(base: string, who: Record<DemoRole, SignedIn>): Promise<number[]> {
  const { patient, doctor, assistant, operator } = who;
  await must(base, 'POST', '/org_add/1', { token: doctor.token });
  const applications = await must<{ list: { id: number }[] }>(
    base,
    'GET',
    '/admin/org_members?verify_status=0',
    {
      token: operator.token,
    },
  );
  await must(base, 'POST', `/admin/org_members/${applications.list[0].id}/verify`, {
    token: operator.token,
    body: { verify_status: 1 },
  });
  const clinic = clinicBody(1);
  const project = await must<{ id: number; plan_time: Record<string, number> }>(base, 'POST', '/project', {
    token: doctor.token,
    body: clinic,
  });
  await must(base, 'POST', `/project/${project.id}/join`, {
    token: patient.token,
    body: { content: '头痛三天', plan_time: Object.keys(project.plan_time)[0] },
  });
  await must(base, 'GET', `/follow/user/${doctor.id}`, { token: patient.token });
  await must(base, 'GET', `/follow/user/${doctor.id}`, { token: assistant.token });
  const priced = await must<{ id: number; plan_time: Record<string, number> }>(base, 'POST', '/project', {
    token: doctor.token,
    body: { ...clinic, begin: '18:00:00', end: '19:00:00', price: 50 },
  });
  // A deposit paid (sandbox provider) and refunded on cancelling: the payment and refund lists have a row.
  const order = await must<{ sn: string }>(base, 'POST', `/project/${priced.id}/join`, {
    token: patient.token,
    body: { content: '复诊', plan_time: Object.keys(priced.plan_time)[0] },
  });
  await must(base, 'POST', `/payments/sandbox/${order.sn}/confirm`, { token: patient.token });
  await must(base, 'GET', `/custom/project/${priced.id}/cancel`, { token: patient.token });
  const second = await must<{ id: number; plan_time: Record<string, number> }>(base, 'POST', '/project', {
    token: doctor.token,
    body: { ...clinic, begin: '14:00:00', end: '16:00:00' },
  });
  await must(base, 'POST', '/chat', {
    token: patient.token,
    body: { content: '医生您好', type: 1, to_user_id: doctor.id },
  });
  const dialogs = await must<{ list: { id: number }[] }>(base, 'GET', '/chat', { token: patient.token });
  await must(base, 'POST', '/phone/verifycode', { body: { phone: patient.phone } });
  await must(base, 'POST', '/assistant/bind/patient', {
    token: assistant.token,
    body: { phone: patient.phone, verify_code: DEMO_SMS_CODE },
  });
  await must(base, 'POST', `/assistant/join/project/${second.id}`, {
    token: assistant.token,
    body: { user_id: patient.id, plan_time: Object.keys(second.plan_time)[0] },
  });
  const special = await must<{ id: number }>(base, 'POST', '/admin/sp_projects', {
    token: operator.token,
    body: { ...clinic, photo: '', hospital_id: 1, org_id: 1 },
  });
  await must(base, 'POST', `/admin/sp_projects/${special.id}/projects`, {
    token: operator.token,
    body: { project_id: project.id },
  });
  await must(base, 'POST', '/admin/messages', {
    token: operator.token,
    body: { app_type: 1, title: '通知', content: '本周六社区义诊' },
  });
  return [...new Set([project.id, second.id, doctor.id, patient.id, dialogs.list[0].id, special.id])];
}

function candidatesFor(p: Parameter): string[] {
  const schema = p.schema ?? {};
  if (CANDIDATES[p.name]) return CANDIDATES[p.name];
  if (schema.default !== undefined) return [String(schema.default)];
  if (schema.enum) return schema.enum.map(String);
  if (schema.example !== undefined) return [String(schema.example)];
  return ['1'];
}

const withQuery = (path: string, query: [string, string][]) =>
  query.length ? `${path}?${new URLSearchParams(query).toString()}` : path;

/**
 * The role, path ids and parameter values a route is scanned with: the first role and ids it answers (with
 * rows, when any combination has rows), then each parameter's first value that keeps rows.
 */
async function planTarget(
  base: string,
  who: Record<DemoRole, SignedIn>,
  ids: number[],
  template: string,
  parameters: Parameter[],
): Promise<Target> {
  const pathParams = parameters.filter((p) => p.in === 'path').map((p) => p.name);
  let paths = [template];
  for (const name of pathParams) {
    const values = name === 'type' ? [1, 2, 3] : ids;
    paths = paths.flatMap((p) => values.map((v) => p.replace(`{${name}}`, String(v))));
  }
  // The documented header parameters (X-location) are probed with a sample value and scanned as well.
  const headerValues = Object.fromEntries(
    parameters
      .filter((p) => p.in === 'header' && p.name.toLowerCase() === 'x-location')
      .slice(0, 1)
      .map(() => ['X-location', LOCATION]),
  );
  const sqlmapHeaders = (role: DemoRole) => [
    `X-auth-token: ${who[role].token}`,
    ...Object.entries(headerValues).map(([name, value]) => `${name}: ${value}*`),
  ];

  // Required query parameters take part in every probe, or every probe would be a validation refusal.
  const required = parameters
    .filter((p) => p.in === 'query' && p.required)
    .map((p): [string, string] => [p.name, candidatesFor(p)[0]]);
  let best: Target | undefined;
  let token = who.patient.token;
  for (const role of ROLE_ORDER) {
    for (const path of paths) {
      const answer = await call(base, 'GET', withQuery(path, required), {
        token: who[role].token,
        headers: headerValues,
      });
      if (answer.status !== 200 || answer.code !== 0) continue;
      const rows = rowsOf(answer.data);
      if (!best || (best.rows === 0 && rows > 0)) {
        best = { path, role, query: [], headers: sqlmapHeaders(role), rows, baseline: '200' };
        token = who[role].token;
      }
      if (rows > 0) break;
    }
    if (best && best.rows > 0) break;
  }
  if (!best) {
    // Nothing answers 200 (e.g. a partner that is not configured): scan it as the patient all the same.
    const answer = await call(base, 'GET', withQuery(paths[0], required), { token, headers: headerValues });
    best = {
      path: paths[0],
      role: 'patient',
      query: [],
      headers: sqlmapHeaders('patient'),
      rows: 0,
      baseline: `${answer.status} ${answer.code}`,
    };
  }

  for (const p of parameters.filter((x) => x.in === 'query')) {
    const values = candidatesFor(p);
    let chosen = values[0];
    let rows = -1;
    for (const value of values) {
      const answer = await call(base, 'GET', withQuery(best.path, [...best.query, [p.name, value]]), {
        token,
        headers: headerValues,
      });
      const r = answer.status === 200 && answer.code === 0 ? rowsOf(answer.data) : -1;
      if (r > rows) [chosen, rows] = [value, r];
      if (r > 0) break;
    }
    best.query.push([p.name, chosen]);
    if (rows >= 0) best.rows = rows;
  }
  return best;
}

/**
 * sqlmap calls a point marked with `*` `#1*` (`X-location #1*` when the mark follows a value it recognises):
 * named here by the header that carries it.
 */
function namePoint(name: string, headers: string[]): string {
  if (!/#\d+\*$/.test(name)) return name;
  const marked = headers.find((h) => h.endsWith('*'));
  return marked ? `${marked.split(':')[0]} header` : name;
}

/** Runs sqlmap on one URL; reads what it tested and found from its log, and its request count from the traffic file. */
async function scan(ws: Workspace, label: string, url: string, headers: string[]): Promise<ScanResult> {
  const dir = join(ws.dir, 'sqlmap', label.replace(/[^a-z0-9]+/gi, '_'));
  const traffic = join(dir, 'traffic.txt');
  const logFile = join(dir, 'sqlmap.log');
  const args = [
    '-u',
    url,
    ...headers.flatMap((h) => ['-H', h]),
    ...SQLMAP_OPTIONS,
    `--output-dir=${dir}`,
    `-t`,
    traffic,
  ];
  const started = Date.now();
  await new Promise<void>((done, fail) => {
    spawnSync('mkdir', ['-p', dir]);
    const out = createWriteStream(logFile);
    const child = spawn('sqlmap', args, { env: { ...process.env, TERM: 'dumb' } });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.on('error', fail);
    child.on('close', () => out.end(done));
  });
  const text = readFileSync(logFile, 'utf8');
  const tested = [
    ...text.matchAll(/parameter '([^']+)' (?:does not seem to be injectable|is vulnerable)/g),
  ].map((m) => namePoint(m[1], headers));
  const found = text.includes('sqlmap identified the following injection point')
    ? [...text.matchAll(/^Parameter: (.+)$/gm)].map((m) => m[1])
    : [];
  return {
    tested: [...new Set(tested)],
    injectable: found,
    requests: existsSync(traffic)
      ? (readFileSync(traffic, 'utf8').match(/^HTTP request \[#\d+\]:/gm) ?? []).length
      : 0,
    httpErrors: [...text.matchAll(/^(\d{3}) \(([^)]+)\) - (\d+) times/gm)].map((m) => `${m[1]}×${m[3]}`),
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

/**
 * The control: an endpoint that splices `keyword` into its SQL, on the same database. Kept only for the
 * duration of the scan, on loopback.
 */
async function startInjectableControl(databaseUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const server: Server = createServer((req, res) => {
    const keyword = new URL(req.url ?? '/', 'http://control').searchParams.get('keyword') ?? '';
    pool
      .query<{ id: number; name: string }>(
        `SELECT id, name FROM hospital WHERE name LIKE '%${keyword}%' ORDER BY id`,
      )
      .then((r) => res.end(JSON.stringify({ error_code: 0, data: { list: r.rows } })))
      .catch(() => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error_code: 10000, data: null }));
      });
  });
  const port = await sparePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${port}/hospitals?keyword=${encodeURIComponent('医')}`,
    close: async () => {
      await new Promise((done) => server.close(done));
      await pool.end();
    },
  };
}

function summary(
  version: string,
  control: ScanResult,
  rows: { target: Target; result: ScanResult }[],
  seconds: number,
): string {
  const routes = rows.length;
  const params = rows.reduce((n, r) => n + r.result.tested.length, 0);
  const requests = rows.reduce((n, r) => n + r.result.requests, 0);
  const injectable = rows.flatMap((r) => r.result.injectable.map((p) => `${r.target.path}: ${p}`));
  const lines = [
    '# SQL injection scan (sqlmap)',
    '',
    `Generated by \`npm run reliability:sqlmap\` on ${new Date().toISOString().slice(0, 10)}: ${version},`,
    `\`${SQLMAP_OPTIONS.join(' ')}\`, against the built app on a scratch Postgres with the demo data.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| routes scanned | ${routes} |`,
    `| injection points tested (query parameters, X-location, User-Agent, Referer, the token header) | ${params} |`,
    `| requests sent by sqlmap | ${requests} |`,
    `| injectable parameters found | ${injectable.length}${injectable.length ? `: ${injectable.join('; ')}` : ''} |`,
    `| control (an endpoint that splices \`keyword\` into SQL) | ${control.injectable.length ? `found injectable (${control.injectable.join('; ')}) in ${control.requests} requests` : 'NOT found: the scan proves nothing'} |`,
    `| duration | ${Math.round(seconds / 60)} min |`,
    '',
    'Each route was requested with the token of the first demo role it answers and with values that keep its list',
    'non-empty (rows in the baseline answer), so that boolean-based tests had two different pages to tell apart.',
    'Other answers during the scan: 400 validation refusals of malformed values, 404 for the altered paths sqlmap',
    'also tries (and unknown regions), 503 50001 where WeChat is not configured. Routes whose baseline has no rows',
    '(ratings need a finished visit) rely on the error-based, stacked and time-based tests, which need none.',
    '',
    '| route | as | baseline rows | injection points tested | requests | other statuses | injectable |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      ({ target, result }) =>
        `| \`GET ${withQuery(target.path, target.query)}\` | ${target.role} | ${target.baseline === '200' ? target.rows : `none (answers ${target.baseline})`} | ${result.tested.join(', ')} | ${result.requests} | ${result.httpErrors.join(', ') || '—'} | ${result.injectable.join('; ') || 'no'} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

const version = requireSqlmap();
main(async (ws) => {
  const args = scriptArgs();
  const only = args.names[0];
  if (args.build) await buildApp();
  const started = Date.now();
  const pg = await ws.startPostgres();
  const app = new AppProcess(ws, await sparePort(), {
    NODE_ENV: 'development',
    DATABASE_URL: pg.url,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    SMS_TEST_CODE: DEMO_SMS_CODE,
    // sqlmap sends thousands of requests from one address: the throttler would answer most of them with 429.
    RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  await app.start();
  log(`app on ${app.base}, scratch Postgres on port ${pg.port}`);
  const who = await demoSignIns(app.base);
  const ids = await addContent(app.base, who);

  const doc = (await (await fetch(`${app.base}/docs-json`)).json()) as OpenApi;
  const routes = Object.entries(doc.paths)
    .filter(
      ([path, ops]) => ops.get?.parameters?.some((p) => p.in === 'query') && (!only || path.includes(only)),
    )
    .map(([path, ops]) => [path, ops.get.parameters ?? []] as const);
  log(`${routes.length} GET routes with query parameters`);

  const control = await startInjectableControl(pg.url);
  log('control: scanning an endpoint that is injectable on purpose');
  const controlResult = await scan(ws, 'control', control.url, []);
  await control.close();
  log(
    `control: ${controlResult.injectable.length ? 'found' : 'NOT found'} (${controlResult.requests} requests)`,
  );

  const targets: Target[] = [];
  for (const [template, parameters] of routes) {
    targets.push(await planTarget(app.base, who, ids, template, parameters));
  }
  // The token header is read by every guarded route: scanned once, on the profile route.
  if (!only) {
    targets.push({
      path: '/user',
      role: 'patient',
      query: [],
      headers: [`X-auth-token: ${who.patient.token}*`],
      rows: 1,
      baseline: '200',
    });
  }
  // Two scans at a time: sqlmap waits on the app and the app on sqlmap, so two lanes keep both busy.
  const results = await pooled(
    targets.map((target, i) => async () => {
      const result = await scan(
        ws,
        `${i}${target.path}`,
        `${app.base}${withQuery(target.path, target.query)}`,
        target.headers,
      );
      log(
        `${target.path} as ${target.role}: ${result.tested.length} points, ${result.requests} requests, ` +
          `${result.seconds} s, ${result.injectable.length ? `INJECTABLE ${result.injectable.join('; ')}` : 'nothing injectable'}`,
      );
      return { target, result };
    }),
    SCAN_LANES,
  );

  const report = summary(version, controlResult, results, (Date.now() - started) / 1000);
  process.stdout.write(`\n${report}\n`);
  // A partial scan (a route filter) does not replace the summary of the full one.
  if (!only) log(`written to ${writeResult('sqlmap-summary.md', report)}`);
  const injectable = results.some((r) => r.result.injectable.length > 0);
  if (injectable || controlResult.injectable.length === 0) process.exitCode = 1;
});
