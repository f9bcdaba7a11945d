import type { AddressInfo } from 'node:net';
import { io, Socket } from 'socket.io-client';
import { makeDoctor, makePatient } from '../support/clinic-factories';
import { Account, operatorToken, registerAccount } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const REDIS_URL = 'redis://127.0.0.1:6379';
/** How long a test waits before concluding an event did not come. */
const QUIET_MS = 400;

interface Handshake {
  auth?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Starts an instance listening on a real port (sockets need one; `t.http` keeps serving REST). */
async function startListening(overrides: Record<string, string>, databaseUrl?: string) {
  const t = await startTestApp(overrides, databaseUrl);
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return { t, url: `http://127.0.0.1:${port}/chat` };
}

describe('chat in real time (Socket.IO namespace /chat)', () => {
  const sockets: Socket[] = [];

  /** Resolves once connected; rejects with the server's refusal (`connect_error`). */
  const connect = (url: string, handshake: Handshake) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = io(url, {
        auth: handshake.auth ?? {},
        extraHeaders: handshake.headers,
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err: Error & { data?: unknown }) => reject(err));
    });
  const connectAs = (url: string, a: Account) => connect(url, { auth: { token: a.token } });

  /** The next `event` on the socket, or a rejection after `ms`. */
  const next = <T>(socket: Socket, event: string, ms = 3000, match: (p: T) => boolean = () => true) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.off(event, onEvent);
        reject(new Error(`no ${event} within ${ms} ms`));
      }, ms);
      const onEvent = (payload: T) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        socket.off(event, onEvent);
        resolve(payload);
      };
      socket.on(event, onEvent);
    });
  /** Every `event` the socket receives from now on. */
  const record = (socket: Socket, event: string) => {
    const got: unknown[] = [];
    socket.on(event, (p: unknown) => got.push(p));
    return got;
  };
  const quiet = () => new Promise((r) => setTimeout(r, QUIET_MS));

  const post = (t: TestApp, from: Account, to: Account, content: string) =>
    t.http
      .post('/chat')
      .set('X-auth-token', from.token)
      .send({ content, type: from.type, to_user_id: to.id })
      .expect(200);

  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });

  describe('one instance', () => {
    let t: TestApp;
    let url: string;
    let admin: string;
    let patient: Account;
    let doctor: Account;
    let doctor2: Account;

    beforeAll(async () => {
      ({ t, url } = await startListening({ ADMIN_PHONE, ADMIN_PASSWORD }));
      admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
      [patient, doctor, doctor2] = await Promise.all([makePatient(t), makeDoctor(t), makeDoctor(t)]);
    });
    afterAll(() => t.close());

    it('pushes chat:message (the 2.2.13 object) to every socket of the recipient, and to nobody else', async () => {
      const [phone, tablet, outsider, sender] = await Promise.all([
        connectAs(url, doctor),
        connectAs(url, doctor),
        connectAs(url, doctor2),
        connectAs(url, patient),
      ]);
      const [outsiderGot, senderGot] = [record(outsider, 'chat:message'), record(sender, 'chat:message')];
      const arrivals = Promise.all([next(phone, 'chat:message'), next(tablet, 'chat:message')]);
      const res = await post(t, patient, doctor, '医生您好');
      const sent = res.body.data.list.at(-1) as Record<string, unknown>;
      const [onPhone, onTablet] = await arrivals;
      expect(onPhone).toEqual(sent);
      expect(onTablet).toEqual(sent);
      expect(sent).toMatchObject({ from_user_id: patient.id, to_user_id: doctor.id, content: '医生您好' });
      await quiet();
      expect(outsiderGot).toEqual([]);
      expect(senderGot).toEqual([]);
    });

    it('takes the token from auth.token, X-auth-token or Authorization: Bearer', async () => {
      const viaHeader = await connect(url, { headers: { 'x-auth-token': doctor.token } });
      const viaBearer = await connect(url, { headers: { authorization: `Bearer ${doctor.token}` } });
      const arrivals = Promise.all([next(viaHeader, 'chat:message'), next(viaBearer, 'chat:message')]);
      await post(t, patient, doctor, 'headers');
      for (const m of await arrivals) expect(m).toMatchObject({ content: 'headers' });
    });

    it('refuses a missing, unknown or disabled token, assistants and operators (connect_error with the code)', async () => {
      const refusal = async (handshake: Handshake) => {
        const err = await connect(url, handshake).then(
          () => {
            throw new Error('connected');
          },
          (e: Error & { data?: { error_code: number; error_message: string } }) => e,
        );
        expect(err.data?.error_message).toEqual(expect.any(String));
        return err.data?.error_code;
      };
      expect(await refusal({})).toBe(20001);
      expect(await refusal({ auth: { token: 'no-such-token' } })).toBe(20002);
      expect(await refusal({ headers: { authorization: 'Bearer nope' } })).toBe(20002);
      const assistant = await registerAccount(t.http, 3);
      expect(await refusal({ auth: { token: assistant.token } })).toBe(20005);
      expect(await refusal({ auth: { token: admin } })).toBe(20005);
      const blocked = await makePatient(t);
      await t.db.query('UPDATE app_user SET is_verify = 2 WHERE id = $1', [blocked.id]);
      expect(await refusal({ auth: { token: blocked.token } })).toBe(20004);
    });

    it('pushes chat:read to both parties when the recipient opens the dialog, once', async () => {
      const [p, d, outsider] = await Promise.all([makePatient(t), makeDoctor(t), makeDoctor(t)]);
      await post(t, p, d, '一');
      const res = await post(t, p, d, '二');
      const dialogId = res.body.data.list[0].dialog_id as string;
      const [senderSocket, readerSocket, outsiderSocket] = await Promise.all([
        connectAs(url, p),
        connectAs(url, d),
        connectAs(url, outsider),
      ]);
      const [senderGot, outsiderGot] = [
        record(senderSocket, 'chat:read'),
        record(outsiderSocket, 'chat:read'),
      ];
      const onReader = next(readerSocket, 'chat:read');
      await t.http.get(`/chat/${dialogId}`).set('X-auth-token', d.token).expect(200);
      expect(await onReader).toEqual({ dialog_id: dialogId, reader_id: d.id });
      // Opening again marks nothing, so nothing is pushed; neither does the sender opening its own messages.
      await t.http.get(`/chat/${dialogId}`).set('X-auth-token', d.token).expect(200);
      await t.http.get(`/chat/${dialogId}`).set('X-auth-token', p.token).expect(200);
      await quiet();
      expect(senderGot).toEqual([{ dialog_id: dialogId, reader_id: d.id }]);
      expect(outsiderGot).toEqual([]);
    });
  });

  describe('two instances on one database', () => {
    /** Accounts are made on A; the recipient connects to B; the message is posted on A. */
    const fanOut = async (overrides: Record<string, string>, waitMs: number) => {
      const a = await startListening(overrides);
      const b = await startListening(overrides, a.t.databaseUrl);
      try {
        const [patient, doctor] = await Promise.all([makePatient(a.t), makeDoctor(a.t)]);
        const content = `跨实例 ${Math.random()}`;
        const onB = await connectAs(b.url, doctor);
        // Other suites may share this Redis: only this test's message counts.
        const arrival = next<{ content: string }>(onB, 'chat:message', waitMs, (m) => m.content === content);
        await post(a.t, patient, doctor, content);
        return await arrival.then(
          (m) => m,
          () => null,
        );
      } finally {
        for (const s of sockets.splice(0)) s.close();
        await b.t.close();
        await a.t.close();
      }
    };

    it('with REDIS_URL, a message posted on instance A reaches the recipient connected to instance B', async () => {
      const got = await fanOut({ REDIS_URL, CHAT_RATE_LIMIT_PER_MINUTE: '1000' }, 3000);
      expect(got).toMatchObject({ type: 1, content: expect.stringMatching(/^跨实例/) });
    });

    it('without Redis it does not (why REDIS_URL is needed behind a load balancer)', async () => {
      expect(await fanOut({}, 1000)).toBeNull();
    });
  });
});
