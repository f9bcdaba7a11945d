import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A fixed-window counter shared by every app instance (used when Redis is not configured). */
@Entity('rate_limit_counter')
export class RateLimitCounter {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  @Index('ix_rate_limit_counter_expires')
  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
