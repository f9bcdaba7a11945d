import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';

/** A message (留言) in a dialog; `type` is the sender's role: 1 patient, 2 doctor. */
@Entity('chat_message')
@Index('ix_chat_message_dialog', ['dialogId', 'id'])
@Index('ix_chat_message_unread', ['toUserId', 'dialogId'], { where: 'is_read = 0' })
export class ChatMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'integer' })
  dialogId: number;

  @Column({ type: 'smallint' })
  type: number;

  @Column({ type: 'integer' })
  fromUserId: number;

  @Column({ type: 'integer' })
  toUserId: number;

  @Column({ type: 'varchar', length: 256 })
  content: string;

  @Column({ type: 'jsonb', default: [] })
  photo: string[];

  @Column({ type: 'smallint', default: 0 })
  isRead: number;

  @CreatedAt()
  createdAt: Date;
}
