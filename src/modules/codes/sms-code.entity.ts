import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';

/** An SMS verification code; only keyed hashes of the code and of the phone are kept. */
@Entity('sms_code')
@Index('ix_sms_code_phone_hash_created', ['phoneHash', 'createdAt'])
export class SmsCode {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'char', length: 64 })
  phoneHash: string;

  @Column({ type: 'char', length: 64 })
  codeHash: string;

  @Column({ type: 'smallint', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}
