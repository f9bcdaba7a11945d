import { Injectable, PipeTransform } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';

/** Path ids are positive 32-bit integers; anything else is a validation error, never a database error. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, '参数 id 必须是正整数', { field: 'id' });
    }
    return n;
  }
}
