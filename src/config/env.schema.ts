import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { PersonalDataCipher } from 'src/common/crypto/personal-data';
import { SIGN_CASES, SIGN_MODES, SignCase, SignMode } from 'src/integrations/linkingcloud/linkingcloud.sign';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' && ['1', 'true', 'yes'].includes(value.toLowerCase());
};

/**
 * Every environment variable the server reads, validated once at start-up.
 * `.env.example` lists the same names with their defaults.
 */
export class EnvSchema {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** HTTP worker processes (Node cluster) sharing PORT; the database is prepared once, before they start. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WEB_CONCURRENCY = 1;

  /** Base of the URLs handed out for uploads; defaults to http://localhost:PORT. */
  @IsOptional()
  @IsUrl({ require_tld: false })
  PUBLIC_BASE_URL?: string;

  /** Unset: an embedded Postgres is started under EMBEDDED_PG_DIR. */
  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  /** Load the demo data on start when the database has no accounts (always on for the embedded database). */
  @Transform(toBool)
  @IsBoolean()
  SEED_DEMO = false;

  /** When set, rate-limit counters live in Redis instead of Postgres. */
  @IsOptional()
  @IsString()
  REDIS_URL?: string;

  /** Key material for encrypting secrets held in job payloads. */
  @IsString()
  @MinLength(16)
  APP_SECRET = 'development-only-secret-change-me';

  /**
   * Keys that encrypt phone and ID numbers at rest: `version:base64(32 bytes)`, comma-separated, every version
   * still found in stored rows. Required in production; development and tests derive fixed keys.
   */
  @IsOptional() @IsString() PII_KEYS?: string;
  /** The key version that encrypts new values (default: the highest in PII_KEYS). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) PII_KEY_VERSION?: number;
  /** HMAC key (base64, ≥ 32 bytes) of the lookup hashes of phone and ID numbers. Required in production. */
  @IsOptional() @IsString() PII_HASH_KEY?: string;

  @IsString()
  TZ_NAME = 'Asia/Shanghai';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Comma-separated origins, or `*`. Empty disables CORS. */
  @IsString()
  CORS_ORIGINS = '*';

  /** Express `trust proxy` (hops or `true`), so rate limits see the client address behind a load balancer. */
  @IsString()
  TRUST_PROXY = 'false';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  BODY_LIMIT_KB = 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  TOKEN_TTL_DAYS = 30;

  @IsString()
  UPLOAD_DIR = 'uploads';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

  @IsIn(['console', 'aliyun'])
  SMS_DRIVER: 'console' | 'aliyun' = 'console';

  @IsOptional() @IsString() ALIYUN_ACCESS_KEY_ID?: string;
  @IsOptional() @IsString() ALIYUN_ACCESS_KEY_SECRET?: string;
  @IsOptional() @IsString() ALIYUN_SMS_SIGN_NAME?: string;
  @IsOptional() @IsString() ALIYUN_SMS_TEMPLATE_CODE?: string;
  /** Override of the Aliyun endpoint (host[:port]); for a local stand-in. */
  @IsOptional() @IsString() ALIYUN_SMS_ENDPOINT?: string;

  /** Every SMS code becomes this value (development and tests only). */
  @IsOptional()
  @Matches(/^\d{6}$/)
  SMS_TEST_CODE?: string;

  /** Every captcha text becomes this value (development and tests only). */
  @IsOptional()
  @IsString()
  CAPTCHA_TEST_CODE?: string;

  @Transform(toInt) @IsInt() @Min(1) SMS_CODE_TTL_SECONDS = 300;
  @Transform(toInt) @IsInt() @Min(1) SMS_MAX_ATTEMPTS = 5;
  @Transform(toInt) @IsInt() @Min(1) SMS_PHONE_INTERVAL_SECONDS = 60;
  @Transform(toInt) @IsInt() @Min(1) SMS_PHONE_DAILY_LIMIT = 10;
  /** Per client address and hour, for `/verifycode` (behind a captcha). */
  @Transform(toInt) @IsInt() @Min(1) SMS_IP_HOURLY_LIMIT = 30;
  /** Per client address and hour, for `/phone/verifycode` (no captcha, so lower). */
  @Transform(toInt) @IsInt() @Min(1) SMS_NO_CAPTCHA_IP_HOURLY_LIMIT = 10;
  @Transform(toInt) @IsInt() @Min(1) CAPTCHA_TTL_SECONDS = 300;

  /** General request budget per client address and minute. */
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_PER_MINUTE = 600;
  /** Sign-in and registration requests per client address and minute. */
  @Transform(toInt) @IsInt() @Min(1) AUTH_RATE_LIMIT_PER_MINUTE = 30;
  /** Failed password logins per phone and account type within 15 minutes. */
  @Transform(toInt) @IsInt() @Min(1) LOGIN_FAILURE_LIMIT = 10;

  /** Length of a bookable slot of a free clinic. */
  @Transform(toInt) @IsInt() @Min(5) @Max(240) SLOT_MINUTES = 30;
  /** A patient may cancel a booking until this long before the slot starts. */
  @Transform(toInt) @IsInt() @Min(0) CANCEL_DEADLINE_MINUTES = 120;
  /** An unpaid hold on a priced clinic's seat is released after this long. */
  @Transform(toInt) @IsInt() @Min(1) PAYMENT_TIMEOUT_MINUTES = 15;

  /** Messages one account may send per minute (chat). */
  @Transform(toInt) @IsInt() @Min(1) CHAT_RATE_LIMIT_PER_MINUTE = 30;

  /** WeChat official account, for downloading media (`/weixin/media`). */
  @IsOptional() @IsString() WECHAT_APP_ID?: string;
  @IsOptional() @IsString() WECHAT_APP_SECRET?: string;
  /** Base of WeChat's API (a local stand-in in tests). */
  @IsUrl({ require_tld: false }) WECHAT_API_BASE = 'https://api.weixin.qq.com';
  /** Per-attempt budget for WeChat to answer (headers). */
  @Transform(toInt) @IsInt() @Min(100) @Max(60000) WECHAT_TIMEOUT_MS = 3000;

  /** `sandbox` (development: confirms through `POST /payments/sandbox/{sn}/confirm`) or `wechat` (WeChat Pay API v3). */
  @IsIn(['sandbox', 'wechat']) PAYMENT_PROVIDER: 'sandbox' | 'wechat' = 'sandbox';
  /** WeChat Pay v3 merchant settings. The private key and platform public key are PEM text (\n allowed). */
  @IsOptional() @IsString() WECHAT_PAY_MCH_ID?: string;
  @IsOptional() @IsString() WECHAT_PAY_APP_ID?: string;
  @IsOptional() @IsString() WECHAT_PAY_SERIAL_NO?: string;
  @IsOptional() @IsString() WECHAT_PAY_PRIVATE_KEY?: string;
  /** The APIv3 key (32 ASCII characters) that decrypts notifications. */
  @IsOptional() @IsString() WECHAT_PAY_API_V3_KEY?: string;
  /** WeChat Pay's public key (or platform certificate key) and its id (`PUB_KEY_ID_…` or certificate serial). */
  @IsOptional() @IsString() WECHAT_PAY_PLATFORM_PUBLIC_KEY?: string;
  @IsOptional() @IsString() WECHAT_PAY_PLATFORM_KEY_ID?: string;
  @IsUrl({ require_tld: false }) WECHAT_PAY_API_BASE = 'https://api.mch.weixin.qq.com';
  /** Where WeChat Pay sends payment and refund notifications (https, public). */
  @IsOptional() @IsString() WECHAT_PAY_NOTIFY_URL?: string;
  /** Test hook: the sandbox provider's refunds fail (to exercise refund retries). */
  @Transform(toBool) @IsBoolean() SANDBOX_REFUND_FAILS = false;

  /** Outbound partner calls (联空医问, 肺轻松, 91160, 阿里健康随访): budget of one attempt, body included. */
  @Transform(toInt) @IsInt() @Min(100) @Max(120000) PARTNER_TIMEOUT_MS = 5000;
  /** Further attempts of calls that may be repeated (reads, deduplicated writes). */
  @Transform(toInt) @IsInt() @Min(0) @Max(5) PARTNER_RETRIES = 2;
  /** First retry backoff; doubled per retry, with jitter. */
  @Transform(toInt) @IsInt() @Min(0) @Max(60000) PARTNER_RETRY_DELAY_MS = 200;
  /** Consecutive failed attempts that open a partner's circuit breaker. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) PARTNER_BREAKER_FAILURES = 5;
  /** How long an open breaker refuses calls before testing the partner again. */
  @Transform(toInt) @IsInt() @Min(10) @Max(3600000) PARTNER_BREAKER_HALF_OPEN_MS = 30000;

  /** 联空医问 gateway base (`https://lcqaapi.linkingcloud.cn`); unset: the partner is not configured. */
  @IsOptional() @IsUrl({ require_tld: false }) LINKINGCLOUD_BASE_URL?: string;
  /** 联空医问 appId and appSecret (doc §2.1); required once the base URL is set. */
  @ValidateIf((e: EnvSchema) => Boolean(e.LINKINGCLOUD_BASE_URL))
  @IsString()
  @MinLength(1)
  LINKINGCLOUD_APP_ID?: string;
  @ValidateIf((e: EnvSchema) => Boolean(e.LINKINGCLOUD_BASE_URL))
  @IsString()
  @MinLength(1)
  LINKINGCLOUD_APP_SECRET?: string;
  /** Where the secret goes in the MD5 `sign` (suffix, wxpay, amp, hmac, wrap; see docs/partners/linkingcloud.md). */
  @IsIn(SIGN_MODES) LINKINGCLOUD_SIGN_MODE: SignMode = 'suffix';
  /** Hex case of the `sign`. */
  @IsIn(SIGN_CASES) LINKINGCLOUD_SIGN_CASE: SignCase = 'lower';
  /** `reponse_result.code` of a successful answer (not documented; ask the partner). */
  @IsString() @MinLength(1) @MaxLength(16) LINKINGCLOUD_SUCCESS_CODE = '0';
  /** The access token (12 h) is replaced this long before it expires. */
  @Transform(toInt) @IsInt() @Min(0) @Max(21600) LINKINGCLOUD_TOKEN_MARGIN_SECONDS = 600;

  /** 肺轻松 QA-order API base (the partner's DRF server); unset: /qa answers 503 where the partner is needed. */
  @IsOptional() @IsUrl({ require_tld: false }) FEIQINGSONG_BASE_URL?: string;

  /** 91160 open API base (`https://openapi.91160.com`); unset: appointments and the hospital sync are off (503). */
  @IsOptional() @IsUrl({ require_tld: false }) H91160_BASE_URL?: string;
  /** 91160 `appToken`, sent with every call (query of reads, body of writes); never logged. */
  @IsOptional() @IsString() H91160_APP_TOKEN?: string;
  /** Units (and departments of a unit) fetched per page by the hospital sync. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100) H91160_SYNC_PAGE_SIZE = 20;
  /** When the hospital sync runs (cron, platform zone); default nightly at 02:30. */
  @Matches(/^\S+( \S+){4}$/) H91160_SYNC_CRON = '30 2 * * *';

  /** 阿里健康随访 (TOP gateway): the gateway URL, e.g. https://eco.taobao.com/router/rest; unset = not configured. */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) ALIHEALTH_BASE_URL?: string;
  /** TOP app key. */
  @IsOptional() @IsString() ALIHEALTH_APP_KEY?: string;
  /** TOP app secret (signs every call; never logged). */
  @IsOptional() @IsString() ALIHEALTH_APP_SECRET?: string;
  /** TOP sign_method: md5, hmac (HMAC-MD5) or hmac-sha256 (the official SDK's default). */
  @IsIn(['md5', 'hmac', 'hmac-sha256']) ALIHEALTH_SIGN_METHOD: 'md5' | 'hmac' | 'hmac-sha256' = 'hmac-sha256';
  /** TOP user authorisation (`session`), if the partner issued one to the app. */
  @IsOptional() @IsString() ALIHEALTH_SESSION?: string;
  /** followup.send `auth_token`, if the partner issued one. */
  @IsOptional() @IsString() ALIHEALTH_AUTH_TOKEN?: string;

  /** Run job workers in this instance (turn off for API-only instances). */
  @Transform(toBool) @IsBoolean() JOBS_WORKERS = true;
  @Transform(toInt) @IsInt() @Min(1) JOBS_POLL_SECONDS = 2;

  @IsOptional() @Matches(/^1[3-9]\d{9}$/) ADMIN_PHONE?: string;
  @IsOptional() @IsString() @MinLength(6) @MaxLength(32) ADMIN_PASSWORD?: string;
}

export type AppEnv = EnvSchema;

/** Validates a raw environment; throws one readable error listing every bad variable. */
export function validateEnv(raw: Record<string, unknown>): EnvSchema {
  const env = plainToInstance(EnvSchema, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
  const problems = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
  if (env.NODE_ENV === 'production') {
    if (env.SMS_TEST_CODE) problems.push('SMS_TEST_CODE: must not be set when NODE_ENV=production');
    if (env.CAPTCHA_TEST_CODE) problems.push('CAPTCHA_TEST_CODE: must not be set when NODE_ENV=production');
    if (env.APP_SECRET === new EnvSchema().APP_SECRET)
      problems.push('APP_SECRET: set a real secret when NODE_ENV=production');
  }
  try {
    PersonalDataCipher.fromSettings(env);
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length) throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return env;
}
