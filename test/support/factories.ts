import TestAgent from 'supertest/lib/agent';
import { TEST_SMS_CODE } from './test-app';

let counter = 0;
/** A phone number unique within the run (workers get disjoint ranges). */
export function nextPhone(): string {
  counter += 1;
  const worker = Number(process.env.JEST_WORKER_ID ?? '1') % 10;
  return `139${worker}${String(Date.now() % 10000).padStart(4, '0')}${String(counter).padStart(3, '0')}`.slice(
    0,
    11,
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Requests an SMS code, waiting out the per-phone gap when a previous code was just sent. */
export async function sendCode(http: TestAgent, phone: string): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    const res = await http.post('/phone/verifycode').send({ phone });
    if (res.status === 200) return;
    if (res.body.error_code !== 20013) throw new Error(`code request failed: ${JSON.stringify(res.body)}`);
    await sleep(1100);
  }
  throw new Error('code request kept being throttled');
}

export interface Account {
  id: number;
  phone: string;
  password: string;
  token: string;
  type: number;
}

export async function registerAccount(
  http: TestAgent,
  type: 1 | 2 | 3 = 1,
  phone = nextPhone(),
): Promise<Account> {
  await sendCode(http, phone);
  const password = 'secret123';
  const res = await http
    .post('/register')
    .send({ phono: phone, verify_code: TEST_SMS_CODE, pwd: password, type });
  if (res.status !== 200) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id, phone, password, token: res.body.data.token, type };
}

export async function operatorToken(http: TestAgent, phone: string, password: string): Promise<string> {
  const res = await http.post('/admin/login').send({ phone, pwd: password });
  if (res.status !== 200) throw new Error(`operator login failed: ${JSON.stringify(res.body)}`);
  return res.body.data.token as string;
}

/** Asserts the envelope of a failure and returns its body. */
export function expectError(
  res: { status: number; body: Record<string, unknown> },
  status: number,
  code: number,
) {
  expect({ status: res.status, code: res.body.error_code }).toEqual({ status, code });
  expect(typeof res.body.error_message).toBe('string');
  expect((res.body.error_message as string).length).toBeGreaterThan(0);
  return res.body;
}
