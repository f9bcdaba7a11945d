import { bulkPatients, makeDoctor, makePatient } from '../support/clinic-factories';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const PHOTO = 'http://files.test/uploads/202401/a.png';
/** Seed 2.2.13 留言信息 plus `created_at`. */
const MESSAGE_KEYS = [
  'content',
  'created_at',
  'dialog_id',
  'from_user',
  'from_user_id',
  'id',
  'is_read',
  'photo',
  'to_user',
  'to_user_id',
  'type',
];
/** Seed 2.2.14 留言对话对象信息 plus the caller's `unread`. */
const DIALOG_KEYS = [
  'doctor_user',
  'doctor_user_id',
  'id',
  'last_msg',
  'last_msg_id',
  'patient_user',
  'patient_user_id',
  'unread',
];

interface Msg {
  id: number;
  type: number;
  from_user_id: number;
  to_user_id: number;
  content: string;
  photo: string[];
  is_read: number;
  dialog_id: string;
}
interface Dialog {
  id: number;
  patient_user_id: number;
  doctor_user_id: number;
  last_msg_id: string;
  last_msg: Msg;
  patient_user: Record<string, unknown>;
  doctor_user: Record<string, unknown>;
  unread: number;
}
interface Page<T> {
  list: T[];
  page: { current_page: number; total_page: number; count: number; page_size: number };
}

describe('chat (3.6.1 GET /chat, 3.6.2 POST /chat, 3.6.3 GET /chat/{id})', () => {
  let t: TestApp;
  let admin: string;
  let patient: Account;
  let patient2: Account;
  let doctor: Account;
  let doctor2: Account;
  let assistant: Account;

  const send = (from: Account | string, body: object | string) => {
    const req = t.http.post('/chat').set('X-auth-token', typeof from === 'string' ? from : from.token);
    return typeof body === 'string' ? req.type('form').send(body) : req.send(body);
  };
  /** Sends a text message with the sender's own type; returns the answered list. */
  const say = async (from: Account, to: Account, content: string, extra: object = {}) => {
    const res = await send(from, { content, type: from.type, to_user_id: to.id, ...extra });
    if (res.status !== 200) throw new Error(`send failed: ${JSON.stringify(res.body)}`);
    return res.body.data.list as Msg[];
  };
  const listDialogs = (a: Account | string, q = '') =>
    t.http.get(`/chat${q}`).set('X-auth-token', typeof a === 'string' ? a : a.token);
  const dialogs = async (a: Account, q = '?page_size=100') =>
    (await listDialogs(a, q).expect(200)).body.data as Page<Dialog>;
  const openDialog = (a: Account | string, id: number | string, q = '') =>
    t.http.get(`/chat/${id}${q}`).set('X-auth-token', typeof a === 'string' ? a : a.token);
  const history = async (a: Account, id: number, q = '?page_size=100') =>
    (await openDialog(a, id, q).expect(200)).body.data as Page<Msg>;
  const dialogOf = async (p: Account, d: Account) =>
    (
      await t.db.query<{ id: number; last_msg_id: string; last_msg_at: Date }[]>(
        'SELECT id, last_msg_id, last_msg_at FROM chat_dialog WHERE patient_user_id = $1 AND doctor_user_id = $2',
        [p.id, d.id],
      )
    )[0];
  /** `count` messages from the patient to the doctor, written straight to the table (setup for paging). */
  const insertMessages = async (p: Account, d: Account, count: number) => {
    await say(p, d, 'start');
    const { id } = await dialogOf(p, d);
    await t.db.query(
      `INSERT INTO chat_message (dialog_id, type, from_user_id, to_user_id, content)
       SELECT $1, 1, $2, $3, 'm' || g FROM generate_series(1, $4) g`,
      [id, p.id, d.id, count - 1],
    );
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD, CHAT_RATE_LIMIT_PER_MINUTE: '1000' });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    [patient, patient2, doctor, doctor2, assistant] = await Promise.all([
      makePatient(t, '张三'),
      makePatient(t, '王五'),
      makeDoctor(t, { name: '李医生' }),
      makeDoctor(t, { name: '赵医生' }),
      registerAccount(t.http, 3),
    ]);
  });
  afterAll(() => t.close());

  describe('POST /chat', () => {
    it('the first message creates the dialog and answers the 2.2.13 list', async () => {
      const list = await say(patient, doctor, ' 医生您好 ', { photo: [PHOTO] });
      const dialog = await dialogOf(patient, doctor);
      expect(list).toEqual([
        {
          id: Number(dialog.last_msg_id),
          type: 1,
          from_user_id: patient.id,
          to_user_id: doctor.id,
          content: '医生您好',
          photo: [PHOTO],
          is_read: 0,
          dialog_id: String(dialog.id),
          created_at: expect.stringMatching(DATETIME),
          from_user: { real_name: '张三', avatars: '' },
          to_user: { real_name: '李医生', avatars: '' },
        },
      ]);
      expect(Object.keys(list[0]).sort()).toEqual(MESSAGE_KEYS);
      expect(dialog.last_msg_at).toBeInstanceOf(Date);
    });

    it("the doctor's reply joins the same dialog; the list runs oldest to newest", async () => {
      const list = await say(doctor, patient, '请描述症状');
      expect(list.map((m) => [m.type, m.from_user_id, m.content])).toEqual([
        [1, patient.id, '医生您好'],
        [2, doctor.id, '请描述症状'],
      ]);
      expect(list[1]).toMatchObject({
        to_user_id: patient.id,
        dialog_id: list[0].dialog_id,
        from_user: { real_name: '李医生' },
        to_user: { real_name: '张三' },
      });
      const rows = await t.db.query('SELECT id FROM chat_dialog WHERE patient_user_id = $1', [patient.id]);
      expect(rows).toHaveLength(1);
      expect((await dialogOf(patient, doctor)).last_msg_id).toBe(String(list[1].id));
    });

    it('takes photo as an array, a JSON string, repeated photo[]= keys, or not at all', async () => {
      const last = (list: Msg[]) => list[list.length - 1].photo;
      expect(last(await say(patient2, doctor2, 'a', { photo: [PHOTO, PHOTO] }))).toEqual([PHOTO, PHOTO]);
      expect(last(await say(patient2, doctor2, 'b', { photo: JSON.stringify([PHOTO]) }))).toEqual([PHOTO]);
      const form = await send(
        patient2,
        `content=c&type=1&to_user_id=${doctor2.id}&photo[]=${encodeURIComponent(PHOTO)}&photo[]=${encodeURIComponent(PHOTO)}`,
      ).expect(200);
      expect(last(form.body.data.list as Msg[])).toEqual([PHOTO, PHOTO]);
      expect(last(await say(patient2, doctor2, 'd'))).toEqual([]);
      expect(last(await say(patient2, doctor2, 'e', { photo: '' }))).toEqual([]);
    });

    it('answers at most the 20 latest messages', async () => {
      const p = await makePatient(t);
      for (let i = 1; i <= 22; i += 1) await say(p, doctor2, `第${i}条`);
      const list = await say(doctor2, p, '收到');
      expect(list).toHaveLength(20);
      expect(list[0].content).toBe('第4条');
      expect(list[19].content).toBe('收到');
      expect(list.map((m) => m.id)).toEqual([...list.map((m) => m.id)].sort((a, b) => a - b));
    });

    it('validates content (1..256 characters, emoji counting once), photo (≤ 3 URLs), type and to_user_id', async () => {
      const body = { content: 'x', type: 1, to_user_id: doctor.id };
      const bad = async (over: object, field: string) => {
        const res = await send(patient, { ...body, ...over });
        expect(expectError(res, 400, 10001).data).toEqual({ field });
      };
      await bad({ content: '' }, 'content');
      await bad({ content: '   ' }, 'content');
      await bad({ content: undefined }, 'content');
      await bad({ content: 'x'.repeat(257) }, 'content');
      await bad({ content: '😀'.repeat(257) }, 'content');
      await bad({ photo: [PHOTO, PHOTO, PHOTO, PHOTO] }, 'photo');
      await bad({ photo: ['not a url'] }, 'photo');
      await bad({ photo: { a: 1 } }, 'photo');
      await bad({ type: 3 }, 'type');
      await bad({ type: undefined }, 'type');
      await bad({ to_user_id: 'abc' }, 'to_user_id');
      await bad({ to_user_id: 0 }, 'to_user_id');
      await send(patient, { ...body, content: '中'.repeat(256) }).expect(200);
      await send(patient, { ...body, content: '😀'.repeat(256) }).expect(200);
    });

    it('refuses a type that is not the sender’s role, and recipients of the same role, unknown or disabled', async () => {
      const body = { content: 'x', to_user_id: doctor.id };
      expectError(await send(patient, { ...body, type: 2 }), 422, 60020);
      expectError(await send(doctor, { content: 'x', type: 1, to_user_id: patient.id }), 422, 60020);
      expectError(await send(patient, { ...body, type: 1, to_user_id: patient2.id }), 422, 60022);
      expectError(await send(patient, { ...body, type: 1, to_user_id: patient.id }), 422, 60022);
      expectError(await send(patient, { ...body, type: 1, to_user_id: assistant.id }), 422, 60022);
      expectError(await send(doctor, { content: 'x', type: 2, to_user_id: doctor2.id }), 422, 60022);
      expectError(await send(patient, { ...body, type: 1, to_user_id: 2_000_000_000 }), 422, 60021);
      const gone = await makeDoctor(t);
      await t.db.query('UPDATE app_user SET is_verify = 2 WHERE id = $1', [gone.id]);
      expectError(await send(patient, { ...body, type: 1, to_user_id: gone.id }), 422, 60023);
      expect(await dialogOf(patient, gone)).toBeUndefined();
    });

    it('is for patients and doctors only: assistants and operators 403, no token 401, a disabled sender 403', async () => {
      const body = { content: 'x', type: 1, to_user_id: doctor.id };
      expectError(await send(assistant, { ...body, type: 3 }), 403, 20005);
      expectError(await send(admin, body), 403, 20005);
      expectError(await t.http.post('/chat').send(body), 401, 20001);
      const blocked = await makePatient(t);
      await t.db.query('UPDATE app_user SET is_verify = 2 WHERE id = $1', [blocked.id]);
      expectError(await send(blocked, body), 403, 20004);
    });

    it('concurrent first messages from both sides share one dialog, and last_msg_id is the newest', async () => {
      const [p, d] = await Promise.all([makePatient(t), makeDoctor(t)]);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? say(d, p, `d${i}`) : say(p, d, `p${i}`))),
      );
      expect(results).toHaveLength(12);
      const rows = await t.db.query<{ id: number }[]>(
        'SELECT id FROM chat_dialog WHERE patient_user_id = $1 AND doctor_user_id = $2',
        [p.id, d.id],
      );
      expect(rows).toHaveLength(1);
      const [{ n, max }] = await t.db.query<{ n: number; max: string }[]>(
        'SELECT count(*)::int AS n, max(id)::text AS max FROM chat_message WHERE dialog_id = $1',
        [rows[0].id],
      );
      expect(n).toBe(12);
      expect((await dialogOf(p, d)).last_msg_id).toBe(max);
    });
  });

  describe('GET /chat', () => {
    it('lists the caller’s dialogs as 2.2.14 objects with masked user objects and the unread count', async () => {
      const { list, page } = await dialogs(doctor);
      const item = list.find((x) => x.patient_user_id === patient.id)!;
      expect(Object.keys(item).sort()).toEqual(DIALOG_KEYS);
      const dialog = await dialogOf(patient, doctor);
      expect(item).toMatchObject({
        id: dialog.id,
        doctor_user_id: doctor.id,
        last_msg_id: dialog.last_msg_id,
        last_msg: { id: Number(dialog.last_msg_id), dialog_id: String(dialog.id) },
      });
      expect(Object.keys(item.last_msg).sort()).toEqual(MESSAGE_KEYS);
      expect(item.patient_user).toMatchObject({
        id: patient.id,
        type: 1,
        real_name: '张三',
        phone: expect.stringMatching(/^\d{3}\*{4}\d{4}$/),
        idno: '1101**********002X',
        credit_score: expect.any(String),
      });
      expect(item.doctor_user).toMatchObject({
        id: doctor.id,
        type: 2,
        real_name: '李医生',
        phone: expect.stringMatching(/^\d{3}\*{4}\d{4}$/),
        hospital: expect.stringMatching(/^测试医院/),
        org_list: [],
      });
      expect(item.doctor_user).not.toHaveProperty('token');
      // The patient's side: only its own dialog; unread counts only messages to the caller.
      const mine = await dialogs(patient);
      expect(mine.list.map((x) => x.doctor_user_id)).toEqual([doctor.id]);
      expect(page.count).toBe(list.length);
    });

    it('counts unread messages per caller and clears them when the dialog is opened', async () => {
      const [p, d] = await Promise.all([makePatient(t), makeDoctor(t)]);
      for (const text of ['一', '二', '三']) await say(p, d, text);
      await say(d, p, '好的');
      const unreadOf = async (a: Account) => (await dialogs(a)).list[0].unread;
      expect(await unreadOf(d)).toBe(3);
      expect(await unreadOf(p)).toBe(1);
      const { id } = await dialogOf(p, d);
      await history(d, id);
      expect(await unreadOf(d)).toBe(0);
      expect(await unreadOf(p)).toBe(1);
      const [item] = (await dialogs(p)).list;
      expect(item.last_msg).toMatchObject({ content: '好的', is_read: 0 });
      await history(p, id);
      expect((await dialogs(p)).list[0]).toMatchObject({ unread: 0, last_msg: { is_read: 1 } });
    });

    it('orders dialogs by their latest message, whoever wrote it', async () => {
      const p = await makePatient(t);
      const [a, b, c] = await Promise.all([makeDoctor(t), makeDoctor(t), makeDoctor(t)]);
      await say(p, a, '1');
      await say(p, b, '2');
      await say(p, c, '3');
      const order = async () => (await dialogs(p)).list.map((x) => x.doctor_user_id);
      expect(await order()).toEqual([c.id, b.id, a.id]);
      await say(a, p, '4');
      expect(await order()).toEqual([a.id, c.id, b.id]);
      await say(p, b, '5');
      expect(await order()).toEqual([b.id, a.id, c.id]);
      expect((await dialogs(p, '?page_size=1&current_page=2')).list.map((x) => x.doctor_user_id)).toEqual([
        a.id,
      ]);
    });

    it('pages: the last page, past the end, and bad page parameters', async () => {
      const p = await makePatient(t);
      const ds = await Promise.all([makeDoctor(t), makeDoctor(t), makeDoctor(t)]);
      for (const d of ds) await say(p, d, 'hi');
      const last = await dialogs(p, '?page_size=2&current_page=2');
      expect(last.list).toHaveLength(1);
      expect(last.page).toEqual({ current_page: 2, total_page: 2, count: 3, page_size: 2 });
      const past = await dialogs(p, '?page_size=2&current_page=3');
      expect(past).toEqual({ list: [], page: { current_page: 3, total_page: 2, count: 3, page_size: 2 } });
      const none = await dialogs(await makePatient(t));
      expect(none).toEqual({ list: [], page: { current_page: 1, total_page: 0, count: 0, page_size: 100 } });
      expectError(await listDialogs(p, '?page_size=0'), 400, 10001);
      expectError(await listDialogs(p, '?page_size=101'), 400, 10001);
      expectError(await listDialogs(p, '?current_page=0'), 400, 10001);
    });

    it('is for patients and doctors only', async () => {
      expectError(await listDialogs(assistant), 403, 20005);
      expectError(await listDialogs(admin), 403, 20005);
      expectError(await t.http.get('/chat'), 401, 20001);
    });

    it('page_size 1 costs what page_size 50 does', async () => {
      const d = await makeDoctor(t);
      const patients = await bulkPatients(t, 55);
      for (let i = 0; i < patients.length; i += 11) {
        await Promise.all(patients.slice(i, i + 11).map((p) => say(p, d, `来自${p.id}`)));
      }
      const one = await countQueries(t, () => listDialogs(d, '?page_size=1').expect(200));
      const fifty = await countQueries(t, async () => {
        const res = await listDialogs(d, '?page_size=50').expect(200);
        expect(res.body.data.list).toHaveLength(50);
        expect(res.body.data.page.count).toBe(55);
      });
      expect(fifty).toBe(one);
    });
  });

  describe('GET /chat/{id}', () => {
    it('pages the dialog oldest first (page 1 holds the oldest)', async () => {
      const [p, d] = await Promise.all([makePatient(t), makeDoctor(t)]);
      const id = await insertMessages(p, d, 25);
      const first = await history(p, id, '?page_size=10');
      expect(first.list.map((m) => m.content)).toEqual([
        'start',
        ...Array.from({ length: 9 }, (_, i) => `m${i + 1}`),
      ]);
      expect(first.page).toEqual({ current_page: 1, total_page: 3, count: 25, page_size: 10 });
      const third = await history(p, id, '?page_size=10&current_page=3');
      expect(third.list.map((m) => m.content)).toEqual(Array.from({ length: 5 }, (_, i) => `m${i + 20}`));
      expect((await history(p, id, '?page_size=10&current_page=4')).list).toEqual([]);
      const all = (await history(p, id)).list.map((m) => m.id);
      expect(all).toEqual([...all].sort((a, b) => a - b));
      expect(Object.keys(first.list[0]).sort()).toEqual(MESSAGE_KEYS);
      expect(first.list[0]).toMatchObject({
        from_user: { real_name: '张三' },
        to_user: { real_name: '李医生' },
      });
      expectError(await openDialog(p, id, '?page_size=101'), 400, 10001);
    });

    it("marks the caller's incoming messages read, not its own", async () => {
      const [p, d] = await Promise.all([makePatient(t), makeDoctor(t)]);
      await say(p, d, '问题一');
      await say(d, p, '回答一');
      await say(p, d, '问题二');
      const { id } = await dialogOf(p, d);
      const state = async () =>
        (
          await t.db.query<{ content: string; is_read: number }[]>(
            'SELECT content, is_read FROM chat_message WHERE dialog_id = $1 ORDER BY id',
            [id],
          )
        ).map((r) => [r.content, r.is_read]);
      const seen = await history(d, id);
      expect(seen.list.map((m) => [m.content, m.is_read])).toEqual([
        ['问题一', 1],
        ['回答一', 0],
        ['问题二', 1],
      ]);
      expect(await state()).toEqual([
        ['问题一', 1],
        ['回答一', 0],
        ['问题二', 1],
      ]);
      await history(p, id, '?page_size=1');
      expect(await state()).toEqual([
        ['问题一', 1],
        ['回答一', 1],
        ['问题二', 1],
      ]);
    });

    it("answers someone else's dialog, or a missing one, with 404 and no data", async () => {
      const { id } = await dialogOf(patient, doctor);
      for (const outsider of [patient2, doctor2]) {
        const body = expectError(await openDialog(outsider, id), 404, 60024);
        expect(body.data).toBeNull();
      }
      expectError(await openDialog(patient, 2_000_000_000), 404, 60024);
      expectError(await openDialog(assistant, id), 403, 20005);
      expectError(await openDialog(admin, id), 403, 20005);
      expectError(await openDialog(patient, 'abc'), 400, 10001);
      // The outsiders' visits marked nothing read.
      const [{ unread }] = await t.db.query<{ unread: number }[]>(
        'SELECT count(*)::int AS unread FROM chat_message WHERE dialog_id = $1 AND is_read = 0',
        [id],
      );
      expect(unread).toBeGreaterThan(0);
    });

    it('page_size 1 costs what page_size 50 does', async () => {
      const [p, d] = await Promise.all([makePatient(t), makeDoctor(t)]);
      const id = await insertMessages(p, d, 55);
      await history(d, id);
      const one = await countQueries(t, () => openDialog(d, id, '?page_size=1').expect(200));
      const fifty = await countQueries(t, async () => {
        const res = await openDialog(d, id, '?page_size=50').expect(200);
        expect(res.body.data.list).toHaveLength(50);
      });
      expect(fifty).toBe(one);
    });
  });

  describe('rate limit', () => {
    let limited: TestApp;
    beforeAll(async () => {
      // A second instance on the same database, with a low limit; counters are shared through Postgres.
      limited = await startTestApp({ CHAT_RATE_LIMIT_PER_MINUTE: '3' }, t.databaseUrl);
    });
    afterAll(() => limited.close());

    it('refuses the sends of one account past the per-minute limit with 429, others unaffected', async () => {
      const [p, other, d] = await Promise.all([makePatient(t), makePatient(t), makeDoctor(t)]);
      const post = (from: Account, content: string) =>
        limited.http
          .post('/chat')
          .set('X-auth-token', from.token)
          .send({ content, type: 1, to_user_id: d.id });
      for (const n of [1, 2, 3]) await post(p, `第${n}条`).expect(200);
      expectError(await post(p, '第4条'), 429, 60025);
      await post(other, '别人的').expect(200);
      const [{ n }] = await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM chat_message WHERE from_user_id = $1',
        [p.id],
      );
      expect(n).toBe(3);
    });
  });
});
