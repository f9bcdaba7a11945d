import { Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { Operator } from 'src/modules/admin/operator.entity';
import { AuditService } from 'src/modules/audit/audit.service';
import { AdminPaymentsQuery } from './dto/payments.dto';
import { PaymentViewsService, toPaymentView } from './payment-views.service';
import { PaymentsService } from './payments.service';

/** Operators (DESIGN §9): paid orders and their refunds; a failed refund asked again (audited). */
@ApiTags('admin')
@Controller('admin/payments')
@Roles('admin')
export class AdminPaymentsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly payments: PaymentsService,
    private readonly views: PaymentViewsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({
    summary: '已支付的押金订单（金额、流水号、退款状态），可按 refund_status 筛选（0 无退款）',
  })
  list(@Query() q: AdminPaymentsQuery) {
    return this.views.adminList(q);
  }

  @Post(':id/refund/retry')
  @ApiOperation({ summary: '重试退款：退款未完成且已无排队任务（重试用尽或支付方报告失败）时重新发起' })
  async retry(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Req() req: Request,
  ) {
    return this.db.transaction(async (m) => {
      const booking = await this.payments.retryRefund(id, m);
      await this.audit.record(
        {
          operatorId: operator.id,
          action: 'payment.refund.retry',
          targetType: 'diagnosis',
          targetId: id,
          detail: { sn: booking.sn, refund_sn: booking.refundSn },
          ip: req.ip ?? '',
        },
        m,
      );
      return toPaymentView(booking);
    });
  }
}
