import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { Trim } from 'src/common/http/transforms';
import { QA_ORDER_TYPES, QaOrderType } from '../feiqingsong.types';
import { QA_USERNAME, QA_USERNAME_MESSAGE } from './qa-fields';

/** 创建问答订单 */
export class CreateOrderDto {
  @ApiProperty({ description: '医生的肺轻松用户名', maxLength: 150 })
  @Trim()
  @IsString({ message: 'doctor 必须是文本' })
  @Matches(QA_USERNAME, { message: `doctor ${QA_USERNAME_MESSAGE}` })
  doctor: string;

  @ApiProperty({ enum: QA_ORDER_TYPES, description: '订单类型：在线咨询 online，包月服务 monthly' })
  @IsIn(QA_ORDER_TYPES, { message: 'order_type 须为 online（在线咨询）或 monthly（包月服务）' })
  order_type: QaOrderType;
}
