import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';
import { ChatMessage } from 'src/modules/chat/chat-message.entity';
import type { FollowupMessage } from './alihealth.client';

/**
 * Where one message's delivery stands:
 * - `pending`: to be sent (first time, after a failure that certainly did not deliver it, or resent by an operator);
 * - `sending`: claimed by a worker, the call under way;
 * - `delivered`: the partner stored it (`partner_message_id`);
 * - `uncertain`: the call may have arrived (timeout, connection reset, 5xx, unreadable answer); never sent again
 *   automatically, an operator decides;
 * - `failed`: the partner refused it (bad parameters, closed session); its code is kept.
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'uncertain', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A chat message to deliver to the follow-up session its dialog was linked to; one per message. */
@Entity('followup_delivery')
@Unique('uq_followup_delivery_message', ['messageId'])
@Index('ix_followup_delivery_status', ['status', 'id'])
@Index('ix_followup_delivery_dialog_open', ['dialogId', 'id'], { where: `status IN ('pending', 'sending')` })
export class FollowupDelivery {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'bigint' })
  messageId: string;

  @ManyToOne(() => ChatMessage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'fk_followup_delivery_message' })
  message?: ChatMessage;

  @Column({ type: 'integer' })
  dialogId: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: DeliveryStatus;

  /** request1 as sent, fixed when the message was stored (a later relink does not change it). */
  @Column({ type: 'jsonb' })
  request: FollowupMessage;

  /** Times a worker claimed it (each claim is at most one call). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  partnerMessageId: string | null;

  /** The last failure: its kind (`timeout`, `api`…), the partner's code and message. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  errorKind: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  errorCode: string | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  errorMessage: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
