import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';

/** One conversation (留言对话) per patient–doctor pair. */
@Entity('chat_dialog')
@Unique('uq_chat_dialog_pair', ['patientUserId', 'doctorUserId'])
@Index('ix_chat_dialog_doctor', ['doctorUserId', 'lastMsgAt'])
@Index('ix_chat_dialog_patient', ['patientUserId', 'lastMsgAt'])
export class ChatDialog {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  patientUserId: number;

  @Column({ type: 'integer' })
  doctorUserId: number;

  @Column({ type: 'bigint', nullable: true })
  lastMsgId: string | null;

  /** Orders each party's dialog list, newest conversation first. */
  @Column({ type: 'timestamptz', nullable: true })
  lastMsgAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}
