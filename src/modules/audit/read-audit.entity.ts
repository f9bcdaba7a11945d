import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';

/** What was read: a booking with its casebook and diagnosis, or someone's unmasked ID number. */
export type ReadRecordType = 'diagnosis' | 'idno';

/** Who may read other people's sensitive data: doctors, assistants and operators (`admin`). */
export type ReaderRole = 'doctor' | 'assistant' | 'admin';

/** One disclosure of sensitive personal information to someone other than its owner (PIPL). */
@Entity('read_audit')
@Index('ix_read_audit_user', ['userId', 'id'])
@Index('ix_read_audit_actor', ['actorRole', 'actorId', 'id'])
export class ReadAudit {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  actorRole: ReaderRole;

  /** The doctor's or assistant's account id, or the operator's id. */
  @Column({ type: 'integer' })
  actorId: number;

  /** Whose data: the patient of the booking, or the account whose ID number was shown. */
  @Column({ type: 'integer' })
  userId: number;

  @Column({ type: 'varchar', length: 16 })
  recordType: ReadRecordType;

  /** The booking (diagnosis) id, or for an ID number the account id. */
  @Column({ type: 'integer' })
  recordId: number;

  /** Method and route pattern, e.g. `GET /diagnoses/:id`. */
  @Column({ type: 'varchar', length: 200 })
  route: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  ip: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  requestId: string;

  @Index('ix_read_audit_created_at')
  @CreatedAt()
  createdAt: Date;
}
