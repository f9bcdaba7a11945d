import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';
import { Hospital } from 'src/modules/hospitals/hospital.entity';

/** A department of a hospital synced from 91160; 91160's `depId` is unique within its unit (hospital). */
@Entity('hospital_department')
@Unique('uq_hospital_department_partner', ['hospitalId', 'partnerDepId'])
export class HospitalDepartment {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  hospitalId: number;

  @ManyToOne(() => Hospital, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hospital_id', foreignKeyConstraintName: 'fk_hospital_department_hospital' })
  hospital?: Hospital;

  /** 91160's `depId`. */
  @Column({ type: 'integer' })
  partnerDepId: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text', default: '' })
  intro: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  className: string;

  @Column({ type: 'varchar', length: 50, default: '' })
  telephone: string;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
