import { User } from 'src/modules/users/user.entity';
import { Account, expectError, operatorToken, registerAccount } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';

/** Seed 2.2.3 患者信息, field for field (token included). */
const SEED_PATIENT = [
  'id',
  'real_name',
  'phone',
  'avatars',
  'idno',
  'sex',
  'birthday',
  'age',
  'email',
  'height',
  'weight',
  'province_id',
  'province_name',
  'city_id',
  'city_name',
  'county_id',
  'county_name',
  'addr',
  'marital_status',
  'drink_status',
  'smoking_status',
  'credit_score',
  'punctuality_score',
  'is_verify',
  'join_project_count',
  'done_project_count',
  'token',
];
/** Seed 2.2.4 医生信息 (v2.0), field for field. */
const SEED_DOCTOR = [
  'id',
  'real_name',
  'phone',
  'avatars',
  'idno',
  'hospital',
  'departments',
  'job_position',
  'good_at',
  'work_photo',
  'abstract',
  'visits_count',
  'patient_count',
  'service_time_long',
  'work_time',
  'is_verify',
  'score',
  'token',
  'org_list',
];
/** Seed 2.2.5 医助信息, field for field. */
const SEED_ASSISTANT = [
  'id',
  'real_name',
  'phone',
  'avatars',
  'idno',
  'email',
  'team_name',
  'province_id',
  'province_name',
  'city_id',
  'city_name',
  'county_id',
  'county_name',
  'addr',
  'help_count',
  'is_verify',
  'token',
];
const ADDRESS = ['province_id', 'province_name', 'city_id', 'city_name', 'county_id', 'county_name', 'addr'];

const sorted = (keys: string[]) => [...new Set(keys)].sort();
const PATIENT_KEYS = sorted([...SEED_PATIENT, 'type']);
const DOCTOR_KEYS = sorted([
  ...SEED_DOCTOR,
  'type',
  'hospital_id',
  ...ADDRESS,
  'sex',
  'birthday',
  'age',
  'email',
]);
const ASSISTANT_KEYS = sorted([...SEED_ASSISTANT, 'type', 'sex', 'birthday', 'age']);
const withoutToken = (keys: string[]) => keys.filter((k) => k !== 'token');

const ZERO_COMMON = {
  real_name: '',
  avatars: '',
  idno: '',
  sex: 0,
  birthday: '',
  age: 0,
  email: '',
  province_id: 0,
  province_name: '',
  city_id: 0,
  city_name: '',
  county_id: 0,
  county_name: '',
  addr: '',
};

const IDNO = '11010519491231002X';

describe('user profiles (3.1.6 GET /user, 3.1.10 GET /user/{id})', () => {
  let t: TestApp;
  let patient: Account;
  let doctor: Account;
  let assistant: Account;
  let other: Account;
  let admin: string;
  let hospitalId: number;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    patient = await registerAccount(t.http, 1);
    doctor = await registerAccount(t.http, 2);
    assistant = await registerAccount(t.http, 3);
    other = await registerAccount(t.http, 1);
    admin = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    const [row] = await t.db.query<{ id: number }[]>(
      `INSERT INTO hospital (name) VALUES ('省人民医院') RETURNING id`,
    );
    hospitalId = row.id;
  });
  afterAll(() => t.close());

  describe('GET /user: the caller’s own structure by type', () => {
    it('a new patient gets exactly 2.2.3 (+type), zero values, its full phone and its own token', async () => {
      const res = await t.http.get('/user').set('X-auth-token', patient.token).expect(200);
      expect(res.body.error_code).toBe(0);
      expect(res.body.error_message).toBe('');
      const u = res.body.data;
      expect(Object.keys(u).sort()).toEqual(PATIENT_KEYS);
      expect(u).toEqual({
        ...ZERO_COMMON,
        id: patient.id,
        type: 1,
        phone: patient.phone,
        height: '',
        weight: '',
        marital_status: 0,
        drink_status: 0,
        smoking_status: 0,
        credit_score: '0.0',
        punctuality_score: '0.0',
        is_verify: 1,
        join_project_count: 0,
        done_project_count: 0,
        token: patient.token,
      });
    });

    it('a new doctor gets exactly 2.2.4 (+type, hospital_id, address, sex, birthday, age, email), pending', async () => {
      const res = await t.http.get('/user').set('X-auth-token', doctor.token).expect(200);
      const u = res.body.data;
      expect(Object.keys(u).sort()).toEqual(DOCTOR_KEYS);
      expect(u).toEqual({
        ...ZERO_COMMON,
        id: doctor.id,
        type: 2,
        phone: doctor.phone,
        hospital_id: 0,
        hospital: '',
        departments: '',
        job_position: '',
        good_at: '',
        work_photo: [],
        abstract: '',
        visits_count: 0,
        patient_count: 0,
        service_time_long: 0,
        work_time: [],
        is_verify: 0,
        score: '0.0',
        org_list: [],
        token: doctor.token,
      });
    });

    it('a new assistant gets exactly 2.2.5 (+type, sex, birthday, age), pending', async () => {
      const res = await t.http.get('/user').set('X-auth-token', assistant.token).expect(200);
      const u = res.body.data;
      expect(Object.keys(u).sort()).toEqual(ASSISTANT_KEYS);
      expect(u).toEqual({
        ...ZERO_COMMON,
        id: assistant.id,
        type: 3,
        phone: assistant.phone,
        team_name: '',
        help_count: 0,
        is_verify: 0,
        token: assistant.token,
      });
    });

    it('accepts the token as Authorization: Bearer too, echoing that token', async () => {
      const res = await t.http.get('/user').set('Authorization', `Bearer ${patient.token}`).expect(200);
      expect(res.body.data.id).toBe(patient.id);
      expect(res.body.data.token).toBe(patient.token);
    });

    it('echoes the token of this session when the account holds several', async () => {
      const login = await t.http
        .post('/login')
        .send({ phono: patient.phone, pwd: patient.password, type: 1 })
        .expect(200);
      const second = login.body.data.token as string;
      expect(second).not.toBe(patient.token);
      const res = await t.http.get('/user').set('X-auth-token', second).expect(200);
      expect(res.body.data.token).toBe(second);
    });

    it('shows stored profile data: names, hospital name, work photos, work time, derived age', async () => {
      const workTime = Array.from({ length: 7 }, (_, i) => ({ morning: i % 2, afternoon: 1 - (i % 2) }));
      await t.db.getRepository(User).update(doctor.id, {
        realName: '李医生',
        departments: '内科',
        jobPosition: '主任',
        goodAt: '心血管',
        workPhoto: ['http://img/1.png', 'http://img/2.png'],
        workTime,
        hospitalId,
        idno: IDNO,
        sex: 2,
        birthday: '1949-12-31',
        email: 'doc@example.com',
      });
      const res = await t.http.get('/user').set('X-auth-token', doctor.token).expect(200);
      const u = res.body.data;
      expect(Object.keys(u).sort()).toEqual(DOCTOR_KEYS);
      expect(u).toMatchObject({
        real_name: '李医生',
        departments: '内科',
        job_position: '主任',
        good_at: '心血管',
        hospital_id: hospitalId,
        hospital: '省人民医院',
        work_photo: ['http://img/1.png', 'http://img/2.png'],
        work_time: workTime,
        idno: IDNO,
        sex: 2,
        birthday: '1949-12-31',
        email: 'doc@example.com',
        phone: doctor.phone,
      });
      expect(u.age).toBeGreaterThanOrEqual(75);
    });

    it('refuses an operator token: 403 20005', async () => {
      expectError(await t.http.get('/user').set('X-auth-token', admin), 403, 20005);
    });

    it('refuses a request without token: 401 20001', async () => {
      expectError(await t.http.get('/user'), 401, 20001);
    });

    it('refuses an unknown token: 401 20002', async () => {
      expectError(
        await t.http.get('/user').set('X-auth-token', 'not-a-real-token-at-all-0123456789'),
        401,
        20002,
      );
    });
  });

  describe('GET /user/{id}: masked for others, full for self and operators', () => {
    beforeAll(async () => {
      await t.db.getRepository(User).update(patient.id, { idno: IDNO, realName: '张三' });
    });

    it('another user sees the patient masked, in the patient structure, without a token key', async () => {
      const res = await t.http.get(`/user/${patient.id}`).set('X-auth-token', other.token).expect(200);
      const u = res.body.data;
      expect(Object.keys(u).sort()).toEqual(withoutToken(PATIENT_KEYS));
      expect(u).not.toHaveProperty('token');
      expect(u.id).toBe(patient.id);
      expect(u.real_name).toBe('张三');
      expect(u.phone).toBe(`${patient.phone.slice(0, 3)}****${patient.phone.slice(-4)}`);
      expect(u.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(u.idno).toBe('1101**********002X');
      expect(JSON.stringify(res.body)).not.toContain(patient.phone);
      expect(JSON.stringify(res.body)).not.toContain(IDNO);
    });

    it('a doctor and an assistant see the patient masked too', async () => {
      for (const viewer of [doctor, assistant]) {
        const res = await t.http.get(`/user/${patient.id}`).set('X-auth-token', viewer.token).expect(200);
        expect(res.body.data.phone).toBe(`${patient.phone.slice(0, 3)}****${patient.phone.slice(-4)}`);
        expect(res.body.data.idno).toBe('1101**********002X');
        expect(res.body.data).not.toHaveProperty('token');
      }
    });

    it('a target without idno shows "" (nothing to mask)', async () => {
      const res = await t.http.get(`/user/${assistant.id}`).set('X-auth-token', patient.token).expect(200);
      expect(Object.keys(res.body.data).sort()).toEqual(withoutToken(ASSISTANT_KEYS));
      expect(res.body.data.idno).toBe('');
      expect(res.body.data.phone).toBe(`${assistant.phone.slice(0, 3)}****${assistant.phone.slice(-4)}`);
    });

    it('the user themself sees full phone and idno', async () => {
      const res = await t.http.get(`/user/${patient.id}`).set('X-auth-token', patient.token).expect(200);
      expect(res.body.data.phone).toBe(patient.phone);
      expect(res.body.data.idno).toBe(IDNO);
      expect(res.body.data.type).toBe(1);
    });

    it('an operator sees full phone and idno, and no token', async () => {
      const res = await t.http.get(`/user/${patient.id}`).set('X-auth-token', admin).expect(200);
      expect(Object.keys(res.body.data).sort()).toEqual(withoutToken(PATIENT_KEYS));
      expect(res.body.data.phone).toBe(patient.phone);
      expect(res.body.data.idno).toBe(IDNO);
    });

    it('a doctor’s profile has the doctor structure and the hospital name', async () => {
      await t.db.getRepository(User).update(doctor.id, { hospitalId, idno: IDNO });
      const res = await t.http.get(`/user/${doctor.id}`).set('X-auth-token', patient.token).expect(200);
      const u = res.body.data;
      expect(Object.keys(u).sort()).toEqual(withoutToken(DOCTOR_KEYS));
      expect(u.type).toBe(2);
      expect(u.hospital).toBe('省人民医院');
      expect(u.hospital_id).toBe(hospitalId);
      expect(u.idno).toBe('1101**********002X');
      expect(u.phone).not.toBe(doctor.phone);
    });

    it.each(['abc', '0', '-1', '99999999999', '1.5', '2147483648'])('id %s is a 400 10001', async (id) => {
      const body = expectError(
        await t.http.get(`/user/${id}`).set('X-auth-token', patient.token),
        400,
        10001,
      );
      expect(body.error_message).toContain('id');
    });

    it('a missing id is a 404 20007', async () => {
      expectError(await t.http.get('/user/2147483647').set('X-auth-token', patient.token), 404, 20007);
      expectError(await t.http.get('/user/99999999').set('X-auth-token', admin), 404, 20007);
    });

    it('no token is a 401 20001, even for a missing or malformed id', async () => {
      expectError(await t.http.get(`/user/${patient.id}`), 401, 20001);
      expectError(await t.http.get('/user/abc'), 401, 20001);
    });

    it('a disabled viewer is refused: 403 20004', async () => {
      const viewer = await registerAccount(t.http, 1);
      await t.db.query('UPDATE app_user SET is_verify = 2 WHERE id = $1', [viewer.id]);
      expectError(await t.http.get(`/user/${patient.id}`).set('X-auth-token', viewer.token), 403, 20004);
    });
  });
});
