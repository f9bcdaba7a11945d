import { IDNOS, makeDoctor, publishProject, slotOf } from '../support/clinic-factories';
import { Account, expectError, nextPhone, registerAccount, sendCode, sleep } from '../support/factories';
import { patientProfile } from '../support/personal-data';
import { startTestApp, TEST_SMS_CODE, TestApp } from '../support/test-app';

const ADMIN_PHONE = '13700000000';
const ADMIN_PASSWORD = 'admin-pass-1';
const PASSWORD = 'secret123';
const NEW_PASSWORD = 'renewed-secret-77';
const WRONG_CODE = '135790';
/** A well-formed ID number with a wrong check digit: bad input that is still somebody's number. */
const BAD_IDNO = '110105194912310021';

describe('logs carry no phone numbers, ID numbers, tokens, passwords or verification codes', () => {
  let t: TestApp;
  let write: jest.SpyInstance;
  const captured: string[] = [];
  /** Every secret value the requests below use, by what it is. */
  const secrets: Record<string, string> = {
    'SMS code': TEST_SMS_CODE,
    'wrong SMS code': WRONG_CODE,
    password: PASSWORD,
    'new password': NEW_PASSWORD,
    'operator phone': ADMIN_PHONE,
    'operator password': ADMIN_PASSWORD,
    'ID number': IDNOS[0],
    'bad ID number': BAD_IDNO,
  };

  beforeAll(async () => {
    // The app logs to standard output (through the redacting stream); keep every line here instead.
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    t = await startTestApp({ LOG_LEVEL: 'debug', ADMIN_PHONE, ADMIN_PASSWORD });
    // What `listen` does in production: the start-up logs, and every later one, are written out, not buffered.
    t.app.flushLogs();
  });
  afterAll(async () => {
    await t.close();
    write.mockRestore();
  });

  const as = (who: Account | string) => {
    const token = typeof who === 'string' ? who : who.token;
    return {
      get: (path: string) => t.http.get(path).set('X-auth-token', token),
      put: (path: string, body: object) => t.http.put(path).set('X-auth-token', token).send(body),
      post: (path: string, body: object = {}) => t.http.post(path).set('X-auth-token', token).send(body),
    };
  };
  const note = (name: string, value: string) => {
    secrets[name] = value;
    return value;
  };

  it('through sign-up, sign-in, codes, profiles, bookings, operators and bad input', async () => {
    // Codes, registration, password and code sign-in, password reset.
    const patient = await registerAccount(t.http, 1);
    note('patient phone', patient.phone);
    note('patient token', patient.token);
    expectError(
      await t.http.post('/login').send({ phono: patient.phone, pwd: 'wrong-secret-1', type: 1 }),
      401,
      20003,
    );
    note('wrong password', 'wrong-secret-1');
    const login = await t.http
      .post('/login')
      .send({ phono: patient.phone, pwd: PASSWORD, type: 1 })
      .expect(200);
    note('second token', login.body.data.token as string);
    await sleep(1100); // the per-phone SMS gap
    await sendCode(t.http, patient.phone);
    expectError(
      await t.http.post('/login/phone').send({ phone: patient.phone, verify_code: WRONG_CODE }),
      422,
      20011,
    );
    const byCode = await t.http
      .post('/login/phone')
      .send({ phone: patient.phone, verify_code: TEST_SMS_CODE });
    note('code sign-in token', byCode.body.data.token as string);
    await sleep(1100);
    await sendCode(t.http, patient.phone);
    await t.http
      .post('/reset/pwd')
      .send({ phono: patient.phone, verify_code: TEST_SMS_CODE, pwd: NEW_PASSWORD, type: 1 })
      .expect(200);
    const relogin = await t.http.post('/login').send({ phono: patient.phone, pwd: NEW_PASSWORD, type: 1 });
    const me: Account = { ...patient, token: note('token after reset', relogin.body.data.token as string) };

    // Profile edits, a booking.
    expectError(await as(me).put('/user', patientProfile(BAD_IDNO)), 400, 10001);
    await as(me).put('/user', patientProfile(IDNOS[0])).expect(200);
    const doctor = await makeDoctor(t);
    note('doctor token', doctor.token);
    note('doctor phone', doctor.phone);
    const project = await publishProject(t, doctor);
    await as(me)
      .post(`/project/${project.id}/join`, { content: '头痛', photo: [], plan_time: slotOf(project) })
      .expect(200);
    await as(doctor).get(`/project/${project.id}/patient`).expect(200);

    // An assistant creating and booking for a patient.
    const assistant = await registerAccount(t.http, 3);
    note('assistant token', assistant.token);
    const created = note('created patient phone', nextPhone());
    await as(assistant)
      .post('/assistant/create/patient', {
        ...patientProfile(IDNOS[0]),
        phone: created,
        pwd: 'created-pass-9',
      })
      .expect(200);
    note('created patient password', 'created-pass-9');
    await as(assistant).get(`/assistant/patient?keyword=${created}`).expect(200);

    // Operators.
    const op = await t.http
      .post('/admin/login')
      .send({ phone: ADMIN_PHONE, pwd: ADMIN_PASSWORD })
      .expect(200);
    const admin = note('operator token', op.body.data.token as string);
    await as(admin).get(`/admin/users?keyword=${patient.phone}`).expect(200);
    await as(admin).get(`/admin/users?keyword=${IDNOS[0]}`).expect(200);

    // Bad input carrying the values: in bodies, paths, query strings and headers.
    expectError(
      await t.http.post('/login').send({ phono: `${patient.phone}9`, pwd: PASSWORD, type: 1 }),
      400,
      10001,
    );
    expectError(
      await t.http
        .post('/login')
        .set('content-type', 'application/json')
        .send(`{"phono":"${patient.phone}","pwd":"${PASSWORD}`),
      400,
      10002,
    );
    expectError(await as(me).get(`/user/${patient.phone}`), 400, 10001);
    expectError(await as(me).get(`/order/query/${IDNOS[0]}`), 404, 40001);
    expectError(await t.http.get('/user').set('X-auth-token', `${me.token}x`), 401, 20002);
    expectError(await t.http.get(`/no-such-route/${patient.phone}?token=${me.token}`), 404, 10004);

    // Let the queued SMS deliveries run (the console driver logs each).
    await sleep(2500);
  });

  it('the output holds the requests (the capture works), with numbers in paths masked', () => {
    const output = captured.join('');
    expect(output).toContain('request completed');
    expect(output).toContain('"url":"/login"');
    expect(output).toContain('"url":"/assistant/create/patient"');
    expect(output).toMatch(/verification code for \d{3}\*{4}\d{4} not sent/);
    expect(output).toContain('operator 137****0000 created');
    const phone = secrets['patient phone'];
    expect(output).toContain(`"url":"/user/${phone.slice(0, 3)}****${phone.slice(-4)}"`);
  });

  it('and none of the secret values', () => {
    const output = captured.join('');
    const leaks = Object.entries(secrets)
      .filter(([, value]) => output.includes(value))
      .map(([name, value]) => {
        const at = output.indexOf(value);
        return `${name}: …${output.slice(Math.max(0, at - 120), at + value.length + 40)}…`;
      });
    expect(leaks).toEqual([]);
  });
});
