import { User, UserType } from 'src/modules/users/user.entity';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { countQueries } from '../support/queries';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const IDNO = '11010519491231002X';

describe('follows (3.1.8, 3.1.9, 3.3.12 /custom/follow, 3.4.2 /assistant/follow)', () => {
  let t: TestApp;
  let patient: Account;
  let other: Account;
  let assistant: Account;
  let doctorCaller: Account;
  let admin: string;
  let phones = 0;
  const d: Record<string, number> = {};

  /** Doctors straight into the table (through the entity, which seals phone and ID numbers): `is_verify` 1 listed, 0 pending, 2 disabled. */
  const insertDoctors = async (count: number, isVerify = 1): Promise<number[]> => {
    const numbers = Array.from({ length: count }, (_, i) => phones + i + 1);
    const inserted = await t.db.getRepository(User).insert(
      numbers.map((n) => ({
        type: UserType.Doctor,
        phone: `158${String(n).padStart(8, '0')}`,
        isVerify,
        realName: `医生${n}`,
        idno: IDNO,
      })),
    );
    phones += count;
    return inserted.identifiers.map((r) => r.id as number).sort((a, b) => a - b);
  };

  const follow = (who: Account | string, id: number | string) =>
    t.http.get(`/follow/user/${id}`).set('X-auth-token', typeof who === 'string' ? who : who.token);
  const unfollow = (who: Account | string, id: number | string) =>
    t.http.delete(`/follow/user/${id}`).set('X-auth-token', typeof who === 'string' ? who : who.token);
  const listRoute = (who: Account) => (who.type === 3 ? '/assistant/follow' : '/custom/follow');
  const followed = async (who: Account, query: Record<string, number> = {}) => {
    const res = await t.http.get(listRoute(who)).query(query).set('X-auth-token', who.token).expect(200);
    return res.body.data as { list: { id: number; phone: string }[]; page: Record<string, number> };
  };
  const followedIds = async (who: Account) => (await followed(who)).list.map((x) => x.id);
  const rows = async (followerId: number) =>
    (
      await t.db.query<{ doctor_id: number }[]>(
        'SELECT doctor_id FROM follow WHERE follower_id = $1 ORDER BY doctor_id',
        [followerId],
      )
    ).map((r) => r.doctor_id);

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    patient = await registerAccount(t.http, 1);
    other = await registerAccount(t.http, 1);
    assistant = await registerAccount(t.http, 3);
    doctorCaller = await registerAccount(t.http, 2);
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    [d.v1, d.v2, d.v3] = await insertDoctors(3);
    [d.pending] = await insertDoctors(1, 0);
    [d.disabled] = await insertDoctors(1, 2);
  });
  afterAll(() => t.close());

  describe('GET /follow/user/{id}', () => {
    it('a patient follows a verified doctor: 200 with data {}', async () => {
      const res = await follow(patient, d.v1).expect(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });
      expect(await rows(patient.id)).toEqual([d.v1]);
    });

    it('following twice is not an error and keeps one row, even concurrently', async () => {
      await follow(patient, d.v1).expect(200);
      const results = await Promise.all(Array.from({ length: 5 }, () => follow(patient, d.v2)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(await rows(patient.id)).toEqual([d.v1, d.v2]);
    });

    it('an assistant follows a doctor too', async () => {
      await follow(assistant, d.v2).expect(200);
      expect(await rows(assistant.id)).toEqual([d.v2]);
    });

    it('following a patient, an assistant or oneself is a 422 20030', async () => {
      for (const id of [other.id, assistant.id, patient.id])
        expectError(await follow(patient, id), 422, 20030);
      expectError(await follow(assistant, assistant.id), 422, 20030);
      expect(await rows(patient.id)).toEqual([d.v1, d.v2]);
    });

    it('following a pending or disabled doctor is a 422 20031', async () => {
      expectError(await follow(patient, d.pending), 422, 20031);
      expectError(await follow(patient, d.disabled), 422, 20031);
      expectError(await follow(assistant, doctorCaller.id), 422, 20031);
      expect(await rows(patient.id)).toEqual([d.v1, d.v2]);
    });

    it('an unknown id is a 404 20007', async () => {
      expectError(await follow(patient, 2147483647), 404, 20007);
    });

    it.each(['abc', '0', '-1', '1.5', '2147483648'])('id %s is a 400 10001', async (id) => {
      const body = expectError(await follow(patient, id), 400, 10001);
      expect(body.error_message).toContain('id');
    });

    it('doctors and operators may not follow: 403 20005; no token: 401 20001', async () => {
      expectError(await follow(doctorCaller, d.v1), 403, 20005);
      expectError(await follow(admin, d.v1), 403, 20005);
      expectError(await t.http.get(`/follow/user/${d.v1}`), 401, 20001);
      expect(await rows(doctorCaller.id)).toEqual([]);
    });
  });

  describe('GET /custom/follow and /assistant/follow', () => {
    beforeAll(async () => {
      await follow(patient, d.v3).expect(200);
      await follow(other, d.v3).expect(200);
    });

    it('lists the patient’s doctors, most recently followed first', async () => {
      const data = await followed(patient);
      expect(data.list.map((x) => x.id)).toEqual([d.v3, d.v2, d.v1]);
      expect(data.page).toEqual({ current_page: 1, total_page: 1, count: 3, page_size: 10 });
    });

    it('each entry is the doctor object others see at /user/{id}: masked, without token', async () => {
      const { list } = await followed(patient);
      for (const entry of list) {
        const profile = await t.http.get(`/user/${entry.id}`).set('X-auth-token', other.token).expect(200);
        expect(entry).toEqual(profile.body.data);
        expect(entry).toMatchObject({ type: 2, is_verify: 1, idno: '1101**********002X' });
        expect(entry.phone).toMatch(/^158\*{4}\d{4}$/);
        expect(entry).not.toHaveProperty('token');
      }
      expect(JSON.stringify(list)).not.toContain(IDNO);
    });

    it('shows only the caller’s own follows', async () => {
      expect(await followedIds(other)).toEqual([d.v3]);
      expect(await followedIds(assistant)).toEqual([d.v2]);
      const fresh = await registerAccount(t.http, 1);
      expect(await followed(fresh)).toEqual({
        list: [],
        page: { current_page: 1, total_page: 0, count: 0, page_size: 10 },
      });
    });

    it('following again does not move a doctor up; unfollow then follow does', async () => {
      await follow(patient, d.v1).expect(200);
      expect(await followedIds(patient)).toEqual([d.v3, d.v2, d.v1]);
      await unfollow(patient, d.v1).expect(200);
      await follow(patient, d.v1).expect(200);
      expect(await followedIds(patient)).toEqual([d.v1, d.v3, d.v2]);
    });

    it('a doctor disabled (or reset to pending) drops out of the list; the follow survives re-approval', async () => {
      const verify = (id: number, is_verify: number) =>
        t.http.post(`/admin/users/${id}/verify`).set('X-auth-token', admin).send({ is_verify }).expect(200);
      await verify(d.v3, 2);
      await verify(d.v2, 0);
      const data = await followed(patient);
      expect(data.list.map((x) => x.id)).toEqual([d.v1]);
      expect(data.page.count).toBe(1);
      expect(await followedIds(other)).toEqual([]);
      await verify(d.v3, 1);
      await verify(d.v2, 1);
      expect(await followedIds(patient)).toEqual([d.v1, d.v3, d.v2]);
    });

    it('pages: full page, partial last page, empty page beyond the end', async () => {
      const first = await followed(patient, { page_size: 2 });
      expect(first.list.map((x) => x.id)).toEqual([d.v1, d.v3]);
      expect(first.page).toEqual({ current_page: 1, total_page: 2, count: 3, page_size: 2 });
      const last = await followed(patient, { page_size: 2, current_page: 2 });
      expect(last.list.map((x) => x.id)).toEqual([d.v2]);
      expect(last.page).toEqual({ current_page: 2, total_page: 2, count: 3, page_size: 2 });
      const beyond = await followed(patient, { page_size: 2, current_page: 3 });
      expect(beyond).toEqual({ list: [], page: { current_page: 3, total_page: 2, count: 3, page_size: 2 } });
    });

    it.each([
      ['page_size', '101'],
      ['page_size', '0'],
      ['page_size', 'abc'],
      ['current_page', '0'],
    ])('%s=%s is a 400 10001 naming the field', async (field, value) => {
      for (const who of [patient, assistant]) {
        const res = await t.http
          .get(listRoute(who))
          .query({ [field]: value })
          .set('X-auth-token', who.token);
        expect(expectError(res, 400, 10001).error_message).toContain(field);
      }
    });

    it('each list answers its own app only: 403 20005 otherwise; 401 20001 without token', async () => {
      for (const token of [assistant.token, doctorCaller.token, admin]) {
        expectError(await t.http.get('/custom/follow').set('X-auth-token', token), 403, 20005);
      }
      for (const token of [patient.token, doctorCaller.token, admin]) {
        expectError(await t.http.get('/assistant/follow').set('X-auth-token', token), 403, 20005);
      }
      expectError(await t.http.get('/custom/follow'), 401, 20001);
      expectError(await t.http.get('/assistant/follow'), 401, 20001);
    });
  });

  describe('DELETE /follow/user/{id}', () => {
    it('unfollows: 200 with data {}, only the caller’s row goes', async () => {
      await follow(other, d.v1).expect(200);
      const res = await unfollow(other, d.v3).expect(200);
      expect(res.body).toEqual({ error_code: 0, data: {}, error_message: '' });
      expect(await rows(other.id)).toEqual([d.v1]);
      expect(await rows(patient.id)).toEqual([d.v1, d.v2, d.v3]);
    });

    it('not following, a non-doctor or an unknown id is not an error (nothing to remove)', async () => {
      await unfollow(other, d.v3).expect(200);
      await unfollow(other, patient.id).expect(200);
      await unfollow(other, 2147483647).expect(200);
      expect(await rows(other.id)).toEqual([d.v1]);
    });

    it('a disabled doctor can still be unfollowed', async () => {
      await t.db.query('UPDATE app_user SET is_verify = 2 WHERE id = $1', [d.v1]);
      await unfollow(other, d.v1).expect(200);
      expect(await rows(other.id)).toEqual([]);
      await t.db.query('UPDATE app_user SET is_verify = 1 WHERE id = $1', [d.v1]);
    });

    it('an assistant unfollows', async () => {
      await unfollow(assistant, d.v2).expect(200);
      expect(await followedIds(assistant)).toEqual([]);
    });

    it.each(['abc', '0'])('id %s is a 400 10001', async (id) => {
      expectError(await unfollow(patient, id), 400, 10001);
    });

    it('doctors and operators: 403 20005; no token: 401 20001', async () => {
      expectError(await unfollow(doctorCaller, d.v1), 403, 20005);
      expectError(await unfollow(admin, d.v1), 403, 20005);
      expectError(await t.http.delete(`/follow/user/${d.v1}`), 401, 20001);
      expect(await rows(patient.id)).toEqual([d.v1, d.v2, d.v3]);
    });
  });

  describe('a fixed number of queries whatever the page size', () => {
    it.each([1, 3])('user type %i with 55 followed doctors', async (type) => {
      const who = await registerAccount(t.http, type as 1 | 3);
      const many = await insertDoctors(55);
      // One second apart, in id order: the highest id was followed last.
      await t.db.query(
        `INSERT INTO follow (follower_id, doctor_id, created_at)
         SELECT $1, id, now() - (100 - n) * interval '1 second' FROM unnest($2::int[]) WITH ORDINALITY AS x(id, n)`,
        [who.id, many],
      );
      let data: Awaited<ReturnType<typeof followed>> | undefined;
      const run = (page_size: number) =>
        countQueries(t, async () => {
          data = await followed(who, { page_size });
        });
      const one = await run(1);
      expect(data!.list.map((x) => x.id)).toEqual([many[54]]);
      const fifty = await run(50);
      expect(data!.list.map((x) => x.id)).toEqual([...many].reverse().slice(0, 50));
      expect(data!.page).toEqual({ current_page: 1, total_page: 2, count: 55, page_size: 50 });
      expect(fifty).toBe(one);
    });
  });
});
