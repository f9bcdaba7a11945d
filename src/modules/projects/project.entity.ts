import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { User } from 'src/modules/users/user.entity';
import { ProjectSlot } from './project-slot.entity';

/** `status`: 1 published, 0 cancelled by its doctor. */
export enum ProjectState {
  Cancelled = 0,
  Published = 1,
}

/** A free clinic (义诊) published by a doctor, split into bookable slots. */
@Entity('project')
@Check('ck_project_window', '"begin" < "end" AND people_count BETWEEN 1 AND 1000 AND price_fen >= 0')
@Index('ix_project_doctor_date', ['doctorId', 'date'])
@Index('ix_project_starts_at', ['startsAt'])
/*
 * Indexes created in SQL (TypeORM leaves them alone): GiST on ll_to_earth(lat, lng) for nearest-first lists,
 * trigram on addr/abstract for keyword search, GIN on service_target, and the orders of the public list
 * (newest, most booked) restricted to published clinics; published clinics by end (and department) for the
 * lists' counts.
 */
@Index('ix_project_earth', { synchronize: false })
@Index('ix_project_addr_trgm', { synchronize: false })
@Index('ix_project_abstract_trgm', { synchronize: false })
@Index('ix_project_service_target', { synchronize: false })
@Index('ix_project_published_newest', { synchronize: false })
@Index('ix_project_published_most_booked', { synchronize: false })
@Index('ix_project_open_ends_at', { synchronize: false })
@Index('ix_project_open_departments', { synchronize: false })
export class Project {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  doctorId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'doctor_id', foreignKeyConstraintName: 'fk_project_doctor' })
  doctor?: User;

  /** The doctor's hospital when the clinic was published. */
  @Index('ix_project_hospital')
  @Column({ type: 'integer', nullable: true })
  hospitalId: number | null;

  @ManyToOne(() => Hospital, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'hospital_id', foreignKeyConstraintName: 'fk_project_hospital' })
  hospital?: Hospital | null;

  /** The doctor's department when published (the lists filter "disease type" on it). */
  @Column({ type: 'varchar', length: 50, default: '' })
  departments: string;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'time' })
  begin: string;

  @Column({ type: 'time' })
  end: string;

  /** `date` + `begin` / `end` in the platform time zone, for clocks and jobs. */
  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'integer' })
  peopleCount: number;

  /** Active bookings (awaiting payment or booked), kept in step with the slots' seats. */
  @Column({ type: 'integer', default: 0 })
  joinPeopleCount: number;

  @Column({ type: 'varchar', length: 200 })
  addr: string;

  @Column({ type: 'numeric', precision: 9, scale: 6 })
  lng: string;

  @Column({ type: 'numeric', precision: 8, scale: 6 })
  lat: string;

  @Column({ type: 'text', default: '' })
  abstract: string;

  /** Deposit in fen; shown in yuan. */
  @Column({ type: 'integer', default: 0 })
  priceFen: number;

  @Column({ type: 'smallint', default: ProjectState.Published })
  status: ProjectState;

  @Column({ type: 'jsonb', default: [] })
  serviceTarget: string[];

  @OneToMany(() => ProjectSlot, (s) => s.project)
  slots?: ProjectSlot[];

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
