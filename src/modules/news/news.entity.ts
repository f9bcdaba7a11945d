import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';

/** A news item or announcement for one app (`type` 1 patient, 2 doctor, 3 assistant), public once `publish_time` has passed. */
@Entity('news')
@Index('ix_news_type_publish_time', ['type', 'publishTime'])
export class News {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'smallint' })
  type: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  photo: string;

  @Column({ type: 'text', default: '' })
  content: string;

  @Column({ type: 'timestamptz' })
  publishTime: Date;

  /** Shown on that hospital's homepage (v2). */
  @Index('ix_news_hospital')
  @Column({ type: 'integer', nullable: true })
  hospitalId: number | null;

  /** Shown on that organisation's homepage (v2). */
  @Index('ix_news_org')
  @Column({ type: 'integer', nullable: true })
  orgId: number | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
