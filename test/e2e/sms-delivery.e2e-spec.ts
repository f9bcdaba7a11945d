import { personalData } from 'src/common/crypto/personal-data';
import { FakeAliyunSms } from '../support/fakes/aliyun-sms.fake';
import { nextPhone, sleep } from '../support/factories';
import { startTestApp, TEST_SMS_CODE, TestApp } from '../support/test-app';

const KEY_ID = 'LTAI-test-key';
const SECRET = 'test-secret-value';

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 8000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(200);
  }
}

const jobStates = async (t: TestApp) =>
  await t.db.query<{ state: string }[]>(
    `SELECT state FROM pgboss.job WHERE name = 'sms.send-code' ORDER BY created_on`,
  );

describe('SMS codes are delivered through the job queue', () => {
  const fake = new FakeAliyunSms(KEY_ID, SECRET);
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await fake.start();
  });
  afterAll(() => fake.stop());

  const aliyunEnv = (secret: string) => ({
    SMS_DRIVER: 'aliyun',
    ALIYUN_ACCESS_KEY_ID: KEY_ID,
    ALIYUN_ACCESS_KEY_SECRET: secret,
    ALIYUN_SMS_SIGN_NAME: '志愿医生',
    ALIYUN_SMS_TEMPLATE_CODE: 'SMS_000001',
    ALIYUN_SMS_ENDPOINT: endpoint,
  });

  it('sends the code with the official SDK, correctly signed, after the request commits', async () => {
    const t = await startTestApp(aliyunEnv(SECRET));
    try {
      const phone = nextPhone();
      await t.http.post('/phone/verifycode').send({ phone }).expect(200);
      const sms = await waitFor(() => fake.sent.find((s) => s.PhoneNumbers === phone));
      expect(sms).toMatchObject({ SignName: '志愿医生', TemplateCode: 'SMS_000001' });
      expect(JSON.parse(sms.TemplateParam)).toEqual({ code: TEST_SMS_CODE });
      await waitFor(async () => ((await jobStates(t)).at(-1)?.state === 'completed' ? true : undefined));
    } finally {
      await t.close();
    }
  });

  it('keeps the job for retry when the provider refuses it (bad credentials), delivering nothing', async () => {
    const t = await startTestApp(aliyunEnv('wrong-secret'));
    try {
      const phone = nextPhone();
      const rejectedBefore = fake.rejected;
      await t.http.post('/phone/verifycode').send({ phone }).expect(200);
      await waitFor(() => (fake.rejected > rejectedBefore ? true : undefined));
      expect(fake.sent.find((s) => s.PhoneNumbers === phone)).toBeUndefined();
      await waitFor(async () =>
        ['retry', 'failed'].includes((await jobStates(t)).at(-1)?.state ?? '') ? true : undefined,
      );
    } finally {
      await t.close();
    }
  });

  it('with the console driver, the job completes and the queue holds the code and the phone only sealed', async () => {
    const t = await startTestApp();
    try {
      const phone = nextPhone();
      await t.http.post('/phone/verifycode').send({ phone }).expect(200);
      await waitFor(async () => ((await jobStates(t)).at(-1)?.state === 'completed' ? true : undefined));
      const [row] = await t.db.query<{ data: string }[]>(
        `SELECT data::text AS data FROM pgboss.job WHERE name = 'sms.send-code'`,
      );
      expect(row.data).not.toContain(phone);
      expect(row.data).not.toContain(TEST_SMS_CODE);
      expect(personalData().open('phone', (JSON.parse(row.data) as { to: string }).to)).toBe(phone);
    } finally {
      await t.close();
    }
  });
});
