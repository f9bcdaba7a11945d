import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { FollowupMessage } from './alihealth.client';
import { DeliveryStatus, FollowupDelivery } from './followup-delivery.entity';

/** A delivery a worker holds (`sending`); `attempts` identifies this claim when the outcome is written. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  request: FollowupMessage;
}

export interface DeliveryOutcome {
  status: Exclude<DeliveryStatus, 'sending'>;
  partnerMessageId?: string;
  error?: { kind: string; code: string | null; message: string | null };
}

/** Outcomes of a claim may still land on a row the sweep gave up on meanwhile (it knows less than the call). */
const OPEN_CLAIM: DeliveryStatus[] = ['sending', 'uncertain'];

/** The delivery queries whose correctness rests on one statement: claims, outcomes, the sweep's finds. */
@Injectable()
export class FollowupRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims the dialog's oldest pending delivery, unless one of the dialog's deliveries is being sent: one call
   * at a time per dialog, in message order. One conditional UPDATE: two workers picking the same row meet on its
   * lock, and the second finds it no longer `pending`; a worker whose snapshot already shows a `sending`
   * sibling claims nothing.
   */
  async claimNext(dialogId: number): Promise<ClaimedDelivery | undefined> {
    const [rows] = await this.db.query<
      [{ id: string; attempts: number; request: FollowupMessage }[], number]
    >(
      `UPDATE followup_delivery
          SET status = 'sending', attempts = attempts + 1, claimed_at = now(), updated_at = now()
        WHERE id = (SELECT id FROM followup_delivery
                     WHERE dialog_id = $1 AND status = 'pending' ORDER BY id LIMIT 1)
          AND status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM followup_delivery WHERE dialog_id = $1 AND status = 'sending')
        RETURNING id, attempts, request`,
      [dialogId],
    );
    return rows[0];
  }

  /** Writes the outcome of claim `claim`; false when the row moved on without it (nothing written). */
  async finish(claim: ClaimedDelivery, outcome: DeliveryOutcome): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .update(FollowupDelivery)
      .set({
        status: outcome.status,
        partnerMessageId: outcome.partnerMessageId ?? null,
        deliveredAt: outcome.status === 'delivered' ? () => 'now()' : null,
        errorKind: outcome.error?.kind ?? null,
        errorCode: outcome.error?.code ?? null,
        errorMessage: outcome.error?.message ?? null,
      })
      .where({ id: claim.id, attempts: claim.attempts, status: In(OPEN_CLAIM) })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Claims held longer than any call can last: the worker died mid-call, so the message may have arrived. */
  async giveUpStaleClaims(olderThanMs: number): Promise<number> {
    const result = await this.db.query<[unknown[], number]>(
      `UPDATE followup_delivery
          SET status = 'uncertain', error_kind = 'stale', error_code = NULL,
              error_message = 'the worker stopped during the call', updated_at = now()
        WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => $1)`,
      [olderThanMs / 1000],
    );
    return result[1];
  }

  /** Dialogs with pending deliveries and no queued or running job of `jobName` to drain them. */
  async orphanedDialogs(jobName: string): Promise<number[]> {
    const rows = await this.db.query<{ dialog_id: number }[]>(
      `SELECT DISTINCT d.dialog_id FROM followup_delivery d
        WHERE d.status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM pgboss.job j
                           WHERE j.name = $1 AND j.state IN ('created', 'retry', 'active')
                             AND j.data->>'dialogId' = d.dialog_id::text)`,
      [jobName],
    );
    return rows.map((r) => r.dialog_id);
  }

  /** Inside the message's transaction: the delivery row, unless the message has one already. */
  async insertPending(
    m: EntityManager,
    messageId: string,
    dialogId: number,
    request: FollowupMessage,
  ): Promise<boolean> {
    const result = await m
      .createQueryBuilder()
      .insert()
      .into(FollowupDelivery)
      .values({ messageId, dialogId, request, status: 'pending' })
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
