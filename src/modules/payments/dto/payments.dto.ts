import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';

/** `?refund_status=`: 0 no refund, 1 requested, 2 in progress, 3 done; absent or empty for all. */
export class AdminPaymentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: [0, 1, 2, 3], description: '0 无退款，1 已申请，2 退款中，3 已退款' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (text === '') return undefined;
    return /^-?\d+$/.test(text) ? Number(text) : value;
  })
  @IsIn([0, 1, 2, 3], { message: 'refund_status 只能是 0、1、2、3' })
  refund_status?: number;
}
