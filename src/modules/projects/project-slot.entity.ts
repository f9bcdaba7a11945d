import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Project } from './project.entity';

/**
 * One bookable piece of a clinic's window. `remaining` is taken with one conditional UPDATE
 * (`… SET remaining = remaining - 1 WHERE remaining > 0`), and the check makes overbooking impossible.
 */
@Entity('project_slot')
@Unique('uq_project_slot_index', ['projectId', 'idx'])
@Check('ck_project_slot_remaining', 'remaining >= 0 AND remaining <= capacity')
export class ProjectSlot {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  projectId: number;

  @ManyToOne(() => Project, (p) => p.slots, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_project_slot_project' })
  project?: Project;

  @Column({ type: 'smallint' })
  idx: number;

  @Column({ type: 'time' })
  begin: string;

  @Column({ type: 'time' })
  end: string;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'integer' })
  remaining: number;
}
