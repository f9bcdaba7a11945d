import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';

export enum MessageType {
  /** To every account of one app type. */
  Broadcast = 0,
  /** To one account. */
  Personal = 1,
}

/** A system message (我的消息): a broadcast to one app's accounts, or a personal message to one account. */
@Entity('message')
@Check(
  'ck_message_target',
  '(type = 0 AND app_type IS NOT NULL AND user_id IS NULL) OR (type = 1 AND user_id IS NOT NULL)',
)
@Index('ix_message_user_publish', ['userId', 'publishTime'])
@Index('ix_message_app_type_publish', ['appType', 'publishTime'])
export class Message {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'smallint' })
  type: MessageType;

  /** Broadcasts: 1 patient, 2 doctor, 3 assistant app. */
  @Column({ type: 'smallint', nullable: true })
  appType: number | null;

  /** Personal messages: the recipient. */
  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  content: string;

  /** Who the app shows as the sender (`username`, `avatars`). */
  @Column({ type: 'varchar', length: 50, default: '' })
  senderName: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  senderAvatar: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  publishTime: Date;

  @CreatedAt()
  createdAt: Date;
}
