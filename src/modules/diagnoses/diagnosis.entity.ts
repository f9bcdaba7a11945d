import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';
import { Project } from 'src/modules/projects/project.entity';
import { ProjectSlot } from 'src/modules/projects/project-slot.entity';
import { User } from 'src/modules/users/user.entity';
import { Casebook } from './casebook.entity';

/** `verify_status` (DESIGN §6/§7): 0 awaiting payment, 1 booked, 2 rejected by the doctor, 3 cancelled. */
export enum BookingState {
  AwaitingPayment = 0,
  Booked = 1,
  Rejected = 2,
  Cancelled = 3,
}

/** `status`: 1 waiting, 2 no-show, 3 seen. */
export enum VisitState {
  Waiting = 1,
  NoShow = 2,
  Seen = 3,
}

/**
 * A booking (诊断) of one patient in one slot of a clinic. A patient holds at most one active booking
 * (awaiting payment or booked) per clinic: the partial unique index enforces it.
 */
@Entity('diagnosis')
@Index('uq_diagnosis_active_per_patient', ['projectId', 'userId'], {
  unique: true,
  where: 'verify_status IN (0, 1)',
})
@Index('ix_diagnosis_user', ['userId', 'id'])
@Index('ix_diagnosis_doctor', ['doctorUserId', 'id'])
@Index('ix_diagnosis_assistant', ['assistantUserId', 'id'])
@Index('ix_diagnosis_project', ['projectId', 'id'])
@Check(
  'ck_diagnosis_scores',
  `(doctor_score IS NULL OR doctor_score BETWEEN 1 AND 5)
  AND (patient_credit_score IS NULL OR patient_credit_score BETWEEN 1 AND 5)
  AND (patient_punctuality_score IS NULL OR patient_punctuality_score BETWEEN 1 AND 5)`,
)
export class Diagnosis {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_diagnosis_project' })
  project?: Project;

  @Column({ type: 'integer' })
  slotId: number;

  @ManyToOne(() => ProjectSlot, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'slot_id', foreignKeyConstraintName: 'fk_diagnosis_slot' })
  slot?: ProjectSlot;

  /** The patient. */
  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_diagnosis_user' })
  user?: User;

  @Column({ type: 'integer' })
  doctorUserId: number;

  @Column({ type: 'integer', nullable: true })
  hospitalId: number | null;

  /** The assistant who booked on the patient's behalf. */
  @Column({ type: 'integer', nullable: true })
  assistantUserId: number | null;

  @Column({ type: 'integer' })
  casebookId: number;

  @ManyToOne(() => Casebook, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'casebook_id', foreignKeyConstraintName: 'fk_diagnosis_casebook' })
  casebook?: Casebook;

  @Column({ type: 'smallint' })
  verifyStatus: BookingState;

  @Column({ type: 'varchar', length: 200, default: '' })
  rejectMsg: string;

  /** The slot's start. */
  @Column({ type: 'timestamptz' })
  visitTime: Date;

  @Column({ type: 'smallint', default: VisitState.Waiting })
  status: VisitState;

  /** Deposit in fen (0 for free clinics). */
  @Column({ type: 'integer', default: 0 })
  amountFen: number;

  /** Payment order number (priced clinics). */
  @Index('uq_diagnosis_sn', { unique: true, where: 'sn IS NOT NULL' })
  @Column({ type: 'varchar', length: 32, nullable: true })
  sn: string | null;

  /** Which provider took the payment (`wechat`, `sandbox`). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  payProvider: string | null;

  /** The provider's transaction id once paid. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  transactionId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  /** 1 requested, 2 in progress, 3 done. */
  @Column({ type: 'smallint', nullable: true })
  refundStatus: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  refundSn: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  refundTime: Date | null;

  /** 1 when a no-show keeps the deposit. */
  @Column({ type: 'smallint', default: 0 })
  confirmNoRefund: number;

  @Column({ type: 'text', default: '' })
  diagResult: string;

  @Column({ type: 'jsonb', default: [] })
  diagPhoto: string[];

  @Column({ type: 'smallint', nullable: true })
  patientCreditScore: number | null;

  @Column({ type: 'smallint', nullable: true })
  patientPunctualityScore: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  doctorCommentTime: Date | null;

  @Column({ type: 'smallint', nullable: true })
  doctorScore: number | null;

  @Column({ type: 'varchar', length: 200, default: '' })
  doctorComment: string;

  @Column({ type: 'timestamptz', nullable: true })
  patientCommentTime: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
