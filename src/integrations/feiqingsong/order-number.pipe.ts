import { Injectable, PipeTransform } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { QA_ORDER_NUMBER } from './dto/qa-fields';

/** A 肺轻松 order number in a path: digits only, so nothing else ever reaches the partner's URL. */
@Injectable()
export class ParseOrderNumberPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!QA_ORDER_NUMBER.test(value)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, '参数 order_number 须为 16 到 32 位数字', {
        field: 'order_number',
      });
    }
    return value;
  }
}
