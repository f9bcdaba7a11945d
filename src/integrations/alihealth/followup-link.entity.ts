import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';
import { ChatDialog } from 'src/modules/chat/chat-dialog.entity';

/**
 * A chat dialog linked by an operator to an Alibaba Health follow-up session: while the link exists, every
 * new message of the dialog is delivered to that session. Ids are the partner's, kept as text.
 */
@Entity('followup_link')
@Unique('uq_followup_link_dialog', ['dialogId'])
export class FollowupLink {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  dialogId: number;

  @ManyToOne(() => ChatDialog, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dialog_id', foreignKeyConstraintName: 'fk_followup_link_dialog' })
  dialog?: ChatDialog;

  /** followup.send `session_id`. */
  @Column({ type: 'varchar', length: 64 })
  sessionId: string;

  /** `bterm_user_id`: the partner's doctor or doctor group. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  btermUserId: string | null;

  /** `cterm_user_id`: the partner's patient (就诊人). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ctermUserId: string | null;

  /** `user_id`: the doctor's own id at the partner, sent with the doctor's messages. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  doctorPartnerId: string | null;

  @Column({ type: 'integer' })
  operatorId: number;

  @CreatedAt()
  createdAt: Date;
}
