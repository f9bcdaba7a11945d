import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from 'src/app.factory';
import { createSuiteDatabase, dropDatabase } from './db';

export const TEST_SMS_CODE = '246810';
export const TEST_CAPTCHA = 'k7Pq';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  db: DataSource;
  databaseUrl: string;
  uploadDir: string;
  close(): Promise<void>;
}

/** Generous limits so suites are not throttled by their own volume; limit tests lower them explicitly. */
const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  SMS_TEST_CODE: TEST_SMS_CODE,
  CAPTCHA_TEST_CODE: TEST_CAPTCHA,
  SMS_PHONE_INTERVAL_SECONDS: '1',
  SMS_PHONE_DAILY_LIMIT: '1000',
  SMS_IP_HOURLY_LIMIT: '100000',
  SMS_NO_CAPTCHA_IP_HOURLY_LIMIT: '100000',
  RATE_LIMIT_PER_MINUTE: '100000',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  LOGIN_FAILURE_LIMIT: '1000',
  JOBS_POLL_SECONDS: '1',
  PUBLIC_BASE_URL: 'http://files.test',
};

/**
 * Starts the real application on a fresh database copied from the migrated template. Pass `databaseUrl`
 * to start a second instance on the same database.
 */
export async function startTestApp(
  overrides: Record<string, string> = {},
  databaseUrl?: string,
): Promise<TestApp> {
  const url = databaseUrl ?? (await createSuiteDatabase());
  const uploadDir = mkdtempSync(join(tmpdir(), 'clinic-uploads-'));
  const app = await createApp({ ...TEST_ENV, UPLOAD_DIR: uploadDir, ...overrides, DATABASE_URL: url });
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    db: app.get(DataSource),
    databaseUrl: url,
    uploadDir,
    close: async () => {
      await app.close();
      rmSync(uploadDir, { recursive: true, force: true });
      if (!databaseUrl) await dropDatabase(url);
    },
  };
}
