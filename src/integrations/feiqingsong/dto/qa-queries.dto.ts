import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { BlankAsAbsent, ToInt } from 'src/common/http/transforms';
import { QA_ORDER_STATUSES, QaOrderStatus } from '../feiqingsong.types';
import { QA_USERNAME, QA_USERNAME_MESSAGE } from './qa-fields';

/** My orders, optionally of one status. */
export class ListOrdersQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: QA_ORDER_STATUSES,
    description: '订单状态：0 待支付，1 已支付，2 待回答，3 已回答，4 待评价，5 已评价，6 取消',
  })
  @IsOptional()
  @BlankAsAbsent()
  @ToInt()
  @IsIn(QA_ORDER_STATUSES, { message: 'status 须为 0 到 6 的整数' })
  status?: QaOrderStatus;
}

export class DoctorParam {
  @ApiProperty({ description: '医生的肺轻松用户名' })
  @IsString({ message: 'username 必须是文本' })
  @Matches(QA_USERNAME, { message: QA_USERNAME_MESSAGE })
  username: string;
}
