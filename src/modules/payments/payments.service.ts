import { Injectable, NotImplementedException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import type { User } from 'src/modules/users/user.entity';
import type { PrepayResult } from './payment-provider';

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

/** Deposits (DESIGN §7): orders, confirmations, refunds. Contract for the booking service and the providers. */
@Injectable()
export class PaymentsService {
  /** Inside the join's transaction: gives the held booking its `sn` and asks the provider for payment params. */
  openOrder(_m: EntityManager, _booking: Diagnosis, _payer: User): Promise<PrepayResult & { sn: string }> {
    throw new NotImplementedException();
  }

  /** Idempotent: the same confirmation twice changes nothing. A payment for a released hold is refunded. */
  confirmPaid(_c: PaidConfirmation): Promise<void> {
    throw new NotImplementedException();
  }

  /** Inside the transaction that ends or completes a paid booking: queues the full refund (refund_status 1). */
  requestRefund(_m: EntityManager, _booking: Diagnosis, _reason: string): Promise<void> {
    throw new NotImplementedException();
  }

  /** Idempotent: a provider's refund notification. */
  refundSettled(_s: RefundSettlement): Promise<void> {
    throw new NotImplementedException();
  }
}
