import { Column, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';
import { Project } from 'src/modules/projects/project.entity';

/** 专题活动: an operator-run event (of a hospital or organisation) grouping several free clinics. */
@Entity('sp_project')
export class SpecialProject {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'time' })
  begin: string;

  @Column({ type: 'time' })
  end: string;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'integer', default: 0 })
  peopleCount: number;

  @Column({ type: 'varchar', length: 200, default: '' })
  addr: string;

  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true })
  lng: string | null;

  @Column({ type: 'numeric', precision: 8, scale: 6, nullable: true })
  lat: string | null;

  @Column({ type: 'text', default: '' })
  abstract: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  photo: string;

  @Column({ type: 'integer', default: 0 })
  priceFen: number;

  /** 1 published, 0 withdrawn. */
  @Column({ type: 'smallint', default: 1 })
  status: number;

  @Column({ type: 'jsonb', default: [] })
  serviceTarget: string[];

  @Column({ type: 'integer', nullable: true })
  hospitalId: number | null;

  @Column({ type: 'integer', nullable: true })
  orgId: number | null;

  @ManyToMany(() => Project)
  @JoinTable({
    name: 'sp_project_item',
    joinColumn: { name: 'sp_project_id', foreignKeyConstraintName: 'fk_sp_project_item_sp' },
    inverseJoinColumn: { name: 'project_id', foreignKeyConstraintName: 'fk_sp_project_item_project' },
  })
  projects?: Project[];

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
