import { ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Whitelisting pipe whose failure names the offending field in `error_message` and `data.field`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const first = firstError(errors) ?? { field: 'body', reason: '格式错误' };
      return new AppException(ErrorCode.VALIDATION_FAILED, `参数 ${first.field} 不正确：${first.reason}`, {
        field: first.field,
      });
    },
  });
}
