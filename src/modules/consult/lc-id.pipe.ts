import { Injectable, PipeTransform } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { LC_ID_PATTERN } from './dto/consult.dto';

/** A partner id in the path (`dept_id`): a short token, checked before anything is asked of the partner. */
@Injectable()
export class ParseLcIdPipe implements PipeTransform<string, string> {
  constructor(private readonly field = 'dept_id') {}

  transform(value: string): string {
    if (!LC_ID_PATTERN.test(value)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, `参数 ${this.field} 不正确`, { field: this.field });
    }
    return value;
  }
}
