import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';
import { User } from 'src/modules/users/user.entity';
import { Org } from './org.entity';

/** `verify_status` of a doctor's application to an organisation. */
export enum MemberState {
  Pending = 0,
  Approved = 1,
  Rejected = 2,
}

/** A doctor's application to (and, once approved, membership of) an organisation. */
@Entity('org_member')
@Unique('uq_org_member_org_doctor', ['orgId', 'doctorId'])
export class OrgMember {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  orgId: number;

  @ManyToOne(() => Org, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_org_member_org' })
  org?: Org;

  @Index('ix_org_member_doctor')
  @Column({ type: 'integer' })
  doctorId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'doctor_id', foreignKeyConstraintName: 'fk_org_member_doctor' })
  doctor?: User;

  @Column({ type: 'smallint', default: MemberState.Pending })
  verifyStatus: MemberState;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
