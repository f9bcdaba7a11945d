import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';

/** A homepage banner of one app (`app_type` 1/2/3), optionally of one hospital's or organisation's homepage. */
@Entity('banner')
@Index('ix_banner_app_type', ['appType', 'sort'])
export class Banner {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'smallint' })
  appType: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 500 })
  photo: string;

  /** 0 no jump, 1 open `href`, other values target `jump_id` in the app. */
  @Column({ type: 'smallint', default: 0 })
  jumpMode: number;

  @Column({ type: 'integer', default: 0 })
  jumpId: number;

  @Column({ type: 'varchar', length: 500, default: '' })
  href: string;

  @Column({ type: 'integer', nullable: true })
  hospitalId: number | null;

  @Column({ type: 'integer', nullable: true })
  orgId: number | null;

  /** Smaller first. */
  @Column({ type: 'integer', default: 0 })
  sort: number;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
