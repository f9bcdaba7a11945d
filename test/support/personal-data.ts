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

/** A complete patient profile (`PUT /user`) with the given ID number. */
export const patientProfile = (idno: string) => ({
  real_name: '张三',
  idno,
  height: '172',
  weight: 65,
  marital_status: 1,
  drink_status: 0,
  smoking_status: 1,
  province_id: 110000,
  city_id: 110100,
  county_id: 110105,
});
