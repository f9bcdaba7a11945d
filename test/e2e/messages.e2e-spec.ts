import { MessagesService } from 'src/modules/messages/messages.service';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/** Seed 2.2.7 消息信息, field for field, plus the read state `/message` adds. */
const SEED_MESSAGE = ['avatars', 'content', 'id', 'publish_time', 'title', 'type', 'username'];
const INBOX_ITEM = [...SEED_MESSAGE, 'is_read'].sort();

interface InboxItem {
  id: number;
  type: number;
  title: string;
  is_read: number;
}

describe('system messages (3.1.13 GET /message, centres 3.3.18 / 3.4.11, POST /admin/messages)', () => {
  let t: TestApp;
  let admin: string;
  let messages: MessagesService;

  const broadcast = (body: object, token = admin) =>
    t.http.post('/admin/messages').set('X-auth-token', token).send(body);
  const broadcastTo = async (appType: number, title: string) =>
    (await broadcast({ app_type: appType, title, content: `${title} 的内容` }).expect(200)).body.data
      .id as number;
  const inbox = (a: Account, q = '') => t.http.get(`/message${q}`).set('X-auth-token', a.token);
  const inboxItems = async (a: Account, q = '?page_size=100') =>
    (await inbox(a, q).expect(200)).body.data.list as InboxItem[];
  const ids = (items: { id: number }[]) => items.map((m) => m.id);
  const centre = (a: Account) =>
    t.http.get(a.type === 3 ? '/assistant/center' : '/custom/center').set('X-auth-token', a.token);
  const unread = async (a: Account) => (await centre(a).expect(200)).body.data.msg_count as number;
  const personal = (a: Account, title: string, extra: object = {}) =>
    messages.sendPersonal({ userId: a.id, title, content: `${title} 的内容`, ...extra });
  const accounts = (type: 1 | 2 | 3, n: number) =>
    Promise.all(Array.from({ length: n }, () => registerAccount(t.http, type)));

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    messages = t.app.get(MessagesService);
  });
  afterAll(() => t.close());

  describe('POST /admin/messages', () => {
    let patient: Account;
    beforeAll(async () => {
      [patient] = await accounts(1, 1);
    });

    it('broadcasts to one app (type 0), audited; the app’s accounts receive it', async () => {
      const res = await broadcast({ app_type: 1, title: ' 系统维护 ', content: '今晚 22 点维护' }).expect(
        200,
      );
      expect(res.body).toEqual({
        error_code: 0,
        data: {
          id: expect.any(Number),
          type: 0,
          app_type: 1,
          title: '系统维护',
          content: '今晚 22 点维护',
          publish_time: expect.stringMatching(DATETIME),
          username: '系统消息',
          avatars: '',
        },
        error_message: '',
      });
      const [entry] = await t.db.query<{ target_id: string; detail: object }[]>(
        `SELECT target_id, detail FROM audit_log WHERE action = 'message.broadcast' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry).toEqual({
        target_id: String(res.body.data.id),
        detail: { app_type: 1, title: '系统维护' },
      });
      expect(ids(await inboxItems(patient))).toContain(res.body.data.id);
    });

    it('accepts a form-encoded body', async () => {
      const res = await t.http
        .post('/admin/messages')
        .set('X-auth-token', admin)
        .type('form')
        .send({ app_type: '3', title: '表单', content: 'x' })
        .expect(200);
      expect(res.body.data).toMatchObject({ type: 0, app_type: 3 });
    });

    const valid = { app_type: 1, title: '标题', content: '内容' };
    it.each([
      ['a missing app_type', { title: 'x', content: 'x' }, 'app_type'],
      ['a missing title', { app_type: 1, content: 'x' }, 'title'],
      ['a missing content', { app_type: 1, title: 'x' }, 'content'],
      ['app_type 4', { ...valid, app_type: 4 }, 'app_type'],
      ['app_type 0', { ...valid, app_type: 0 }, 'app_type'],
      ['app_type "abc"', { ...valid, app_type: 'abc' }, 'app_type'],
      ['a blank title', { ...valid, title: '  ' }, 'title'],
      ['a 201-character title', { ...valid, title: 'x'.repeat(201) }, 'title'],
      ['an empty content', { ...valid, content: '' }, 'content'],
      ['a 5001-character content', { ...valid, content: 'x'.repeat(5001) }, 'content'],
      ['an object content', { ...valid, content: { a: 1 } }, 'content'],
    ])('%s is a 400 10001 naming the field, and sends nothing', async (_name, body, field) => {
      const [{ n }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM message');
      expect(expectError(await broadcast(body), 400, 10001).error_message).toContain(field);
      const [{ n: after }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM message');
      expect(after).toBe(n);
    });

    it('only operators: app accounts 403 20005, no token 401 20001', async () => {
      const [doctor, assistant] = [...(await accounts(2, 1)), ...(await accounts(3, 1))];
      for (const a of [patient, doctor, assistant]) expectError(await broadcast(valid, a.token), 403, 20005);
      expectError(await t.http.post('/admin/messages').send(valid), 401, 20001);
    });
  });

  describe('GET /message', () => {
    let p1: Account;
    let p2: Account;
    let doctor: Account;
    let assistant: Account;
    let b1: number;
    let bDoctor: number;
    let m1: number;
    let m2: number;
    let b2: number;

    beforeAll(async () => {
      await t.db.query('DELETE FROM message');
      [p1, p2] = await accounts(1, 2);
      [doctor] = await accounts(2, 1);
      [assistant] = await accounts(3, 1);
      b1 = await broadcastTo(1, '患者广播一');
      bDoctor = await broadcastTo(2, '医生广播');
      m1 = await personal(p1, '给 p1', { senderName: '张医生', senderAvatar: 'http://files.test/a.png' });
      m2 = await personal(p2, '给 p2');
      b2 = await broadcastTo(1, '患者广播二');
    });

    it('shows the caller’s personal messages and its app’s broadcasts, newest first, as seed 2.2.7 + is_read', async () => {
      const res = await inbox(p1).expect(200);
      expect(ids(res.body.data.list)).toEqual([b2, m1, b1]);
      expect(res.body.data.page).toEqual({ current_page: 1, total_page: 1, count: 3, page_size: 10 });
      for (const item of res.body.data.list) expect(Object.keys(item).sort()).toEqual(INBOX_ITEM);
      expect(res.body.data.list[1]).toEqual({
        id: m1,
        type: 1,
        title: '给 p1',
        content: '给 p1 的内容',
        publish_time: expect.stringMatching(DATETIME),
        username: '张医生',
        avatars: 'http://files.test/a.png',
        is_read: 0,
      });
      expect(res.body.data.list[0]).toMatchObject({ type: 0, username: '系统消息', avatars: '' });
    });

    it('is_read is the state before the listing: the second listing shows them read', async () => {
      expect((await inboxItems(p1)).map((m) => m.is_read)).toEqual([1, 1, 1]);
    });

    it('read state is per account; another patient’s personal messages never appear', async () => {
      const items = await inboxItems(p2);
      expect(ids(items)).toEqual([b2, m2, b1]);
      expect(items.map((m) => m.is_read)).toEqual([0, 0, 0]);
      expect(ids(await inboxItems(p1))).not.toContain(m2);
    });

    it('doctors and assistants get their own app’s broadcasts only', async () => {
      expect(ids(await inboxItems(doctor))).toEqual([bDoctor]);
      expect(await inboxItems(assistant)).toEqual([]);
    });

    it('operators have no inbox (403 20005); without a token 401 20001', async () => {
      expectError(await t.http.get('/message').set('X-auth-token', admin), 403, 20005);
      expectError(await t.http.get('/message'), 401, 20001);
    });

    it('pages: only the page returned becomes read; a partial last page; an empty page past the end', async () => {
      const [p3] = await accounts(1, 1);
      const own = [];
      for (let i = 0; i < 3; i += 1) own.push(await personal(p3, `p3 第 ${i} 条`));
      const newestFirst = [...own.reverse(), b2, b1];
      expect(await unread(p3)).toBe(5);
      const first = await inbox(p3, '?page_size=2').expect(200);
      expect(ids(first.body.data.list)).toEqual(newestFirst.slice(0, 2));
      expect(first.body.data.page).toEqual({ current_page: 1, total_page: 3, count: 5, page_size: 2 });
      expect(await unread(p3)).toBe(3);
      const last = await inbox(p3, '?page_size=2&current_page=3').expect(200);
      expect(ids(last.body.data.list)).toEqual([b1]);
      expect(await unread(p3)).toBe(2);
      const past = await inbox(p3, '?page_size=2&current_page=4').expect(200);
      expect(past.body.data).toEqual({
        list: [],
        page: { current_page: 4, total_page: 3, count: 5, page_size: 2 },
      });
      const all = await inboxItems(p3);
      expect(all.map((m) => m.is_read)).toEqual([1, 1, 0, 0, 1]);
      expect(await unread(p3)).toBe(0);
    });

    it.each(['page_size=101', 'page_size=0', 'current_page=0', 'current_page=abc'])(
      '?%s is a 400 10001',
      async (q) => {
        expectError(await inbox(p1, `?${q}`), 400, 10001);
      },
    );

    it('costs the same number of queries for page_size 1 and 50, marking the page read in the same statement', async () => {
      const [p4] = await accounts(1, 1);
      // Older than the two patient broadcasts, which therefore head the inbox.
      await t.db.query(
        `INSERT INTO message (type, user_id, title, publish_time)
         SELECT 1, $1, 'm' || g, now() - interval '1 day' - g * interval '1 second' FROM generate_series(1, 60) g`,
        [p4.id],
      );
      await inbox(p4, '?page_size=1&current_page=62').expect(200); // warms the token; marks the oldest read
      const one = await countQueries(t, () => inbox(p4, '?page_size=1').expect(200));
      const fifty = await countQueries(t, async () => {
        expect((await inbox(p4, '?page_size=50').expect(200)).body.data.list).toHaveLength(50);
      });
      expect(fifty).toBe(one);
      const [{ n }] = await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM message_read WHERE user_id = $1',
        [p4.id],
      );
      expect(n).toBe(51); // the 50 newest and the oldest
      expect(await unread(p4)).toBe(11);
    });
  });

  describe('MessagesService.sendPersonal', () => {
    it('commits or rolls back with the caller’s transaction', async () => {
      const [p] = await accounts(1, 1);
      await expect(
        t.db.transaction(async (m) => {
          await messages.sendPersonal({ userId: p.id, title: '回滚', content: 'x' }, m);
          throw new Error('the booking failed');
        }),
      ).rejects.toThrow('the booking failed');
      expect((await inboxItems(p)).map((x) => x.title)).not.toContain('回滚');
      const id = await t.db.transaction((m) =>
        messages.sendPersonal({ userId: p.id, title: '提交', content: 'y' }, m),
      );
      const [item] = (await inboxItems(p)).filter((x) => x.id === id);
      expect(item).toMatchObject({ type: 1, title: '提交', username: '系统消息', is_read: 0 });
    });
  });

  describe('GET /custom/center and GET /assistant/center', () => {
    let patient: Account;
    let other: Account;
    let doctor: Account;
    let assistant: Account;

    beforeAll(async () => {
      await t.db.query('DELETE FROM message');
      [patient, other] = await accounts(1, 2);
      [doctor] = await accounts(2, 1);
      [assistant] = await accounts(3, 1);
    });

    it('a patient gets its own user object (with its token, as GET /user) and the unread count', async () => {
      await broadcastTo(1, '广播');
      await personal(patient, '个人');
      const res = await t.http.get('/custom/center').set('X-auth-token', patient.token).expect(200);
      const me = await t.http.get('/user').set('X-auth-token', patient.token).expect(200);
      expect(res.body).toEqual({
        error_code: 0,
        data: { user_info: me.body.data, msg_count: 2 },
        error_message: '',
      });
      expect(res.body.data.user_info).toMatchObject({
        id: patient.id,
        phone: patient.phone,
        token: patient.token,
      });
    });

    it('unread counts are per account and fall as the inbox is read', async () => {
      expect(await unread(other)).toBe(1);
      await inbox(patient).expect(200);
      expect(await unread(patient)).toBe(0);
      expect(await unread(other)).toBe(1);
      await broadcastTo(1, '又一条');
      expect(await unread(patient)).toBe(1);
      expect(await unread(other)).toBe(2);
    });

    it('an assistant gets its own object and its app’s unread count', async () => {
      await broadcastTo(3, '医助广播');
      await broadcastTo(2, '医生广播');
      const res = await t.http.get('/assistant/center').set('X-auth-token', assistant.token).expect(200);
      expect(res.body.data.msg_count).toBe(1);
      expect(res.body.data.user_info).toMatchObject({ id: assistant.id, type: 3, token: assistant.token });
      const me = await t.http.get('/user').set('X-auth-token', assistant.token).expect(200);
      expect(res.body.data.user_info).toEqual(me.body.data);
    });

    it('each centre is for its own role only', async () => {
      for (const token of [doctor.token, assistant.token, admin]) {
        expectError(await t.http.get('/custom/center').set('X-auth-token', token), 403, 20005);
      }
      for (const token of [patient.token, doctor.token, admin]) {
        expectError(await t.http.get('/assistant/center').set('X-auth-token', token), 403, 20005);
      }
      expectError(await t.http.get('/custom/center'), 401, 20001);
      expectError(await t.http.get('/assistant/center'), 401, 20001);
    });
  });
});
