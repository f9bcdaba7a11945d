import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { QA_PAY_CHANNELS, QaPayChannel } from '../feiqingsong.types';

/** 订单支付 */
export class PayOrderDto {
  @ApiProperty({ enum: QA_PAY_CHANNELS, description: '支付方式：wx 微信，alipay 支付宝，balance 余额' })
  @IsIn(QA_PAY_CHANNELS, { message: 'channel 须为 wx、alipay 或 balance' })
  channel: QaPayChannel;
}
