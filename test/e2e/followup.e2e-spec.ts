import { Logger } from '@nestjs/common';
import { DELIVER_JOB } from 'src/integrations/alihealth/followup.service';
import { FollowupDeliveryService } from 'src/integrations/alihealth/followup-delivery.service';
import { makeDoctor, makePatient } from '../support/clinic-factories';
import { Account, expectError, operatorToken, sleep } from '../support/factories';
import { FAKE_TOP_APP_KEY, FAKE_TOP_SECRET, FakeAlihealth } from '../support/fakes/alihealth.fake';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700003333';
const ADMIN_PASSWORD = 'operator-pass-3';
const AUTH_TOKEN = 'e2e-followup-auth-token-5f2a9c';
const TIMEOUT_MS = 400;

interface Delivery {
  id: number;
  message_id: number;
  dialog_id: number;
  status: string;
  session_id: string;
  rs_type: string;
  attempts: number;
  partner_message_id: string;
  error: { kind: string; code: string; message: string } | null;
}

interface Pair {
  patient: Account;
  doctor: Account;
  dialogId: number;
  sessionId: string;
}

/** Waits for `probe` to return something truthy, polling; fails after `ms`. */
async function until<T>(
  what: string,
  probe: () => Promise<T> | T,
  ms = 30_000,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(200);
  }
}

const logged: string[] = [];
beforeAll(() => {
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
});
afterAll(() => jest.restoreAllMocks());

describe('Alibaba Health follow-up IM: linked chat dialogs delivered reliably', () => {
  const fake = new FakeAlihealth(FAKE_TOP_APP_KEY, FAKE_TOP_SECRET);
  let t: TestApp;
  let admin: string;
  let sessions = 0;

  const say = async (from: Account, to: Account, content: string) => {
    const res = await t.http
      .post('/chat')
      .set('X-auth-token', from.token)
      .send({ content, type: from.type, to_user_id: to.id });
    expect(res.status).toBe(200);
    return res.body.data.list as { id: number; dialog_id: string; content: string }[];
  };
  const linkRoute = (dialogId: number | string, token = admin) =>
    t.http.post(`/admin/chat/dialogs/${dialogId}/followup`).set('X-auth-token', token);
  const unlinkRoute = (dialogId: number | string, token = admin) =>
    t.http.delete(`/admin/chat/dialogs/${dialogId}/followup`).set('X-auth-token', token);
  const listRoute = (query: string, token = admin) =>
    t.http.get(`/admin/followup/deliveries${query}`).set('X-auth-token', token);
  const resendRoute = (id: number | string, token = admin) =>
    t.http.post(`/admin/followup/deliveries/${id}/resend`).set('X-auth-token', token);

  /** A patient and a doctor who have talked once (the dialog exists), not linked yet. */
  const newDialog = async (): Promise<Omit<Pair, 'sessionId'>> => {
    const [patient, doctor] = await Promise.all([makePatient(t), makeDoctor(t)]);
    const [first] = await say(patient, doctor, '您好，医生');
    return { patient, doctor, dialogId: Number(first.dialog_id) };
  };
  /** A dialog linked to a session of its own, with the partner's ids. */
  const linkedDialog = async (): Promise<Pair> => {
    const pair = await newDialog();
    const sessionId = `sess${(sessions += 1)}x${Date.now().toString(16)}`;
    const res = await linkRoute(pair.dialogId).send({
      session_id: sessionId,
      bterm_user_id: '2034131106552037',
      cterm_user_id: '5394977607673890',
      user_id: '153315451244705',
    });
    expect(res.status).toBe(200);
    return { ...pair, sessionId };
  };
  const deliveriesOf = async (dialogId: number): Promise<Delivery[]> => {
    const res = await listRoute(`?dialog_id=${dialogId}&page_size=100`).expect(200);
    return (res.body.data.list as Delivery[]).reverse();
  };
  const deliveredTo = (sessionId: string) => fake.delivered.filter((d) => d.session_id === sessionId);
  const requestsFor = (sessionId: string) =>
    fake
      .requestsTo('/router/rest')
      .filter((r) => new URLSearchParams(r.body).get('request1')?.includes(sessionId));
  const deliveryOf = async (dialogId: number, status: string) =>
    until(`a ${status} delivery`, async () =>
      (await deliveriesOf(dialogId)).find((d) => d.status === status),
    );

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({
      ADMIN_PHONE,
      ADMIN_PASSWORD,
      CHAT_RATE_LIMIT_PER_MINUTE: '1000',
      ALIHEALTH_BASE_URL: `${fake.baseUrl}/router/rest`,
      ALIHEALTH_APP_KEY: FAKE_TOP_APP_KEY,
      ALIHEALTH_APP_SECRET: FAKE_TOP_SECRET,
      ALIHEALTH_SIGN_METHOD: 'hmac',
      ALIHEALTH_AUTH_TOKEN: AUTH_TOKEN,
      PARTNER_TIMEOUT_MS: String(TIMEOUT_MS),
      PARTNER_RETRY_DELAY_MS: '50',
      PARTNER_BREAKER_FAILURES: '3',
      PARTNER_BREAKER_HALF_OPEN_MS: '300',
    });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  afterEach(async () => {
    fake.heal();
    fake.notBusy();
    await fake.up();
  });

  describe('operator routes', () => {
    it('links a dialog, refuses a second link, unlinks, and records both in the audit log', async () => {
      const { dialogId } = await newDialog();
      const res = await linkRoute(dialogId).send({ session_id: '78bfcced948a65d29c5c77f1cd3367a2' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        error_code: 0,
        data: { dialog_id: dialogId, session_id: '78bfcced948a65d29c5c77f1cd3367a2', bterm_user_id: '' },
      });
      expectError(await linkRoute(dialogId).send({ session_id: 'other' }), 409, 51402);
      const gone = await unlinkRoute(dialogId);
      expect(gone.status).toBe(200);
      expect(gone.body.data.session_id).toBe('78bfcced948a65d29c5c77f1cd3367a2');
      expectError(await unlinkRoute(dialogId), 404, 51401);
      const audit = await t.http.get('/admin/audit?page_size=100').set('X-auth-token', admin).expect(200);
      const actions = (audit.body.data.list as { action: string; target_id: string }[])
        .filter((a) => a.target_id === String(dialogId))
        .map((a) => a.action);
      expect(actions).toEqual(['followup.unlink', 'followup.link']);
    });

    it('validates before anything else: 400 for bad bodies, ids and filters', async () => {
      const { dialogId } = await newDialog();
      for (const body of [
        {},
        { session_id: '' },
        { session_id: 'has space' },
        { session_id: 'x'.repeat(65) },
        { session_id: 42 },
        { session_id: 'ok', user_id: '<script>' },
      ])
        expectError(await linkRoute(dialogId).send(body), 400, 10001);
      expectError(await linkRoute('abc').send({ session_id: 'ok' }), 400, 10001);
      expectError(await listRoute('?status=lost'), 400, 10001);
      expectError(await listRoute('?dialog_id=-1'), 400, 10001);
      expectError(await resendRoute('0'), 400, 10001);
      expect(fake.requests).toHaveLength(0);
    });

    it('answers 404 for an unknown dialog or delivery', async () => {
      expectError(await linkRoute(2_000_000_000).send({ session_id: 'ok' }), 404, 51400);
      expectError(await unlinkRoute(2_000_000_000), 404, 51400);
      expectError(await resendRoute(2_000_000_000), 404, 51403);
    });

    it('is for operators only (403 for app accounts)', async () => {
      const { patient, doctor, dialogId } = await newDialog();
      for (const who of [patient, doctor]) {
        expectError(await linkRoute(dialogId, who.token).send({ session_id: 'ok' }), 403, 20005);
        expectError(await unlinkRoute(dialogId, who.token), 403, 20005);
        expectError(await listRoute('', who.token), 403, 20005);
        expectError(await resendRoute(1, who.token), 403, 20005);
      }
      expectError(await t.http.get('/admin/followup/deliveries'), 401, 20001);
    });
  });

  it('delivers each new message of a linked dialog once, with rs_type by sender (1 patient, 2 doctor)', async () => {
    const { patient, doctor, dialogId, sessionId } = await linkedDialog();
    await say(patient, doctor, '医生，我最近头晕');
    await say(doctor, patient, '请按时服药，一周后复诊');
    await until('both messages delivered', () => deliveredTo(sessionId).length === 2);
    const [fromPatient, fromDoctor] = deliveredTo(sessionId);
    expect(fromPatient).toMatchObject({
      rs_type: '1',
      text: '医生，我最近头晕',
      content: JSON.stringify({ text: '医生，我最近头晕' }),
      bterm_user_id: '2034131106552037',
      cterm_user_id: '5394977607673890',
      auth_token: AUTH_TOKEN,
    });
    expect(fromPatient.user_id).toBeUndefined();
    expect(fromDoctor).toMatchObject({
      rs_type: '2',
      text: '请按时服药，一周后复诊',
      user_id: '153315451244705',
    });
    const rows = await until('rows delivered', async () => {
      const all = await deliveriesOf(dialogId);
      return all.every((d) => d.status === 'delivered') && all;
    });
    expect(rows.map((d) => [d.rs_type, d.partner_message_id, d.attempts])).toEqual([
      ['1', fromPatient.id, 1],
      ['2', fromDoctor.id, 1],
    ]);
    // The message sent before linking was not delivered.
    expect(deliveredTo(sessionId).some((d) => d.text === '您好，医生')).toBe(false);
  });

  it('leaves unlinked dialogs alone, and stops delivering once a dialog is unlinked', async () => {
    const plain = await newDialog();
    await say(plain.patient, plain.doctor, '未关联的对话');
    const { patient, doctor, dialogId, sessionId } = await linkedDialog();
    await say(patient, doctor, '关联期间');
    await until('the linked message delivered', () => deliveredTo(sessionId).length === 1);
    await unlinkRoute(dialogId).expect(200);
    await say(patient, doctor, '解除关联之后');
    await sleep(2500);
    expect(deliveredTo(sessionId).map((d) => d.text)).toEqual(['关联期间']);
    expect(fake.delivered.some((d) => d.text === '未关联的对话')).toBe(false);
    expect(await deliveriesOf(plain.dialogId)).toEqual([]);
    expect(await deliveriesOf(dialogId)).toHaveLength(1);
  });

  it('outage: 10 messages accepted while the partner is down arrive exactly once, in order, once it is back', async () => {
    const { patient, doctor, dialogId, sessionId } = await linkedDialog();
    await fake.down();
    const texts = Array.from({ length: 10 }, (_, i) => `停机期间的第 ${i + 1} 条`);
    for (const [i, text] of texts.entries())
      await say(i % 2 ? doctor : patient, i % 2 ? patient : doctor, text);
    // The workers have tried and failed (connection refused, then the open breaker): still pending.
    await until('a failed attempt', async () => (await deliveriesOf(dialogId)).some((d) => d.attempts > 0));
    await sleep(1500);
    const during = await deliveriesOf(dialogId);
    expect(during).toHaveLength(10);
    expect(during.every((d) => d.status === 'pending' || d.status === 'sending')).toBe(true);
    expect(during.find((d) => d.error)?.error?.kind).toMatch(/^(network|circuit_open)$/);

    await fake.up();
    await until('all 10 delivered', () => deliveredTo(sessionId).length >= 10, 45_000);
    await sleep(2000); // anything sent twice would show up now
    expect(deliveredTo(sessionId).map((d) => d.text)).toEqual(texts);
    expect(deliveredTo(sessionId).map((d) => d.rs_type)).toEqual(texts.map((_, i) => (i % 2 ? '2' : '1')));
    const after = await deliveriesOf(dialogId);
    expect(after.every((d) => d.status === 'delivered' && d.partner_message_id !== '')).toBe(true);
  });

  it('keeps a delivery pending while the partner answers isp.* (busy), then delivers it once', async () => {
    const { patient, doctor, dialogId, sessionId } = await linkedDialog();
    fake.busy(2);
    await say(patient, doctor, '忙碌时发送');
    await until('delivered after the busy answers', () => deliveredTo(sessionId).length === 1, 30_000);
    const [row] = await until('row delivered', async () => {
      const rows = await deliveriesOf(dialogId);
      return rows[0]?.status === 'delivered' && rows;
    });
    expect(row.attempts).toBe(3);
    expect(requestsFor(sessionId)).toHaveLength(3);
  });

  it('marks a timed-out call uncertain, never resends it by itself, and delivers it once on an operator resend', async () => {
    const { patient, doctor, dialogId, sessionId } = await linkedDialog();
    fake.failNext('hang');
    await say(patient, doctor, '超时的消息');
    const uncertain = await deliveryOf(dialogId, 'uncertain');
    expect(uncertain.error).toMatchObject({ kind: 'timeout' });
    await sleep(3000);
    expect(requestsFor(sessionId)).toHaveLength(1);
    expect(deliveredTo(sessionId)).toHaveLength(0);
    const listed = await listRoute('?status=uncertain&page_size=100').expect(200);
    expect((listed.body.data.list as Delivery[]).some((d) => d.id === uncertain.id)).toBe(true);

    const resent = await resendRoute(uncertain.id);
    expect(resent.status).toBe(200);
    expect(resent.body.data).toMatchObject({ id: uncertain.id, status: 'pending' });
    await until('delivered after the resend', () => deliveredTo(sessionId).length === 1);
    const done = await deliveryOf(dialogId, 'delivered');
    expect(done).toMatchObject({ id: uncertain.id, attempts: 2, error: null });
    expectError(await resendRoute(uncertain.id), 422, 51404);
    await sleep(1500);
    expect(deliveredTo(sessionId)).toHaveLength(1);
  });

  it('marks a refused message failed with the partner code, without repeating it', async () => {
    const { patient, doctor, dialogId, sessionId } = await linkedDialog();
    fake.closeSession(sessionId);
    await say(patient, doctor, '会话已结束');
    const failed = await deliveryOf(dialogId, 'failed');
    expect(failed.error).toMatchObject({ kind: 'api', code: 'SESSION_CLOSED' });
    await sleep(2500);
    expect(requestsFor(sessionId)).toHaveLength(1);
  });

  it('the sweep re-queues pending deliveries whose job is gone', async () => {
    const { patient, doctor, dialogId, sessionId } = await linkedDialog();
    await fake.down();
    await say(patient, doctor, '任务丢失的消息');
    await until('a failed attempt', async () => (await deliveriesOf(dialogId)).some((d) => d.attempts > 0));
    // The attempt may still be retrying a refused connection in process: wait until its job is back in the queue.
    await until('the job waiting for its retry', async () => {
      const jobs = await t.db.query<{ state: string }[]>(
        `SELECT state FROM pgboss.job WHERE name = $1 AND data->>'dialogId' = $2`,
        [DELIVER_JOB, String(dialogId)],
      );
      return jobs.length > 0 && jobs.every((j) => j.state === 'retry');
    });
    // As if the queue had given up on it: no job left for the dialog.
    await t.db.query(`DELETE FROM pgboss.job WHERE name = $1 AND data->>'dialogId' = $2`, [
      DELIVER_JOB,
      String(dialogId),
    ]);
    await fake.up();
    await sleep(1500);
    expect(deliveredTo(sessionId)).toHaveLength(0);
    const swept = await t.app.get(FollowupDeliveryService).sweep();
    expect(swept.requeued).toBeGreaterThanOrEqual(1);
    await until('delivered after the sweep', () => deliveredTo(sessionId).length === 1);
  });

  it('concurrent drains of one dialog send each message once, in order', async () => {
    const { patient, doctor, dialogId, sessionId } = await linkedDialog();
    await fake.down();
    const texts = ['并发一', '并发二', '并发三', '并发四'];
    for (const text of texts) await say(patient, doctor, text);
    await until('a failed attempt', async () => (await deliveriesOf(dialogId)).some((d) => d.attempts > 0));
    await t.db.query(`DELETE FROM pgboss.job WHERE name = $1 AND data->>'dialogId' = $2`, [
      DELIVER_JOB,
      String(dialogId),
    ]);
    // A drain still running (its call under way when the jobs were dropped) must end before the race starts.
    await until('nothing being sent', async () =>
      (await deliveriesOf(dialogId)).every((d) => d.status === 'pending'),
    );
    await fake.up();
    await sleep(400); // let the breaker half-open
    const service = t.app.get(FollowupDeliveryService);
    await Promise.allSettled(Array.from({ length: 6 }, () => service.drain(dialogId)));
    await until('all delivered', () => deliveredTo(sessionId).length >= texts.length);
    await sleep(1500);
    expect(deliveredTo(sessionId).map((d) => d.text)).toEqual(texts);
    expect(requestsFor(sessionId).length).toBeGreaterThanOrEqual(texts.length);
  });

  it('keeps the app secret and auth token out of every log line', () => {
    for (const line of logged) {
      expect(line).not.toContain(FAKE_TOP_SECRET);
      expect(line).not.toContain(AUTH_TOKEN);
    }
  });
});

describe('Alibaba Health follow-up IM without configuration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
  });
  afterAll(() => t.close());

  it('refuses to link (503, the partner named) and leaves the chat working', async () => {
    const admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    const [patient, doctor] = await Promise.all([makePatient(t), makeDoctor(t)]);
    const res = await t.http
      .post('/chat')
      .set('X-auth-token', patient.token)
      .send({ content: '您好', type: 1, to_user_id: doctor.id })
      .expect(200);
    const dialogId = Number(res.body.data.list[0].dialog_id);
    const body = expectError(
      await t.http
        .post(`/admin/chat/dialogs/${dialogId}/followup`)
        .set('X-auth-token', admin)
        .send({ session_id: 'any-session' }),
      503,
      50100,
    );
    expect(body.error_message).toContain('阿里健康随访');
    const list = await t.http.get('/admin/followup/deliveries').set('X-auth-token', admin).expect(200);
    expect(list.body.data.list).toEqual([]);
  });
});
