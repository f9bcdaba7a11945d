import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';

/** `pending` until 联空医问 acknowledged it (`sent`) or refused it for good (`rejected`). */
export type DeliveryState = 'pending' | 'sent' | 'rejected';

/** A patient's question to a 联空医问 doctor (`lc.ask.send.user`), kept here with our `order_id`. */
@Entity('consult_question')
@Unique('uq_consult_question_order_id', ['orderId'])
@Index('ix_consult_question_patient', ['patientUserId', 'id'])
export class ConsultQuestion {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  /** Our serial, sent as `order_id`; every (re)send of this question carries the same one. */
  @Column({ type: 'varchar', length: 32 })
  orderId: string;

  @Column({ type: 'integer' })
  patientUserId: number;

  /** The partner's `doctor_id` and the names it showed when the question was asked. */
  @Column({ type: 'varchar', length: 64 })
  lcDoctorId: string;

  @Column({ type: 'varchar', length: 50, default: '' })
  doctorName: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  lcDeptId: string;

  @Column({ type: 'varchar', length: 50, default: '' })
  deptName: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'jsonb', default: [] })
  images: string[];

  @Column({ type: 'varchar', length: 50 })
  consultName: string;

  @Column({ type: 'integer' })
  amountFen: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  delivery: DeliveryState;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Kind of the last failed send and the partner's code, for operators (no partner text, no secrets). */
  @Column({ type: 'varchar', length: 100, default: '' })
  lastError: string;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}
