import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UpdatedAt } from 'src/common/database/columns';

/** `idle` never run; `running`; `done` the last run finished; `failed` it stopped and the next run resumes. */
export type SyncStatus = 'idle' | 'running' | 'done' | 'failed';

/**
 * The one row (id 1) of the 91160 hospital sync: where the current run stands, written after every page, so a
 * run that stops (the partner failing, the process killed) resumes there on the next run.
 */
@Entity('h91160_sync_state')
export class H91160SyncState {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'varchar', length: 16, default: 'idle' })
  status: SyncStatus;

  /** The unit page to fetch next (1-based). */
  @Column({ type: 'integer', default: 1 })
  nextPage: number;

  /** Within that page: the unit whose departments are being fetched; null before the first. */
  @Column({ type: 'integer', nullable: true })
  unitCursor: number | null;

  /** The department page of `unitCursor` to fetch next. */
  @Column({ type: 'integer', default: 1 })
  depPage: number;

  /** The page size the run started with; page numbers only mean something with it. */
  @Column({ type: 'integer', default: 0 })
  pageSize: number;

  /** Units 91160 reported on the last page read. */
  @Column({ type: 'integer', nullable: true })
  totalUnits: number | null;

  @Column({ type: 'integer', default: 0 })
  pagesDone: number;

  @Column({ type: 'integer', default: 0 })
  hospitalsCreated: number;

  @Column({ type: 'integer', default: 0 })
  hospitalsUpdated: number;

  @Column({ type: 'integer', default: 0 })
  departmentsCreated: number;

  @Column({ type: 'integer', default: 0 })
  departmentsUpdated: number;

  /** How often this run was picked up again after stopping. */
  @Column({ type: 'integer', default: 0 })
  resumes: number;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'varchar', length: 500, default: '' })
  lastError: string;

  @Column({ type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;

  @UpdatedAt()
  updatedAt: Date;
}
