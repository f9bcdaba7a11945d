import { randomInt } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { JobsService } from 'src/common/jobs/jobs.service';
import { BookingState, Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import { yuanText } from 'src/modules/diagnoses/diagnosis.view';
import { MessagesService } from 'src/modules/messages/messages.service';
import { Project } from 'src/modules/projects/project.entity';
import type { User } from 'src/modules/users/user.entity';
import { UserStatsService } from 'src/modules/users/user-stats.service';
import { PaymentEvent } from './payment-event.entity';
import { PaymentProvider, PrepayResult } from './payment-provider';

/** A provider's word that an order was paid (from a verified notification, a query, or the sandbox). */
export interface PaidConfirmation {
  provider: string;
  /** The provider's id of this notification, for idempotency. */
  eventId: string;
  sn: string;
  transactionId: string;
  amountFen: number;
}

export interface RefundSettlement {
  provider: string;
  eventId: string;
  refundSn: string;
  success: boolean;
}

export const REFUND_JOB = 'payments.refund';
export const CLOSE_ORDER_JOB = 'payments.close-order';

export interface RefundJob {
  diagnosisId: number;
  reason: string;
}

/** Refunds are retried with backoff (10 s, 20 s, 40 s … about 40 minutes in all) before an operator must retry. */
const REFUND_RETRY = { retryLimit: 8, retryDelay: 10, retryBackoff: true };

/**
 * An order number: `D`, the Shanghai wall-clock time to the second, 8 random digits (23 characters of
 * `[0-9A-Z]`): sorts by time, unique by the random part (and the unique index behind it).
 */
export function newOrderSn(now = new Date()): string {
  const stamp = new Date(now.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  return `D${stamp}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/** Deposits (DESIGN §7): orders, confirmations, refunds. Contract for the booking service and the providers. */
@Injectable()
export class PaymentsService implements OnModuleInit {
  private readonly logger = new Logger('Payments');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly provider: PaymentProvider,
    private readonly jobs: JobsService,
    private readonly stats: UserStatsService,
    private readonly messages: MessagesService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<RefundJob>(REFUND_JOB, (job) => this.runRefund(job), REFUND_RETRY);
    this.jobs.register<{ sn: string }>(CLOSE_ORDER_JOB, (job) => this.provider.close(job.sn), REFUND_RETRY);
  }

  /** The provider in use (`sandbox` or `wechat`). */
  get providerName(): string {
    return this.provider.name;
  }

  /** Inside the join's transaction: gives the held booking its `sn` and asks the provider for payment params. */
  async openOrder(m: EntityManager, booking: Diagnosis, payer: User): Promise<PrepayResult & { sn: string }> {
    const sn = newOrderSn();
    await m.update(Diagnosis, { id: booking.id }, { sn, payProvider: this.provider.name });
    booking.sn = sn;
    booking.payProvider = this.provider.name;
    const expiresAt = new Date(
      (booking.createdAt ?? new Date()).getTime() + this.config.PAYMENT_TIMEOUT_MINUTES * 60_000,
    );
    // Asked inside the transaction: if the provider refuses, the hold is not kept either.
    const prepay = await this.provider.prepay({
      sn,
      amountFen: booking.amountFen,
      description: '义诊押金',
      openid: payer.openid,
      expiresAt,
    });
    return { ...prepay, sn };
  }

  /** Idempotent: the same confirmation twice changes nothing. A payment for a released hold is refunded. */
  async confirmPaid(c: PaidConfirmation): Promise<void> {
    const found = await this.db.manager.findOne(Diagnosis, {
      select: { id: true, projectId: true },
      where: { sn: c.sn },
    });
    if (!found) {
      this.logger.warn(`payment ${c.provider}/${c.eventId} for unknown order ${c.sn} ignored`);
      return;
    }
    await this.db.transaction(async (m) => {
      // The clinic first, then the booking: the order releaseUnpaidHolds and every booking change keep.
      await m.findOne(Project, { where: { id: found.projectId }, lock: { mode: 'pessimistic_write' } });
      const booking = await m.findOneOrFail(Diagnosis, {
        where: { id: found.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (c.amountFen !== booking.amountFen) {
        this.logger.error(
          `payment ${c.provider}/${c.eventId} for ${c.sn}: amount ${c.amountFen} ≠ ${booking.amountFen} fen; ignored`,
        );
        return;
      }
      if (!(await this.recordEvent(m, c.provider, c.eventId, 'paid', c.sn))) return; // delivered before
      if (booking.paidAt) return; // paid already (another notification of the same payment)
      const paid = { paidAt: new Date(), transactionId: c.transactionId, payProvider: c.provider };
      if (booking.verifyStatus === BookingState.AwaitingPayment) {
        await m.update(Diagnosis, { id: booking.id }, { ...paid, verifyStatus: BookingState.Booked });
        await this.stats.bump(m, booking.userId, { joinProjectCount: 1 });
        await this.messages.sendPersonal(
          { userId: booking.userId, title: '支付成功', content: '押金已支付，预约成功。' },
          m,
        );
        return;
      }
      // The hold was released (or the booking ended) before the money arrived: keep the record, give it back.
      await m.update(Diagnosis, { id: booking.id }, paid);
      Object.assign(booking, paid);
      await this.requestRefund(m, booking, '支付超时，自动退款');
    });
  }

  /** Inside the transaction that releases an unpaid hold: queues closing the provider's order, so it cannot be paid. */
  async closeOrder(m: EntityManager, booking: Diagnosis): Promise<void> {
    if (booking.sn && !booking.paidAt)
      await this.jobs.send(CLOSE_ORDER_JOB, { sn: booking.sn }, { manager: m });
  }

  /** Inside the transaction that ends or completes a paid booking: queues the full refund (refund_status 1). */
  async requestRefund(m: EntityManager, booking: Diagnosis, reason: string): Promise<void> {
    if (!booking.paidAt || !booking.sn || booking.amountFen <= 0 || booking.refundStatus !== null) return;
    const refundSn = `R${booking.sn}`;
    await m.update(Diagnosis, { id: booking.id }, { refundStatus: 1, refundSn });
    booking.refundStatus = 1;
    booking.refundSn = refundSn;
    await this.jobs.send<RefundJob>(REFUND_JOB, { diagnosisId: booking.id, reason }, { manager: m });
  }

  /**
   * The refund job: marks the refund in progress (2), asks the provider (idempotent by `refund_sn`), and
   * completes it (3) when the provider answers `success`; `processing` waits for `refundSettled`. A provider
   * failure throws, and the queue retries with backoff.
   */
  async runRefund(job: RefundJob): Promise<void> {
    const booking = await this.db.transaction(async (m) => {
      const d = await m.findOne(Diagnosis, {
        where: { id: job.diagnosisId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!d || !d.refundSn || !d.sn || (d.refundStatus !== 1 && d.refundStatus !== 2)) return null;
      if (d.refundStatus === 1) await m.update(Diagnosis, { id: d.id }, { refundStatus: 2 });
      return d;
    });
    if (!booking) return;
    const result = await this.provider.refund({
      sn: booking.sn!,
      refundSn: booking.refundSn!,
      amountFen: booking.amountFen,
      totalFen: booking.amountFen,
      reason: job.reason,
    });
    if (result.state === 'success') await this.completeRefund(booking.id);
  }

  /** Idempotent: a provider's refund notification. */
  async refundSettled(s: RefundSettlement): Promise<void> {
    const found = await this.db.manager.findOne(Diagnosis, {
      select: { id: true },
      where: { refundSn: s.refundSn },
    });
    if (!found) {
      this.logger.warn(`refund ${s.provider}/${s.eventId} for unknown refund ${s.refundSn} ignored`);
      return;
    }
    const fresh = await this.db.transaction(async (m) => {
      if (!(await this.recordEvent(m, s.provider, s.eventId, 'refund', s.refundSn))) return false;
      return true;
    });
    if (!fresh) return;
    if (s.success) {
      await this.completeRefund(found.id);
    } else {
      // Left in progress (2) with no job behind it: the operator's retry (`/admin/payments/{id}/refund/retry`) asks again.
      this.logger.error(`refund ${s.refundSn} failed at ${s.provider}; awaiting an operator's retry`);
    }
  }

  /**
   * Operator: asks again for a refund not done whose job is no longer queued (retries exhausted, or the
   * provider reported a failure): back to requested (1) and a new job, in one transaction.
   */
  async retryRefund(diagnosisId: number, m: EntityManager): Promise<Diagnosis> {
    const booking = await m.findOne(Diagnosis, {
      where: { id: diagnosisId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!booking || !booking.paidAt) throw new AppException(ErrorCode.PAYMENT_NOT_FOUND);
    if (booking.refundStatus !== 1 && booking.refundStatus !== 2) {
      throw new AppException(ErrorCode.REFUND_NOT_RETRYABLE);
    }
    const [live] = await m.query<unknown[]>(
      `SELECT 1 FROM pgboss.job WHERE name = $1 AND data->>'diagnosisId' = $2 AND state IN ('created', 'retry', 'active') LIMIT 1`,
      [REFUND_JOB, String(diagnosisId)],
    );
    if (live) throw new AppException(ErrorCode.REFUND_NOT_RETRYABLE);
    await m.update(Diagnosis, { id: booking.id }, { refundStatus: 1 });
    booking.refundStatus = 1;
    await this.jobs.send<RefundJob>(REFUND_JOB, { diagnosisId, reason: '退款重试' }, { manager: m });
    return booking;
  }

  private async completeRefund(diagnosisId: number): Promise<void> {
    await this.db.transaction(async (m) => {
      const d = await m.findOne(Diagnosis, {
        where: { id: diagnosisId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!d || d.refundStatus === 3 || d.refundStatus === null) return;
      await m.update(Diagnosis, { id: d.id }, { refundStatus: 3, refundTime: new Date() });
      await this.messages.sendPersonal(
        { userId: d.userId, title: '退款成功', content: `押金 ${yuanText(d.amountFen)} 元已原路退回。` },
        m,
      );
    });
  }

  /** Records a provider notification; false when it was recorded before (a duplicate delivery). */
  private async recordEvent(
    m: EntityManager,
    provider: string,
    eventId: string,
    kind: 'paid' | 'refund',
    reference: string,
  ): Promise<boolean> {
    const result = await m
      .createQueryBuilder()
      .insert()
      .into(PaymentEvent)
      .values({ provider, eventId, kind, reference })
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
