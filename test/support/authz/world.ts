import { createHash, randomBytes } from 'node:crypto';
import { User, VerifyState } from 'src/modules/users/user.entity';
import {
  joinProject,
  makeDoctor,
  makeHospital,
  makePatient,
  publishProject,
  shanghaiDate,
  shiftProject,
  slotOf,
} from '../clinic-factories';
import { Account, registerAccount, sendCode } from '../factories';
import { FakeWechat } from '../fakes/wechat.fake';
import { FakeWechatPay } from '../fakes/wechat-pay.fake';
import { startTestApp, TestApp } from '../test-app';
import { PartnerFakes, PartnerRecords, startPartnerFakes } from './partners/world';

export const OPERATOR_PHONE = '13700000077';
export const OPERATOR_PASSWORD = 'operator-pass-1';
const WECHAT_APP_ID = 'wx_authz_app';
const WECHAT_SECRET = 'authz-secret-0123456789abcdef';

export type AppRole = 'patient' | 'doctor' | 'assistant';
type Project = Awaited<ReturnType<typeof publishProject>>;

/** A new token of the account, stored as its SHA-256 the way `TokenService` stores them. */
export async function mintToken(
  t: TestApp,
  subject: { userId: number } | { operatorId: number },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await t.db.query(
    `INSERT INTO auth_token (token_hash, user_id, operator_id, expires_at, last_used_at)
     VALUES ($1, $2, $3, now() + interval '1 day', now())`,
    [
      createHash('sha256').update(token).digest('hex'),
      'userId' in subject ? subject.userId : null,
      'operatorId' in subject ? subject.operatorId : null,
    ],
  );
  return token;
}

/**
 * Everything the authorization matrix and the malformed-input sweep call the API with, built once per suite:
 * one bare account per role, an owner of each role holding one resource per route (so that an owner's request
 * that changes state touches nothing another cell reads), a stranger of each role holding data of the same
 * kinds, an operator, a disabled account and an expired token.
 */
export interface World {
  t: TestApp;
  /** The running app's base URL (it listens on loopback, so requests do not each start a server). */
  baseUrl: string;
  role: Record<AppRole, Account>;
  owner: Record<AppRole, Account>;
  stranger: Record<AppRole, Account>;
  operator: { id: number; token: string };
  disabled: Account;
  expiredToken: string;
  /** A doctor awaiting verification, the target of `POST /admin/users/{id}/verify`. */
  unverifiedDoctor: Account;
  /** A patient with a fresh SMS code, whom the bare assistant binds through `POST /assistant/bind/patient`. */
  bindablePatient: Account;
  /** The owner doctor's clinics, one per route that changes one; `strangers` is the stranger doctor's. */
  project: Record<
    | 'main'
    | 'cancel'
    | 'leave'
    | 'join'
    | 'assistRead'
    | 'assistCancel'
    | 'assistJoin'
    | 'paid'
    | 'strangers',
    Project
  >;
  /** The owner patient's bookings (ids), one per route that changes one. */
  booking: Record<
    | 'main'
    | 'reject'
    | 'done'
    | 'result'
    | 'doctorComment'
    | 'patientComment'
    | 'rated'
    | 'assistRead'
    | 'assistCancel',
    number
  >;
  /** The order sn of the owner patient's held seat on the priced clinic. */
  orderSn: string;
  /** The dialog between the owner patient and the owner doctor. */
  dialogId: number;
  /** A personal message to the owner patient. */
  messageId: number;
  org: Record<'listed' | 'leave' | 'apply' | 'decide' | 'edit', number>;
  /** Org applications: the owner doctor's (listed, and one to withdraw) and the stranger doctor's (to decide). */
  member: Record<'listed' | 'withdraw' | 'decide', number>;
  /** The bare doctor's hospital. */
  hospitalId: number;
  news: Record<'read' | 'edit', number>;
  banner: Record<'edit' | 'remove', number>;
  sp: Record<'read' | 'edit' | 'attach' | 'detach', number>;
  /** Records of the owner patient at the partners (each partner on a loopback fake). */
  partners: PartnerRecords;
  close(): Promise<void>;
}

const verifiedAssistant = async (t: TestApp): Promise<Account> => {
  const a = await registerAccount(t.http, 3);
  await t.db
    .getRepository(User)
    .update(a.id, { isVerify: VerifyState.Active, realName: '王医助', teamName: '志愿队' });
  return a;
};

const bindPatient = (t: TestApp, assistant: Account, patient: Account) =>
  t.db.query('INSERT INTO assistant_patient (assistant_id, patient_id) VALUES ($1, $2)', [
    assistant.id,
    patient.id,
  ]);

async function bookingOf(
  t: TestApp,
  projectId: number,
  patientId: number,
): Promise<{ id: number; sn: string }> {
  const [row] = await t.db.query<{ id: number; sn: string }[]>(
    'SELECT id, sn FROM diagnosis WHERE project_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT 1',
    [projectId, patientId],
  );
  return row;
}

function dataOf(res: { status: number; body: { data: unknown } }, what: string) {
  if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as Record<string, unknown> & { id: number };
}

/**
 * Starts the app with WeChat, WeChat Pay and the four partners on loopback fakes (deposits stay on the sandbox provider; the WeChat
 * Pay keys make its notification endpoint check signatures) and job workers off, so that nothing changes rows
 * behind the requests.
 */
export async function buildWorld(): Promise<World> {
  const wechat = new FakeWechat(WECHAT_APP_ID, WECHAT_SECRET);
  const wechatPay = new FakeWechatPay();
  const [wechatBase, wechatPayBase, partners] = await Promise.all([
    wechat.start(),
    wechatPay.start(),
    startPartnerFakes(),
  ]);
  const t = await startTestApp({
    ...partners.env,
    ...wechatPay.env(wechatPayBase, `${wechatPayBase}/notify`),
    PAYMENT_PROVIDER: 'sandbox',
    ADMIN_PHONE: OPERATOR_PHONE,
    ADMIN_PASSWORD: OPERATOR_PASSWORD,
    JOBS_WORKERS: 'false',
    WECHAT_APP_ID,
    WECHAT_APP_SECRET: WECHAT_SECRET,
    WECHAT_API_BASE: wechatBase,
  });
  const close = async () => {
    await t.close();
    await Promise.all([wechat.stop(), wechatPay.stop(), partners.stop()]);
  };
  try {
    return await populate(t, partners, close);
  } catch (e) {
    await close();
    throw e;
  }
}

async function populate(t: TestApp, fakes: PartnerFakes, close: () => Promise<void>): Promise<World> {
  await t.app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  const login = await t.http.post('/admin/login').send({ phone: OPERATOR_PHONE, pwd: OPERATOR_PASSWORD });
  const { id: operatorId, token: adminToken } = dataOf(login, 'operator login') as {
    id: number;
    token: string;
  };
  const admin = <T extends { status: number; body: { data: unknown } }>(what: string, req: PromiseLike<T>) =>
    Promise.resolve(req).then((res) => dataOf(res, what));
  const asAdmin = (method: 'post' | 'put', path: string, body: object) =>
    admin(`${method} ${path}`, t.http[method](path).set('X-auth-token', adminToken).send(body));

  // The bare doctor works at this hospital: `PUT /user` sends it back unchanged, which keeps the doctor verified.
  const hospitalId = await makeHospital(t);
  const [role, owner, stranger, extra] = await Promise.all([
    Promise.all([makePatient(t), makeDoctor(t, { hospitalId }), verifiedAssistant(t)]),
    Promise.all([makePatient(t), makeDoctor(t), verifiedAssistant(t)]),
    Promise.all([makePatient(t, '李四'), makeDoctor(t, { name: '赵医生' }), verifiedAssistant(t)]),
    Promise.all([
      registerAccount(t.http, 1),
      registerAccount(t.http, 1),
      registerAccount(t.http, 2),
      makePatient(t),
    ]),
  ]);
  const [P, D, A] = owner;
  const [sP, sD, sA] = stranger;
  const [disabled, expiring, unverifiedDoctor, bindablePatient] = extra;
  await t.db.getRepository(User).update(disabled.id, { isVerify: VerifyState.Disabled });
  await t.db.query(`UPDATE auth_token SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [
    expiring.id,
  ]);
  await Promise.all([bindPatient(t, A, P), bindPatient(t, sA, sP)]);

  const publish = (doctor: Account, over = {}) =>
    publishProject(t, doctor, { date: shanghaiDate(2), ...over });
  const names = ['main', 'cancel', 'leave', 'join', 'assistRead', 'assistCancel', 'assistJoin'] as const;
  const visitNames = ['reject', 'done', 'result', 'doctorComment', 'patientComment', 'rated'] as const;
  const [published, visitProjects, paid, strangers] = await Promise.all([
    Promise.all(names.map(() => publish(D))),
    Promise.all(visitNames.map(() => publish(D))),
    publish(D, { price: 50 }),
    publish(sD),
  ]);
  const project = {
    ...(Object.fromEntries(names.map((n, i) => [n, published[i]])) as Record<
      (typeof names)[number],
      Project
    >),
    paid,
    strangers,
  };

  const assistantJoin = (who: Account, p: Project, patient: Account) =>
    admin(
      'assistant join',
      t.http
        .post(`/assistant/join/project/${p.id}`)
        .set('X-auth-token', who.token)
        .send({ user_id: patient.id, plan_time: slotOf(p) }),
    );
  const [main, , ...visitBookings] = await Promise.all([
    joinProject(t, P, project.main),
    joinProject(t, P, project.leave),
    ...visitProjects.map((p) => joinProject(t, P, p)),
    joinProject(t, P, paid),
    joinProject(t, sP, strangers),
    assistantJoin(A, project.assistRead, P),
    assistantJoin(A, project.assistCancel, P),
  ]);
  const booked = Object.fromEntries(visitNames.map((n, i) => [n, visitBookings[i]])) as Record<
    (typeof visitNames)[number],
    number
  >;
  // The visit routes need a clinic that has started (and for ratings, a visit marked seen): moved three days back.
  for (const n of ['done', 'result', 'doctorComment', 'patientComment', 'rated'] as const) {
    await shiftProject(t, visitProjects[visitNames.indexOf(n)].id, -3 * 24 * 60);
  }
  await t.db.query('UPDATE diagnosis SET status = 3 WHERE id = ANY($1)', [
    [booked.doctorComment, booked.patientComment, booked.rated],
  ]);
  await t.db.query(
    `UPDATE diagnosis SET doctor_score = 5, doctor_comment = '很好', patient_comment_time = now() WHERE id = $1`,
    [booked.rated],
  );
  const [assistRead, assistCancel, order] = await Promise.all([
    bookingOf(t, project.assistRead.id, P.id),
    bookingOf(t, project.assistCancel.id, P.id),
    bookingOf(t, paid.id, P.id),
  ]);

  const chat = (from: Account, type: 1 | 2, to: Account) =>
    admin(
      'chat',
      t.http.post('/chat').set('X-auth-token', from.token).send({ content: '您好', type, to_user_id: to.id }),
    );
  await Promise.all([chat(P, 1, D), chat(sP, 1, sD)]);
  const [{ id: dialogId }] = await t.db.query<{ id: number }[]>(
    'SELECT id FROM chat_dialog WHERE patient_user_id = $1 AND doctor_user_id = $2',
    [P.id, D.id],
  );
  const [{ id: messageId }] = await t.db.query<{ id: string }[]>(
    'SELECT id FROM message WHERE user_id = $1 ORDER BY id DESC LIMIT 1',
    [P.id],
  );

  const follow = (who: Account, doctor: Account) =>
    admin('follow', t.http.get(`/follow/user/${doctor.id}`).set('X-auth-token', who.token));
  await Promise.all([follow(P, D), follow(A, D)]);

  const orgNames = ['listed', 'leave', 'apply', 'decide', 'edit'] as const;
  const orgs = await Promise.all(
    orgNames.map((n) => asAdmin('post', '/admin/orgs', { name: `权限组织-${n}` })),
  );
  const org = Object.fromEntries(orgNames.map((n, i) => [n, orgs[i].id])) as World['org'];
  const apply = (who: Account, orgId: number) =>
    admin('org_add', t.http.post(`/org_add/${orgId}`).set('X-auth-token', who.token));
  await Promise.all([
    apply(D, org.listed),
    apply(D, org.leave),
    apply(sD, org.decide),
    apply(sD, org.listed),
  ]);
  const memberOf = async (orgId: number, doctor: Account) =>
    (
      await t.db.query<{ id: number }[]>('SELECT id FROM org_member WHERE org_id = $1 AND doctor_id = $2', [
        orgId,
        doctor.id,
      ])
    )[0].id;

  const newsOf = () => asAdmin('post', '/admin/news', { type: 1, title: '公告', content: '<p>正文</p>' });
  const bannerOf = () =>
    asAdmin('post', '/admin/banners', { app_type: 1, title: '活动', photo: 'http://files.test/b.png' });
  const spOf = () =>
    asAdmin('post', '/admin/sp_projects', {
      date: shanghaiDate(3),
      begin: '08:00:00',
      end: '17:00:00',
      people_count: 100,
      addr: '北京市朝阳区社区中心',
      lng: 116.4,
      lat: 39.9,
      abstract: '社区健康日',
      photo: 'http://files.test/sp.png',
      price: 0,
      service_target: ['老年人'],
    });
  const [newsRead, newsEdit, bannerEdit, bannerRemove, spRead, spEdit, spAttach, spDetach] =
    await Promise.all([newsOf(), newsOf(), bannerOf(), bannerOf(), spOf(), spOf(), spOf(), spOf()]);
  for (const sp of [spRead, spDetach])
    await asAdmin('post', `/admin/sp_projects/${sp.id}/projects`, { project_id: project.main.id });

  const partners = await fakes.populate(t, { owner: P, stranger: sP, adminToken });

  // Last: the code must be the newest for that phone when the bare assistant uses it.
  await sendCode(t.http, bindablePatient.phone);

  return {
    t,
    baseUrl,
    role: { patient: role[0], doctor: role[1], assistant: role[2] },
    owner: { patient: P, doctor: D, assistant: A },
    stranger: { patient: sP, doctor: sD, assistant: sA },
    operator: { id: operatorId, token: adminToken },
    disabled,
    expiredToken: expiring.token,
    unverifiedDoctor,
    bindablePatient,
    project,
    booking: {
      main,
      ...booked,
      assistRead: assistRead.id,
      assistCancel: assistCancel.id,
    },
    orderSn: order.sn,
    dialogId,
    messageId: Number(messageId),
    org,
    member: {
      listed: await memberOf(org.listed, D),
      withdraw: await memberOf(org.leave, D),
      decide: await memberOf(org.decide, sD),
    },
    hospitalId,
    news: { read: newsRead.id, edit: newsEdit.id },
    banner: { edit: bannerEdit.id, remove: bannerRemove.id },
    sp: { read: spRead.id, edit: spEdit.id, attach: spAttach.id, detach: spDetach.id },
    partners,
    close,
  };
}
