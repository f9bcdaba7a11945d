import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';

/** A volunteer organisation (组织) doctors apply to join. */
@Entity('org')
/** Trigram index for case-insensitive keyword search (created in SQL; TypeORM leaves it alone). */
@Index('ix_org_name_trgm', { synchronize: false })
export class Org {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  logo: string;

  @Column({ type: 'text', default: '' })
  abstract: string;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
