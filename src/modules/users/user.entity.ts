import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { PersonalColumn } from 'src/common/crypto/personal-columns';
import { Address } from 'src/common/database/address';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';
import { Hospital } from 'src/modules/hospitals/hospital.entity';

/** Account type, as the apps send it in `type`. */
export enum UserType {
  Patient = 1,
  Doctor = 2,
  Assistant = 3,
}

/** `is_verify`: patients start at 1, doctors and assistants at 0 until an operator approves; 2 disables. */
export enum VerifyState {
  Pending = 0,
  Active = 1,
  Disabled = 2,
}

export interface WorkTimeSlot {
  morning: number;
  afternoon: number;
}

/** One account of one type; a phone may hold one account of each type. Role-specific columns stay empty for other roles. */
@Entity('app_user')
@Unique('uq_app_user_phone_hash_type', ['phoneHash', 'type'])
/** Trigram index for case-insensitive keyword search (created in SQL; TypeORM leaves it alone). */
@Index('ix_app_user_real_name_trgm', { synchronize: false })
/** Listed doctors (verified), for the directory's page and count (created in SQL). */
@Index('ix_app_user_listed_doctor', { synchronize: false })
export class User {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'smallint' })
  type: UserType;

  /** Sealed at rest: find accounts by `phoneHash` (`phoneHash()`), never by this column. */
  @PersonalColumn('phone', { hash: 'phoneHash', search: 'phoneSearch' })
  phone: string;

  @Column({ type: 'char', length: 64, select: false })
  phoneHash: string;

  /** Keyed hashes of the phone's fragments, for "phone contains" keyword searches (GIN index, created in SQL). */
  @Index('ix_app_user_phone_search', { synchronize: false })
  @Column({ type: 'text', array: true, default: '{}', select: false })
  phoneSearch: string[];

  /** Null for accounts created by phone-code login that never set a password. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  passwordHash: string | null;

  @Index('ix_app_user_is_verify')
  @Column({ type: 'smallint', default: VerifyState.Pending })
  isVerify: VerifyState;

  @Column({ type: 'varchar', length: 50, default: '' })
  realName: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  avatars: string;

  /** Sealed at rest, like `phone`; exact lookups by `idnoHash`. */
  @PersonalColumn('idno', { hash: 'idnoHash', nullable: true })
  idno: string | null;

  @Index('ix_app_user_idno_hash')
  @Column({ type: 'char', length: 64, nullable: true, select: false })
  idnoHash: string | null;

  /** 0 unknown, 1 male, 2 female (derived from `idno`). */
  @Column({ type: 'smallint', default: 0 })
  sex: number;

  @Column({ type: 'date', nullable: true })
  birthday: string | null;

  @Column({ type: 'varchar', length: 100, default: '' })
  email: string;

  @Column({ type: 'varchar', length: 10, default: '' })
  height: string;

  @Column({ type: 'varchar', length: 10, default: '' })
  weight: string;

  @Column(() => Address, { prefix: false })
  address: Address;

  @Column({ type: 'smallint', default: 0 })
  maritalStatus: number;

  @Column({ type: 'smallint', default: 0 })
  drinkStatus: number;

  @Column({ type: 'smallint', default: 0 })
  smokingStatus: number;

  @Column({ type: 'integer', nullable: true })
  hospitalId: number | null;

  @ManyToOne(() => Hospital, { onDelete: 'SET NULL', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'hospital_id', foreignKeyConstraintName: 'fk_app_user_hospital' })
  hospital?: Hospital | null;

  @Column({ type: 'varchar', length: 50, default: '' })
  departments: string;

  @Column({ type: 'varchar', length: 50, default: '' })
  jobPosition: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  goodAt: string;

  @Column({ type: 'jsonb', default: [] })
  workPhoto: string[];

  @Column({ type: 'text', default: '' })
  abstract: string;

  @Column({ type: 'jsonb', nullable: true })
  workTime: WorkTimeSlot[] | null;

  @Column({ type: 'varchar', length: 100, default: '' })
  teamName: string;

  /** The WeChat openid recorded by `/weixin/oauth`, needed to pay with WeChat JSAPI. */
  @Index('ix_app_user_openid')
  @Column({ type: 'varchar', length: 64, nullable: true })
  openid: string | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
