import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Address } from 'src/common/database/address';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';

@Entity('hospital')
/** Trigram index for case-insensitive keyword search (created in SQL; TypeORM leaves it alone). */
@Index('ix_hospital_name_trgm', { synchronize: false })
export class Hospital {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  logo: string;

  @Column({ type: 'jsonb', default: [] })
  banner: string[];

  @Column({ type: 'varchar', length: 50, default: '' })
  level: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  tag: string;

  @Column(() => Address, { prefix: false })
  address: Address;

  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true })
  lng: string | null;

  @Column({ type: 'numeric', precision: 8, scale: 6, nullable: true })
  lat: string | null;

  /** 91160's `unitId` when the row is synced from 91160; null on hospitals operators created. */
  @Index('uq_hospital_h91160_unit', { unique: true })
  @Column({ type: 'integer', nullable: true })
  h91160UnitId: number | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
