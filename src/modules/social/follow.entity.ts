import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Column, Unique } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';
import { User } from 'src/modules/users/user.entity';

/** A patient or assistant following a doctor; following twice keeps one row. */
@Entity('follow')
@Unique('uq_follow_follower_doctor', ['followerId', 'doctorId'])
export class Follow {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'integer' })
  followerId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'follower_id', foreignKeyConstraintName: 'fk_follow_follower' })
  follower?: User;

  @Index('ix_follow_doctor')
  @Column({ type: 'integer' })
  doctorId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'doctor_id', foreignKeyConstraintName: 'fk_follow_doctor' })
  doctor?: User;

  @CreatedAt()
  createdAt: Date;
}
