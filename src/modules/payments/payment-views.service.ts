import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, Paged, paged } from 'src/common/http/pagination';
import { formatDateTime } from 'src/common/time';
import { DiagnosisViewsService, shownTo } from 'src/modules/diagnoses/diagnosis-views.service';
import { Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import { DiagnosisView, yuanText } from 'src/modules/diagnoses/diagnosis.view';
import { AdminPaymentsQuery } from './dto/payments.dto';

/** An order's money fields, for operators. */
export function toPaymentView(d: Diagnosis) {
  return {
    id: d.id,
    project_id: d.projectId,
    user_id: d.userId,
    assistant_user_id: d.assistantUserId ?? 0,
    verify_status: d.verifyStatus,
    status: d.status,
    sn: d.sn ?? '',
    amount: yuanText(d.amountFen),
    pay_provider: d.payProvider ?? '',
    transaction_id: d.transactionId ?? '',
    paid_at: formatDateTime(d.paidAt),
    refund_status: d.refundStatus,
    refund_sn: d.refundSn ?? '',
    refund_time: formatDateTime(d.refundTime),
    confirm_no_refund: d.confirmNoRefund,
    created_at: formatDateTime(d.createdAt),
  };
}

export type PaymentView = ReturnType<typeof toPaymentView>;

/** Reading orders: the patient's refunds (3.3.15), one order by `sn` (3.3.20), the operators' list. */
@Injectable()
export class PaymentViewsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: DiagnosisViewsService,
  ) {}

  /** 3.3.15: the patient's priced bookings with a refund, the latest first. */
  refunds(patientId: number, q: PageQuery): Promise<Paged<DiagnosisView>> {
    const qb = this.views
      .query()
      .where('d.user_id = :patientId', { patientId })
      .andWhere('d.amount_fen > 0')
      .andWhere('d.refund_status IS NOT NULL')
      .orderBy('d.id', 'DESC');
    return this.views.page(q, qb, shownTo(patientId));
  }

  /**
   * An order its patient, or the assistant who booked it, may see; anyone else is told it does not exist.
   */
  async ownOrder(callerId: number, sn: string): Promise<Diagnosis> {
    const d = await this.db.manager.findOne(Diagnosis, { where: { sn } });
    if (!d || (d.userId !== callerId && d.assistantUserId !== callerId)) {
      throw new AppException(ErrorCode.ORDER_NOT_FOUND);
    }
    return d;
  }

  /** 3.3.20: the booking once paid, `{}` before. */
  async order(callerId: number, sn: string): Promise<DiagnosisView | Record<string, never>> {
    const d = await this.ownOrder(callerId, sn);
    if (!d.paidAt) return {};
    const row = await this.views.one(this.views.query().where('d.id = :id', { id: d.id }));
    if (!row) return {};
    const [view] = await this.views.views([row], shownTo(callerId));
    return view;
  }

  /** Operators: paid orders, the latest first, optionally by refund state (0: no refund). */
  async adminList(q: AdminPaymentsQuery): Promise<Paged<PaymentView>> {
    const qb = this.db.manager
      .createQueryBuilder(Diagnosis, 'd')
      .where('d.paid_at IS NOT NULL')
      .orderBy('d.paid_at', 'DESC')
      .addOrderBy('d.id', 'DESC');
    if (q.refund_status === 0) qb.andWhere('d.refund_status IS NULL');
    else if (q.refund_status !== undefined) qb.andWhere('d.refund_status = :rs', { rs: q.refund_status });
    const [rows, count] = await qb.offset(q.offset).limit(q.page_size).getManyAndCount();
    return paged(rows.map(toPaymentView), count, q);
  }
}
