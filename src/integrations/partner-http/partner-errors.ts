import { AppException } from 'src/common/errors/app.exception';
import { ERROR_TABLE, ErrorCode } from 'src/common/errors/error-codes';
import { PartnerCallError } from './partner-call.error';

const GENERIC: Record<PartnerCallError['kind'], ErrorCode> = {
  not_configured: ErrorCode.PARTNER_NOT_CONFIGURED,
  circuit_open: ErrorCode.PARTNER_UNAVAILABLE,
  timeout: ErrorCode.PARTNER_UNAVAILABLE,
  network: ErrorCode.PARTNER_UNAVAILABLE,
  status: ErrorCode.PARTNER_UNAVAILABLE,
  protocol: ErrorCode.PARTNER_BAD_RESPONSE,
  auth: ErrorCode.PARTNER_AUTH_FAILED,
  api: ErrorCode.PARTNER_REJECTED,
};

/**
 * What the app sees of a partner failure: a 5xxxx code, the partner named in the message, and nothing of
 * the partner's own answer (that stays in the log). `specific` maps a partner's business codes to codes
 * of its own range (e.g. a full 91160 schedule); unmapped failures get the generic code of their kind.
 * Anything that is not a partner failure passes through unchanged.
 */
export function toPartnerException(
  err: unknown,
  label: string,
  specific?: (e: PartnerCallError) => ErrorCode | undefined,
): unknown {
  if (!(err instanceof PartnerCallError)) return err;
  const own = specific?.(err);
  if (own !== undefined) return new AppException(own);
  const code = GENERIC[err.kind];
  return new AppException(code, `${label}：${ERROR_TABLE[code].message}`);
}
