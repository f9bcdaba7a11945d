import { RateLimitCounter } from 'src/common/rate-limit/rate-limit-counter.entity';
import { Operator } from 'src/modules/admin/operator.entity';
import { AuditLog } from 'src/modules/audit/audit-log.entity';
import { AuthToken } from 'src/common/auth/auth-token.entity';
import { Captcha } from 'src/modules/codes/captcha.entity';
import { SmsCode } from 'src/modules/codes/sms-code.entity';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { Org } from 'src/modules/orgs/org.entity';
import { Region } from 'src/modules/regions/region.entity';
import { User } from 'src/modules/users/user.entity';

/** Every entity, listed once for the app, the CLI and the schema check. */
export const ENTITIES = [
  User,
  AuthToken,
  Operator,
  AuditLog,
  Region,
  Captcha,
  SmsCode,
  RateLimitCounter,
  Hospital,
  Org,
];
