import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { PersonalColumn } from 'src/common/crypto/personal-columns';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';

/**
 * A patient's linked 肺轻松 account: its DRF token (sealed at rest), one account per patient, and one patient per
 * 肺轻松 account (by the token's lookup hash), so orders of one partner account never show under two patients.
 */
@Entity('feiqingsong_account')
@Unique('uq_feiqingsong_account_user', ['userId'])
@Unique('uq_feiqingsong_account_token_hash', ['tokenHash'])
export class FeiqingsongAccount {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  userId: number;

  /** The 肺轻松 username (`owner` in its answers). */
  @Column({ type: 'varchar', length: 150 })
  username: string;

  /** The partner's pk of the patient, for its inquiry records; null when not given at link time. */
  @Column({ type: 'integer', nullable: true })
  patientPk: number | null;

  /** Sealed at rest; never shown, never logged. */
  @PersonalColumn('credential', { hash: 'tokenHash' })
  token: string;

  @Column({ type: 'char', length: 64, select: false })
  tokenHash: string;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
