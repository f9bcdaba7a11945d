import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A GB/T 2260 division; `id` is its 6-digit code, `parent_id` 0 for provinces. */
@Entity('region')
export class Region {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Index('ix_region_parent')
  @Column({ type: 'integer', default: 0 })
  parentId: number;

  @Index('ix_region_name')
  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Index('ix_region_short_name')
  @Column({ type: 'varchar', length: 50 })
  shortName: string;

  @Column({ type: 'varchar', length: 100 })
  pinyin: string;

  /** 1 province, 2 city, 3 county. */
  @Column({ type: 'smallint' })
  level: number;

  @Column({ type: 'integer', default: 0 })
  sort: number;
}
