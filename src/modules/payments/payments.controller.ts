import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery } from 'src/common/http/pagination';
import { AppConfig } from 'src/config/app-config';
import { AuditReads } from 'src/modules/audit/read-audit.interceptor';
import { diagnosisReads } from 'src/modules/diagnoses/diagnosis.view';
import type { User } from 'src/modules/users/user.entity';
import { PaymentViewsService } from './payment-views.service';
import { PaymentsService } from './payments.service';

/** The patient's side of deposits (DESIGN §7): refunds, order query, and the sandbox's "pay" button. */
@ApiTags('payments')
@Controller()
export class PaymentsController {
  constructor(
    private readonly config: AppConfig,
    private readonly payments: PaymentsService,
    private readonly views: PaymentViewsService,
  ) {}

  @Get('custom/payment/diagnoses')
  @Roles('patient')
  @ApiOperation({ summary: '3.3.15 我的退款：有退款记录的押金预约（诊断信息），最新的在前' })
  refunds(@CurrentUser() patient: User, @Query() q: PageQuery) {
    return this.views.refunds(patient.id, q);
  }

  @Get('order/query/:sn')
  @Roles('patient', 'assistant')
  @AuditReads(diagnosisReads)
  @ApiOperation({ summary: '3.3.20 订单查询：已支付返回诊断信息，未支付返回空对象；仅本人或代约的医助' })
  order(@CurrentUser() caller: User, @Param('sn') sn: string) {
    return this.views.order(caller.id, sn);
  }

  @Post('payments/sandbox/:sn/confirm')
  @Roles('patient', 'assistant')
  @AuditReads(diagnosisReads)
  @ApiOperation({ summary: '沙箱支付（仅 PAYMENT_PROVIDER=sandbox）：确认支付，如同支付通知；返回同 3.3.20' })
  async sandboxConfirm(@CurrentUser() caller: User, @Param('sn') sn: string) {
    if (this.config.PAYMENT_PROVIDER !== 'sandbox' || this.payments.providerName !== 'sandbox') {
      throw new AppException(ErrorCode.SANDBOX_PAYMENT_DISABLED);
    }
    const order = await this.views.ownOrder(caller.id, sn);
    await this.payments.confirmPaid({
      provider: 'sandbox',
      eventId: `pay-${order.sn}`,
      sn: order.sn!,
      transactionId: `SANDBOX${order.sn}`,
      amountFen: order.amountFen,
    });
    return this.views.order(caller.id, sn);
  }
}
