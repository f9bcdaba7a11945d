import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { PersonalColumn } from 'src/common/crypto/personal-columns';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';

/** A platform operator (运营): verifies accounts and publishes content through `/admin`. */
@Entity('operator')
@Unique('uq_operator_phone_hash', ['phoneHash'])
export class Operator {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  /** Sealed at rest: find operators by `phoneHash`. */
  @PersonalColumn('phone', { hash: 'phoneHash' })
  phone: string;

  @Column({ type: 'char', length: 64, select: false })
  phoneHash: string;

  @Column({ type: 'varchar', length: 200 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 50, default: '' })
  name: string;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
