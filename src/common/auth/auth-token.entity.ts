import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';
import { Operator } from 'src/modules/admin/operator.entity';
import { User } from 'src/modules/users/user.entity';

/** A login session. Only the SHA-256 of the token is stored; deleting the row revokes it. */
@Entity('auth_token')
@Check('ck_auth_token_one_subject', '(user_id IS NULL) <> (operator_id IS NULL)')
export class AuthToken {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Index('uq_auth_token_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Index('ix_auth_token_user')
  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_auth_token_user' })
  user?: User;

  @Index('ix_auth_token_operator')
  @Column({ type: 'integer', nullable: true })
  operatorId: number | null;

  @ManyToOne(() => Operator, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'fk_auth_token_operator' })
  operator?: Operator;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz' })
  lastUsedAt: Date;

  @CreatedAt()
  createdAt: Date;
}
