import { makeDoctor, makePatient, publishProject, shiftProject, slotOf } from '../support/clinic-factories';
import { Account, expectError, operatorToken, registerAccount, sleep } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { AppConfig } from 'src/config/app-config';
import { REFUND_JOB, PaymentsService } from 'src/modules/payments/payments.service';
import { BookingService } from 'src/modules/projects/booking.service';

const ADMIN_PHONE = '13700000009';
const ADMIN_PASSWORD = 'admin-pass-9';
const RACE_RUNS = Number(process.env.PAYMENT_RACE_RUNS ?? 10);
const A_DAY_EARLIER = -48 * 60;

type Project = Awaited<ReturnType<typeof publishProject>>;

interface Row {
  id: number;
  verify_status: number;
  status: number;
  sn: string | null;
  pay_provider: string | null;
  transaction_id: string | null;
  paid_at: Date | null;
  refund_status: number | null;
  refund_sn: string | null;
  refund_time: Date | null;
  confirm_no_refund: number;
  slot_id: number;
}

/** What every suite here needs: an app, a doctor, and ways to hold, pay and inspect bookings. */
function harness(getT: () => TestApp) {
  const as = (who: Account) => ({
    get: (path: string) => getT().http.get(path).set('X-auth-token', who.token),
    post: (path: string, body: object = {}) =>
      getT().http.post(path).set('X-auth-token', who.token).send(body),
  });
  const hold = async (patient: Account, project: Project, n = 0) => {
    const res = await as(patient).post(`/project/${project.id}/join`, {
      content: '押金预约',
      plan_time: slotOf(project, n),
    });
    expect(res.status).toBe(200);
    const [{ id }] = await getT().db.query<{ id: number }[]>(
      'SELECT id FROM diagnosis WHERE project_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT 1',
      [project.id, patient.id],
    );
    return { id, ...(res.body.data as { sn: string; amount: string; pay: Record<string, string> }) };
  };
  const confirm = (who: Account, sn: string) => as(who).post(`/payments/sandbox/${sn}/confirm`);
  const row = async (id: number) =>
    (
      await getT().db.query<Row[]>(
        `SELECT id, verify_status, status, sn, pay_provider, transaction_id, paid_at, refund_status, refund_sn,
                refund_time, confirm_no_refund, slot_id FROM diagnosis WHERE id = $1`,
        [id],
      )
    )[0];
  const remaining = async (slotId: number) =>
    (
      await getT().db.query<{ remaining: number }[]>('SELECT remaining FROM project_slot WHERE id = $1', [
        slotId,
      ])
    )[0].remaining;
  const joinCount = async (who: Account) =>
    (await as(who).get('/user').expect(200)).body.data.join_project_count as number;
  /** Waits for the refund worker (polling every second) to finish a refund. */
  const refunded = async (id: number) => {
    for (let i = 0; i < 40; i += 1) {
      const r = await row(id);
      if (r.refund_status === 3) return r;
      await sleep(250);
    }
    return row(id);
  };
  return { as, hold, confirm, row, remaining, joinCount, refunded };
}

describe('deposits: paying, refunds (DESIGN §7, 3.3.15, 3.3.20)', () => {
  let t: TestApp;
  let doctor: Account;
  let payments: PaymentsService;
  let bookings: BookingService;
  const h = harness(() => t);
  const { as, hold, confirm, row, remaining, joinCount, refunded } = h;

  beforeAll(async () => {
    t = await startTestApp();
    doctor = await makeDoctor(t);
    payments = t.app.get(PaymentsService);
    bookings = t.app.get(BookingService);
  });
  afterAll(() => t.close());

  /** A patient with a paid booking of a fresh priced clinic. */
  const paidBooking = async () => {
    const patient = await makePatient(t);
    const project = await publishProject(t, doctor, { price: 50 });
    const order = await hold(patient, project);
    await confirm(patient, order.sn).expect(200);
    return { patient, project, ...order };
  };

  describe('joining a priced clinic and paying', () => {
    it('holds the seat and answers the order; the sandbox confirm books it; /order/query shows it only to its owner', async () => {
      const patient = await makePatient(t);
      const other = await makePatient(t, '李四');
      const project = await publishProject(t, doctor, { price: 50 });
      const order = await hold(patient, project);
      expect(order.sn).toMatch(/^D\d{22}$/);
      expect(order).toMatchObject({
        amount: '50.00',
        pay: { provider: 'sandbox', confirm_url: `http://files.test/payments/sandbox/${order.sn}/confirm` },
      });
      expect(await row(order.id)).toMatchObject({
        verify_status: 0,
        sn: order.sn,
        pay_provider: 'sandbox',
        paid_at: null,
      });

      // Before paying: the owner sees an empty object, anyone else "no such order".
      expect((await as(patient).get(`/order/query/${order.sn}`).expect(200)).body).toEqual({
        error_code: 0,
        data: {},
        error_message: '',
      });
      const stranger = expectError(await as(other).get(`/order/query/${order.sn}`), 404, 40001);
      expect(stranger.data).toBeNull();
      expectError(await confirm(other, order.sn), 404, 40001);
      expectError(await as(patient).get('/order/query/D20990101000000123456789'), 404, 40001);

      const paid = await confirm(patient, order.sn).expect(200);
      expect(paid.body.data).toMatchObject({ id: order.id, verify_status: 1, sn: order.sn, amount: '50.00' });
      const r = await row(order.id);
      expect(r).toMatchObject({
        verify_status: 1,
        transaction_id: `SANDBOX${order.sn}`,
        refund_status: null,
      });
      expect(r.paid_at).toBeInstanceOf(Date);
      expect(await joinCount(patient)).toBe(1);
      const messages = await as(patient).get('/message').expect(200);
      expect(messages.body.data.list[0]).toMatchObject({ type: 1, title: '支付成功' });

      const query = await as(patient).get(`/order/query/${order.sn}`).expect(200);
      expect(query.body.data).toMatchObject({
        id: order.id,
        project_id: project.id,
        verify_status: 1,
        status: 1,
        sn: order.sn,
        amount: '50.00',
        refund_status: null,
        refund_sn: '',
        confirm_no_refund: 0,
      });
      expectError(await as(other).get(`/order/query/${order.sn}`), 404, 40001);
    });

    it('a free clinic still answers {} and needs no payment', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor);
      const res = await as(patient).post(`/project/${project.id}/join`, {
        content: 'x',
        plan_time: slotOf(project),
      });
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });
    });

    it('an assistant booking a priced clinic gets the order and may pay and query it', async () => {
      const patient = await makePatient(t);
      const assistant = await registerAccount(t.http, 3);
      await t.db.query('INSERT INTO assistant_patient (assistant_id, patient_id) VALUES ($1, $2)', [
        assistant.id,
        patient.id,
      ]);
      const project = await publishProject(t, doctor, { price: 50 });
      const res = await as(assistant).post(`/assistant/join/project/${project.id}`, {
        user_id: patient.id,
        plan_time: slotOf(project),
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ amount: '50.00', pay: { provider: 'sandbox' } });
      const sn = res.body.data.sn as string;
      await confirm(assistant, sn).expect(200);
      const query = await as(assistant).get(`/order/query/${sn}`).expect(200);
      expect(query.body.data).toMatchObject({ verify_status: 1, sn, assistant_user_id: assistant.id });
      expect((await as(patient).get(`/order/query/${sn}`).expect(200)).body.data.verify_status).toBe(1);
      expect(await joinCount(patient)).toBe(1);
    });

    it('a second confirmation (or the same payment notified again) changes nothing', async () => {
      const { patient, id, sn } = await paidBooking();
      const before = await row(id);
      await confirm(patient, sn).expect(200);
      await payments.confirmPaid({
        provider: 'sandbox',
        eventId: 'another-delivery',
        sn,
        transactionId: `SANDBOX${sn}`,
        amountFen: 5000,
      });
      expect(await row(id)).toEqual(before);
      expect(await joinCount(patient)).toBe(1);
      const [{ n }] = await t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM payment_event WHERE reference = $1`,
        [sn],
      );
      expect(n).toBe(2); // each distinct notification is recorded once
    });

    it('a confirmation whose amount differs is ignored', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor, { price: 50 });
      const order = await hold(patient, project);
      await payments.confirmPaid({
        provider: 'sandbox',
        eventId: 'x1',
        sn: order.sn,
        transactionId: 'T',
        amountFen: 1,
      });
      expect(await row(order.id)).toMatchObject({ verify_status: 0, paid_at: null });
    });
  });

  describe('a payment arriving after the hold was released', () => {
    it('leaves the booking cancelled and refunds the money in full', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor, { price: 50 });
      const order = await hold(patient, project);
      const slot = (await row(order.id)).slot_id;
      const free = await remaining(slot);
      await t.db.query(`UPDATE diagnosis SET created_at = now() - interval '16 minutes' WHERE id = $1`, [
        order.id,
      ]);
      expect(await bookings.releaseUnpaidHolds()).toBe(1);
      expect(await remaining(slot)).toBe(free + 1);
      // The provider's order is closed too (through the job queue), so it can no longer be paid.
      const closing = await t.db.query<{ data: { sn: string } }[]>(
        `SELECT data FROM pgboss.job WHERE name = 'payments.close-order' AND data->>'sn' = $1`,
        [order.sn],
      );
      expect(closing).toHaveLength(1);

      await confirm(patient, order.sn).expect(200);
      const late = await row(order.id);
      expect(late).toMatchObject({ verify_status: 3, refund_sn: `R${order.sn}` });
      expect(late.paid_at).toBeInstanceOf(Date);
      expect([1, 2, 3]).toContain(late.refund_status);
      const done = await refunded(order.id);
      expect(done).toMatchObject({ verify_status: 3, refund_status: 3 });
      expect(done.refund_time).toBeInstanceOf(Date);
      expect(await remaining(slot)).toBe(free + 1);
      expect(await joinCount(patient)).toBe(0);

      const mine = await as(patient).get('/custom/payment/diagnoses').expect(200);
      expect(mine.body.data.page).toMatchObject({ count: 1 });
      expect(mine.body.data.list[0]).toMatchObject({
        id: order.id,
        sn: order.sn,
        amount: '50.00',
        refund_status: 3,
        refund_sn: `R${order.sn}`,
      });
      expect(mine.body.data.list[0].refund_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    });
  });

  describe('refund triggers (DESIGN §7)', () => {
    it.each<[string, (b: { patient: Account; project: Project; id: number }) => Promise<unknown>]>([
      [
        'the doctor rejects',
        ({ id }) => as(doctor).post(`/diagnoses/${id}/reject`, { reject_msg: '临时有事' }).expect(200),
      ],
      [
        'the doctor cancels the clinic',
        ({ project }) => as(doctor).get(`/project/${project.id}/cancel`).expect(200),
      ],
      [
        'the patient cancels',
        ({ patient, project }) => as(patient).get(`/custom/project/${project.id}/cancel`).expect(200),
      ],
      [
        'the visit is marked seen',
        async ({ project, id }) => {
          await shiftProject(t, project.id, A_DAY_EARLIER);
          await as(doctor).get(`/diagnoses/${id}/done`).expect(200);
        },
      ],
    ])('%s: the deposit is refunded (refund_status 1 → 3)', async (_, trigger) => {
      const b = await paidBooking();
      await trigger(b);
      const requested = await row(b.id);
      expect(requested.refund_sn).toBe(`R${b.sn}`);
      expect([1, 2, 3]).toContain(requested.refund_status);
      const [{ n }] = await t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'diagnosisId' = $2`,
        [REFUND_JOB, String(b.id)],
      );
      expect(n).toBe(1);
      expect(await refunded(b.id)).toMatchObject({ refund_status: 3 });
      const mine = await as(b.patient).get('/custom/payment/diagnoses').expect(200);
      expect(mine.body.data.list.map((d: { id: number }) => d.id)).toEqual([b.id]);
    });

    it('a no-show keeps the deposit', async () => {
      const b = await paidBooking();
      await shiftProject(t, b.project.id, A_DAY_EARLIER);
      expect(await bookings.markNoShows()).toBeGreaterThanOrEqual(1);
      expect(await row(b.id)).toMatchObject({ status: 2, confirm_no_refund: 1, refund_status: null });
      const mine = await as(b.patient).get('/custom/payment/diagnoses').expect(200);
      expect(mine.body.data.list).toEqual([]);
    });

    it('an unpaid hold that is cancelled has nothing to refund', async () => {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor, { price: 50 });
      const order = await hold(patient, project);
      await as(patient).get(`/custom/project/${project.id}/cancel`).expect(200);
      expect(await row(order.id)).toMatchObject({ verify_status: 3, refund_status: null, paid_at: null });
    });
  });

  it(`a payment racing the hold's release always ends consistent (${RACE_RUNS} runs)`, async () => {
    const outcomes: number[] = [];
    for (let i = 0; i < RACE_RUNS; i += 1) {
      const patient = await makePatient(t);
      const project = await publishProject(t, doctor, { price: 50 });
      const order = await hold(patient, project);
      const slot = (await row(order.id)).slot_id;
      const before = await remaining(slot); // the hold's seat is taken
      await t.db.query(`UPDATE diagnosis SET created_at = now() - interval '16 minutes' WHERE id = $1`, [
        order.id,
      ]);
      await Promise.all([
        payments.confirmPaid({
          provider: 'sandbox',
          eventId: `race-${order.sn}`,
          sn: order.sn,
          transactionId: `T${order.sn}`,
          amountFen: 5000,
        }),
        bookings.releaseUnpaidHolds(),
      ]);
      const r = await row(order.id);
      expect(r.paid_at).toBeInstanceOf(Date);
      outcomes.push(r.verify_status);
      if (r.verify_status === 1) {
        expect(r.refund_status).toBeNull();
        expect(await remaining(slot)).toBe(before);
        expect(await joinCount(patient)).toBe(1);
      } else {
        expect(r.verify_status).toBe(3);
        expect(r.refund_status).not.toBeNull();
        expect(await remaining(slot)).toBe(before + 1);
        expect(await joinCount(patient)).toBe(0);
        expect(await refunded(order.id)).toMatchObject({ refund_status: 3 });
      }
      const [{ n }] = await t.db.query<{ n: number }[]>(
        'SELECT join_people_count AS n FROM project WHERE id = $1',
        [project.id],
      );
      expect(n).toBe(r.verify_status === 1 ? 1 : 0);
    }
    expect(outcomes).toHaveLength(RACE_RUNS);
  }, 120_000);
});

describe('a refund that fails, retried by an operator', () => {
  let t: TestApp;
  let doctor: Account;
  let admin: string;
  let payments: PaymentsService;
  const h = harness(() => t);

  beforeAll(async () => {
    // No workers: the test runs the refund job itself, so each attempt is seen.
    t = await startTestApp({
      ADMIN_PHONE,
      ADMIN_PASSWORD,
      SANDBOX_REFUND_FAILS: 'true',
      JOBS_WORKERS: 'false',
    });
    doctor = await makeDoctor(t);
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    payments = t.app.get(PaymentsService);
  });
  afterAll(() => t.close());

  const retry = (id: number, token = admin) =>
    t.http.post(`/admin/payments/${id}/refund/retry`).set('X-auth-token', token);
  const list = (query: string) =>
    t.http.get(`/admin/payments${query}`).set('X-auth-token', admin).expect(200);

  it('stays in progress while the provider fails; once the job gave up, the operator retries and it completes', async () => {
    const patient = await makePatient(t);
    const project = await publishProject(t, doctor, { price: 50 });
    const { id, sn } = await h.hold(patient, project);
    await h.confirm(patient, sn).expect(200);
    await h.as(patient).get(`/custom/project/${project.id}/cancel`).expect(200);
    expect(await h.row(id)).toMatchObject({ verify_status: 3, refund_status: 1 });

    await expect(payments.runRefund({ diagnosisId: id, reason: 'test' })).rejects.toThrow(
      /SANDBOX_REFUND_FAILS/,
    );
    expect(await h.row(id)).toMatchObject({ refund_status: 2, refund_time: null });
    // The job is still queued for its retries: nothing to retry by hand yet.
    expectError(await retry(id), 422, 40003);

    // Its retries run out.
    await t.db.query(`UPDATE pgboss.job SET state = 'failed' WHERE name = $1 AND data->>'diagnosisId' = $2`, [
      REFUND_JOB,
      String(id),
    ]);
    expectError(
      await t.http.post(`/admin/payments/${id}/refund/retry`).set('X-auth-token', patient.token),
      403,
      20005,
    );
    const res = await retry(id).expect(200);
    expect(res.body.data).toMatchObject({ id, sn, refund_status: 1, refund_sn: `R${sn}`, amount: '50.00' });
    const [audit] = await t.db.query<{ action: string; target_id: string }[]>(
      `SELECT action, target_id FROM audit_log WHERE action = 'payment.refund.retry'`,
    );
    expect(audit).toEqual({ action: 'payment.refund.retry', target_id: String(id) });
    const [{ n }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'diagnosisId' = $2 AND state = 'created'`,
      [REFUND_JOB, String(id)],
    );
    expect(n).toBe(1);
    expect((await list('?refund_status=1')).body.data.list.map((p: { id: number }) => p.id)).toEqual([id]);

    t.app.get(AppConfig).SANDBOX_REFUND_FAILS = false; // the provider recovers
    await payments.runRefund({ diagnosisId: id, reason: '退款重试' });
    const done = await h.row(id);
    expect(done).toMatchObject({ refund_status: 3 });
    expect(done.refund_time).toBeInstanceOf(Date);
    await t.db.query(`UPDATE pgboss.job SET state = 'completed' WHERE name = $1`, [REFUND_JOB]);
    expectError(await retry(id), 422, 40003);
    expectError(await retry(999999), 404, 40004);

    expect((await list('?refund_status=3')).body.data.list[0]).toMatchObject({
      id,
      sn,
      amount: '50.00',
      pay_provider: 'sandbox',
      transaction_id: `SANDBOX${sn}`,
      refund_status: 3,
    });
    expect((await list('?refund_status=0')).body.data.list).toEqual([]);
    expect((await list('')).body.data.page).toMatchObject({ count: 1 });
    expectError(await t.http.get('/admin/payments?refund_status=7').set('X-auth-token', admin), 400, 10001);
  });
});
