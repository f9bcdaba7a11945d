import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';

/** class-validator's defaults are English ("x must be an integer number"); the apps show Chinese text. */
const chinese = (reason: string) => (/[\u4e00-\u9fff]/.test(reason) ? reason : '格式不正确');

function firstError(errors: ValidationError[], prefix = ''): { field: string; reason: string } | undefined {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const reasons = Object.values(e.constraints ?? {});
    if (reasons.length) return { field, reason: chinese(reasons[0]) };
    const nested = firstError(e.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/** Deeper than any request of the API; the validators recurse, and far deeper input would overflow the stack. */
const MAX_DEPTH = 32;
/** A UTF-16 surrogate not part of a pair: not a character, and refused by Postgres' json type and URL checks. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** The first field nested too deep or holding a lone surrogate; walked without recursion, so any depth is safe. */
function firstUnsafe(value: unknown): { field: string; reason: string } | undefined {
  const pending: [unknown, string, number][] = [[value, '', 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [v, path, depth] = next;
    if (typeof v === 'string' && LONE_SURROGATE.test(v))
      return { field: path || 'body', reason: '包含无效字符' };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return { field: path || 'body', reason: '嵌套层级过深' };
    for (const [key, child] of Object.entries(v))
      pending.push([child, path ? `${path}.${key}` : key, depth + 1]);
  }
  return undefined;
}

const invalid = ({ field, reason }: { field: string; reason: string }) =>
  new AppException(ErrorCode.VALIDATION_FAILED, `参数 ${field} 不正确：${reason}`, { field });

/** Refuses what would crash the validation itself (deep nesting, lone surrogates) before validating. */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const unsafe = metadata.type === 'custom' ? undefined : firstUnsafe(value);
    if (unsafe) throw invalid(unsafe);
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** Whitelisting pipe whose failure names the offending field in `error_message` and `data.field`. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => invalid(firstError(errors) ?? { field: 'body', reason: '格式错误' }),
  });
}
