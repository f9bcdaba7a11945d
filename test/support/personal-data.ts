import { personalData } from 'src/common/crypto/personal-data';
import type { TestApp } from './test-app';

export interface SmsJobRow {
  state: string;
  data: { to: string; sealed: string; expiresAt: string };
  text: string;
}

/** The SMS delivery jobs queued for a phone, oldest first: the recipient is sealed, so it is opened to compare. */
export async function smsJobsFor(t: TestApp, phone: string): Promise<SmsJobRow[]> {
  const rows = await t.db.query<SmsJobRow[]>(
    `SELECT state, data, data::text AS text FROM pgboss.job WHERE name = 'sms.send-code' ORDER BY created_on`,
  );
  return rows.filter((r) => personalData().open('phone', r.data.to) === phone);
}
