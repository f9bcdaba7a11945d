import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const IDNO_F = '11010519491231002X'; // female, 1949-12-31
const IDNO_M = '110101199003074514'; // male, 1990-03-07

const patientBody = (over: Record<string, unknown> = {}) => ({
  real_name: '张三',
  idno: IDNO_F,
  height: '172',
  weight: 65,
  marital_status: 1,
  drink_status: 0,
  smoking_status: 1,
  email: 'z@example.com',
  province_id: 110000,
  city_id: 110100,
  county_id: 110105,
  addr: '国贸三期',
  ...over,
});

describe('PUT /user (complete a profile, by role)', () => {
  let t: TestApp;
  let hospitalId: number;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE: '13700000000', ADMIN_PASSWORD: 'admin-pass-1' });
    [{ id: hospitalId }] = await t.db.query<{ id: number }[]>(
      `INSERT INTO hospital (name) VALUES ('协和医院') RETURNING id`,
    );
    admin = await operatorToken(t.http, '13700000000', 'admin-pass-1');
  });
  afterAll(() => t.close());

  const put = (a: Account, body: object) => t.http.put('/user').set('X-auth-token', a.token).send(body);
  const doctorBody = (over: Record<string, unknown> = {}) => ({
    real_name: '李医生',
    idno: IDNO_M,
    hospital_id: hospitalId,
    departments: '内科',
    job_position: '主任医师',
    good_at: '高血压',
    work_photo: ['http://files.test/uploads/202611/a.png'],
    abstract: '二十年临床',
    work_time: JSON.stringify(
      Array.from({ length: 7 }, (_, d) => ({ morning: d < 5 ? 1 : 0, afternoon: 0 })),
    ),
    ...over,
  });

  describe('patient (3.1.3)', () => {
    let p: Account;
    beforeAll(async () => {
      p = await registerAccount(t.http, 1);
    });

    it('saves the profile, derives sex/birthday/age from the ID number and fills region names', async () => {
      const res = await put(p, patientBody()).expect(200);
      expect(res.body.data).toMatchObject({
        id: p.id,
        real_name: '张三',
        idno: IDNO_F,
        sex: 2,
        birthday: '1949-12-31',
        height: '172',
        weight: '65',
        marital_status: 1,
        drink_status: 0,
        smoking_status: 1,
        province_id: 110000,
        province_name: '北京市',
        city_id: 110100,
        city_name: '北京市',
        county_id: 110105,
        county_name: '朝阳区',
        addr: '国贸三期',
        token: p.token,
      });
      expect(res.body.data.age).toBeGreaterThanOrEqual(76);
      const me = await t.http.get('/user').set('X-auth-token', p.token).expect(200);
      expect(me.body.data.real_name).toBe('张三');
    });

    it('accepts a form-urlencoded body', async () => {
      const res = await t.http
        .put('/user')
        .set('X-auth-token', p.token)
        .type('form')
        .send({ ...patientBody({ real_name: '张三丰' }), province_id: '110000', marital_status: '0' })
        .expect(200);
      expect(res.body.data).toMatchObject({ real_name: '张三丰', marital_status: 0 });
    });

    it.each(['real_name', 'idno', 'height', 'weight', 'marital_status', 'drink_status', 'smoking_status'])(
      'requires %s (400 naming it)',
      async (field) => {
        const body: Record<string, unknown> = patientBody();
        delete body[field];
        const res = await put(p, body);
        expectError(res, 400, 10001);
        expect(res.body.data.field).toBe(field);
      },
    );

    it.each([
      ['idno', '110105194912310021'],
      ['idno', '11010519491331002X'],
      ['marital_status', 5],
      ['height', 'tall'],
      ['email', 'not-an-email'],
      ['avatars', 'javascript:alert(1)'],
      ['province_id', 'abc'],
    ])('rejects a bad %s', async (field, value) => {
      const res = await put(p, patientBody({ [field]: value }));
      expectError(res, 400, 10001);
      expect(res.body.data.field).toBe(field);
    });

    it.each([
      ['a city outside the province', { province_id: 110000, city_id: 510100, county_id: undefined }],
      ['a county without its city', { province_id: 110000, city_id: undefined, county_id: 110105 }],
      ['an unknown region', { province_id: 990000, city_id: undefined, county_id: undefined }],
      ['a city given as province', { province_id: 110100, city_id: undefined, county_id: undefined }],
    ])('refuses %s (422) and changes nothing', async (_, place) => {
      const before = await t.http.get('/user').set('X-auth-token', p.token);
      const res = await put(p, patientBody({ ...place, real_name: '不应保存' }));
      expectError(res, 422, 10021);
      const after = await t.http.get('/user').set('X-auth-token', p.token);
      expect(after.body.data).toEqual(before.body.data);
    });

    it('ignores fields a client may not set (is_verify, type, phone)', async () => {
      const res = await put(p, patientBody({ is_verify: 2, type: 2, phone: '13000000000' })).expect(200);
      expect(res.body.data).toMatchObject({ is_verify: 1, type: 1, phone: p.phone });
    });

    it('does not accept the doctor body in place of its own', async () => {
      const res = await put(p, doctorBody());
      expectError(res, 400, 10001);
    });
  });

  describe('doctor (3.1.4)', () => {
    let d: Account;
    beforeAll(async () => {
      d = await registerAccount(t.http, 2);
    });

    it('saves the profile with hospital, proof photos and a JSON-string work_time', async () => {
      const res = await put(d, doctorBody()).expect(200);
      expect(res.body.data).toMatchObject({
        hospital_id: hospitalId,
        hospital: '协和医院',
        departments: '内科',
        job_position: '主任医师',
        good_at: '高血压',
        work_photo: ['http://files.test/uploads/202611/a.png'],
        sex: 1,
        birthday: '1990-03-07',
        is_verify: 0,
        org_list: [],
      });
      expect(res.body.data.work_time).toHaveLength(7);
      expect(res.body.data.work_time[0]).toEqual({ morning: 1, afternoon: 0 });
    });

    it('accepts work_photo as repeated form keys and as a JSON string', async () => {
      const form = await t.http
        .put('/user')
        .set('X-auth-token', d.token)
        .type('form')
        .send(
          'real_name=李医生&idno=' +
            IDNO_M +
            `&hospital_id=${hospitalId}&departments=内科&job_position=主任医师&good_at=高血压` +
            '&work_photo[]=http://files.test/a.png&work_photo[]=http://files.test/b.png',
        )
        .expect(200);
      expect(form.body.data.work_photo).toEqual(['http://files.test/a.png', 'http://files.test/b.png']);
      const json = await put(d, doctorBody({ work_photo: '["http://files.test/c.png"]' })).expect(200);
      expect(json.body.data.work_photo).toEqual(['http://files.test/c.png']);
    });

    it.each(['real_name', 'idno', 'hospital_id', 'departments', 'job_position', 'good_at', 'work_photo'])(
      'requires %s',
      async (field) => {
        const body: Record<string, unknown> = doctorBody();
        delete body[field];
        const res = await put(d, body);
        expectError(res, 400, 10001);
        expect(res.body.data.field).toBe(field);
      },
    );

    it.each([
      ['work_photo', []],
      ['work_photo', ['not a url']],
      ['work_time', JSON.stringify([{ morning: 1, afternoon: 0 }])],
      ['work_time', JSON.stringify(Array.from({ length: 7 }, () => ({ morning: 2, afternoon: 0 })))],
      ['hospital_id', 'abc'],
    ])('rejects a bad %s', async (field, value) => {
      const res = await put(d, doctorBody({ [field]: value }));
      expectError(res, 400, 10001);
      expect(res.body.data.field).toBe(field);
    });

    it('refuses an unknown hospital (422)', async () => {
      expectError(await put(d, doctorBody({ hospital_id: 999999 })), 422, 10052);
    });

    it('sends a verified doctor back for approval when credentials change, not for other edits', async () => {
      await put(d, doctorBody()).expect(200);
      await t.http
        .post(`/admin/users/${d.id}/verify`)
        .set('X-auth-token', admin)
        .send({ is_verify: 1 })
        .expect(200);
      const other = await put(d, doctorBody({ good_at: '糖尿病', abstract: '更新简介' })).expect(200);
      expect(other.body.data.is_verify).toBe(1);
      const moved = await put(
        d,
        doctorBody({ good_at: '糖尿病', abstract: '更新简介', departments: '外科' }),
      ).expect(200);
      expect(moved.body.data.is_verify).toBe(0);
    });
  });

  describe('assistant (3.1.5)', () => {
    it('saves the profile and requires team_name', async () => {
      const a = await registerAccount(t.http, 3);
      const base = {
        real_name: '王医助',
        idno: IDNO_M,
        province_id: 510000,
        city_id: 510100,
        county_id: 510107,
      };
      const missing = await put(a, base);
      expectError(missing, 400, 10001);
      expect(missing.body.data.field).toBe('team_name');
      const res = await put(a, { ...base, team_name: '蓝丝带' }).expect(200);
      expect(res.body.data).toMatchObject({
        team_name: '蓝丝带',
        city_name: '成都市',
        county_name: '武侯区',
        help_count: 0,
      });
    });
  });

  it('needs an app account: no token 401, an operator 403', async () => {
    expectError(await t.http.put('/user').send(patientBody()), 401, 20001);
    expectError(await t.http.put('/user').set('X-auth-token', admin).send(patientBody()), 403, 20005);
  });
});
