import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { User } from 'src/modules/users/user.entity';
import { HospitalDepartment } from './hospital-department.entity';

/**
 * `unknown` from the moment the order may reach 91160 until its answer (and for good when no answer came: an
 * operator reconciles with 91160), then `booked` or `failed`; `cancelled` after a confirmed cancel.
 */
export type AppointmentState = 'unknown' | 'booked' | 'failed' | 'cancelled';

/** A hospital appointment booked through 91160 by a patient. */
@Entity('h91160_appointment')
@Index('ix_h91160_appointment_user', ['userId', 'id'])
/** One live booking per patient and resource: a double tap cannot book twice. */
@Index('uq_h91160_appointment_live', ['userId', 'unitId', 'detlId'], {
  unique: true,
  where: `state IN ('unknown', 'booked')`,
})
export class H91160Appointment {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_h91160_appointment_user' })
  user?: User;

  @Column({ type: 'integer' })
  hospitalId: number;

  @ManyToOne(() => Hospital, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'hospital_id', foreignKeyConstraintName: 'fk_h91160_appointment_hospital' })
  hospital?: Hospital;

  @Column({ type: 'integer' })
  departmentId: number;

  @ManyToOne(() => HospitalDepartment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_h91160_appointment_department' })
  department?: HospitalDepartment;

  /** 91160's ids, as sent with the order. */
  @Column({ type: 'integer' })
  unitId: number;

  @Column({ type: 'integer' })
  doctorId: number;

  @Column({ type: 'varchar', length: 64 })
  scheduleId: string;

  @Column({ type: 'varchar', length: 64 })
  detlId: string;

  @Column({ type: 'varchar', length: 16 })
  state: AppointmentState;

  /** 91160's `orderId` and `hisTakeNo` (the number the patient shows at the hospital). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  orderId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  hisTakeNo: string | null;

  /** Names at booking time, so the list reads without joins and shows what the patient booked. */
  @Column({ type: 'varchar', length: 100 })
  hospitalName: string;

  @Column({ type: 'varchar', length: 100 })
  departmentName: string;

  @Column({ type: 'timestamptz', nullable: true })
  beginTime: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endTime: Date | null;

  /** Fen. */
  @Column({ type: 'integer', default: 0 })
  fee: number;

  /** 91160's code when it refused the order or the cancel, for operators. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  partnerCode: string | null;

  @Column({ type: 'varchar', length: 100, default: '' })
  cancelReason: string;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
