import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity';

/**
 * Counters and rating sums of one account, kept in step with bookings and ratings inside the same
 * transactions, so profiles and the doctor directory read (and sort by) them without aggregating bookings.
 * No row means all zero.
 */
@Entity('user_stat')
@Index('ix_user_stat_score', ['score', 'userId'])
@Index('ix_user_stat_patient_count', ['patientCount', 'userId'])
export class UserStat {
  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_stat_user' })
  user?: User;

  /** Doctor: mean `doctor_score` given by patients (0 without ratings). */
  @Column({ type: 'numeric', precision: 3, scale: 2, default: 0 })
  score: string;

  @Column({ type: 'integer', default: 0 })
  scoreSum: number;

  @Column({ type: 'integer', default: 0 })
  scoreCount: number;

  /** Doctor: distinct patients seen; visits (projects held); minutes of clinics held. */
  @Column({ type: 'integer', default: 0 })
  patientCount: number;

  @Column({ type: 'integer', default: 0 })
  visitsCount: number;

  @Column({ type: 'integer', default: 0 })
  serviceMinutes: number;

  /** Patient: sums and counts of the ratings doctors gave. */
  @Column({ type: 'integer', default: 0 })
  creditSum: number;

  @Column({ type: 'integer', default: 0 })
  creditCount: number;

  @Column({ type: 'integer', default: 0 })
  punctualitySum: number;

  @Column({ type: 'integer', default: 0 })
  punctualityCount: number;

  /** Patient: successful bookings; visits seen. */
  @Column({ type: 'integer', default: 0 })
  joinProjectCount: number;

  @Column({ type: 'integer', default: 0 })
  doneProjectCount: number;

  /** Assistant: distinct patients booked for. */
  @Column({ type: 'integer', default: 0 })
  helpCount: number;
}
