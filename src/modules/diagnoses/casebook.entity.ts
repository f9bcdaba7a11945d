import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';

/** 病例: what the patient wrote (and photographed) when booking a clinic. */
@Entity('casebook')
@Index('ix_casebook_user_project', ['userId', 'projectId'])
export class Casebook {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  userId: number;

  @Column({ type: 'integer' })
  projectId: number;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'jsonb', default: [] })
  photo: string[];

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
