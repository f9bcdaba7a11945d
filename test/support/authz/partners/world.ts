import { H91160SyncService } from 'src/integrations/h91160/h91160-sync.service';
import { shanghaiDate } from '../../clinic-factories';
import type { Account } from '../../factories';
import { FAKE_TOP_APP_KEY, FAKE_TOP_SECRET, FakeAlihealth } from '../../fakes/alihealth.fake';
import { FakeFeiqingsong } from '../../fakes/feiqingsong.fake';
import { H91160Fake } from '../../fakes/h91160.fake';
import { FakeLinkingcloud } from '../../fakes/linkingcloud.fake';
import type { TestApp } from '../../test-app';

const LC_APP_ID = 'lc-authz-app';
const LC_SECRET = 'lc-authz-secret-0123';
const H91160_TOKEN = 'h91160-authz-app-token';
export const H91160_DOCTOR = 1001011;
export const LC_DOCTOR = 'LCD1001';

/** The 肺轻松 orders of the owner patient, one per route that changes an order, each in the state it needs. */
export type QaOrderUse = 'read' | 'pay' | 'cancel' | 'finish' | 'evaluate' | 'remove';

/** What the partner routes of the matrix name: records of the owner patient, made through the routes themselves. */
export interface PartnerRecords {
  qaOrder: Record<QaOrderUse, string>;
  consultQuestion: number;
  /** The stranger patient's chat dialog, linked to a follow-up session (to be unlinked). */
  linkedDialog: number;
  appointment: {
    hospitalId: number;
    departmentId: number;
    scheduleId: string;
    /** A free resource, for a booking. */
    freeDetlId: string;
    /** The owner's booked appointment, for its cancellation. */
    ownerBooking: number;
  };
}

export interface PartnerActors {
  owner: Account;
  stranger: Account;
  adminToken: string;
}

export interface PartnerFakes {
  /** Environment pointing the app at the fakes. */
  env: Record<string, string>;
  populate(t: TestApp, who: PartnerActors): Promise<PartnerRecords>;
  stop(): Promise<void>;
}

/** Starts one loopback fake per partner: every partner route of the matrix answers past "not configured". */
export async function startPartnerFakes(): Promise<PartnerFakes> {
  const qa = new FakeFeiqingsong();
  const lc = new FakeLinkingcloud({ appId: LC_APP_ID, appSecret: LC_SECRET });
  const h91160 = new H91160Fake(H91160_TOKEN, { units: 2, departmentsOfFirstUnit: 2 });
  const ali = new FakeAlihealth(FAKE_TOP_APP_KEY, FAKE_TOP_SECRET);
  await Promise.all([qa.start(), lc.start(), h91160.start(), ali.start()]);
  return {
    env: {
      FEIQINGSONG_BASE_URL: qa.baseUrl,
      LINKINGCLOUD_BASE_URL: lc.baseUrl,
      LINKINGCLOUD_APP_ID: LC_APP_ID,
      LINKINGCLOUD_APP_SECRET: LC_SECRET,
      H91160_BASE_URL: h91160.baseUrl,
      H91160_APP_TOKEN: H91160_TOKEN,
      ALIHEALTH_BASE_URL: `${ali.baseUrl}/router/rest`,
      ALIHEALTH_APP_KEY: FAKE_TOP_APP_KEY,
      ALIHEALTH_APP_SECRET: FAKE_TOP_SECRET,
      ALIHEALTH_SIGN_METHOD: 'hmac',
    },
    populate: (t, who) => populate(t, qa, who),
    stop: async () => {
      await Promise.all([qa.stop(), lc.stop(), h91160.stop(), ali.stop()]);
    },
  };
}

async function populate(
  t: TestApp,
  qa: FakeFeiqingsong,
  { owner, stranger, adminToken }: PartnerActors,
): Promise<PartnerRecords> {
  const as = (who: Account) => ({
    get: (path: string) => t.http.get(path).set('X-auth-token', who.token),
    post: (path: string, body: object = {}) => t.http.post(path).set('X-auth-token', who.token).send(body),
  });
  const must = async <T>(what: string, req: PromiseLike<{ status: number; body: { data: unknown } }>) => {
    const res = await req;
    if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as T;
  };

  // 肺轻松: owner and stranger link accounts of their own; the owner's orders are moved into the states they need.
  qa.addDoctor('doctor1', '19.00', '李医生');
  const [ownerQa, strangerQa] = [qa.addPatient('owner_qa'), qa.addPatient('stranger_qa')];
  await must('link', as(owner).post('/qa/account', { token: ownerQa.token, username: ownerQa.username }));
  await must(
    'link',
    as(stranger).post('/qa/account', { token: strangerQa.token, username: strangerQa.username }),
  );
  const uses: QaOrderUse[] = ['read', 'pay', 'cancel', 'finish', 'evaluate', 'remove'];
  const orders = {} as Record<QaOrderUse, string>;
  for (const use of uses) {
    const order = await must<{ order_number: string }>(
      'qa order',
      as(owner).post('/qa/orders', { doctor: 'doctor1', order_type: 'online' }),
    );
    orders[use] = order.order_number;
  }
  qa.setStatus(orders.finish, 3);
  qa.setStatus(orders.evaluate, 4);

  // 联空医问: one question of the owner, sent at once (the world runs no job workers).
  const question = await must<{ id: number }>(
    'consult question',
    as(owner).post('/consult/questions', {
      doctor_id: LC_DOCTOR,
      content: '咳嗽两周',
      consult_name: '图文咨询',
      consult_amount: '0',
    }),
  );

  // 91160: the hospitals synced once, then one booked appointment of the owner.
  await t.app.get(H91160SyncService).run();
  const [{ hospital_id: hospitalId, id: departmentId }] = await t.db.query<
    { hospital_id: number; id: number }[]
  >(
    `SELECT d.hospital_id, d.id FROM hospital_department d JOIN hospital h ON h.id = d.hospital_id
      ORDER BY h.h91160_unit_id, d.partner_dep_id LIMIT 1`,
  );
  const scheduleId = `S-${H91160_DOCTOR}-${shanghaiDate(2)}-am`;
  const booking = await must<{ id: number }>(
    'appointment',
    as(owner).post('/appointment', {
      department_id: departmentId,
      doctor_id: H91160_DOCTOR,
      schedule_id: scheduleId,
      detl_id: `${scheduleId}-1`,
    }),
  );
  // 阿里健康随访: the stranger's dialog (with its doctor) linked to a session.
  const [{ id: linkedDialog }] = await t.db.query<{ id: number }[]>(
    'SELECT id FROM chat_dialog WHERE patient_user_id = $1',
    [stranger.id],
  );
  await must(
    'followup link',
    t.http
      .post(`/admin/chat/dialogs/${linkedDialog}/followup`)
      .set('X-auth-token', adminToken)
      .send({ session_id: 'authz-linked-session' }),
  );
  return {
    qaOrder: orders,
    linkedDialog,
    consultQuestion: question.id,
    appointment: {
      hospitalId,
      departmentId,
      scheduleId,
      freeDetlId: `${scheduleId}-2`,
      ownerBooking: booking.id,
    },
  };
}
