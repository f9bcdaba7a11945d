import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';

/** One operator write: who did what to which record, from where. */
@Entity('audit_log')
export class AuditLog {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Index('ix_audit_log_operator')
  @Column({ type: 'integer', nullable: true })
  operatorId: number | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 32 })
  targetType: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  targetId: string;

  @Column({ type: 'jsonb', default: {} })
  detail: Record<string, unknown>;

  @Column({ type: 'varchar', length: 64, default: '' })
  ip: string;

  @Index('ix_audit_log_created_at')
  @CreatedAt()
  createdAt: Date;
}
