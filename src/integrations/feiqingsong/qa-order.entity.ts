import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAt, UpdatedAt } from 'src/common/database/columns';
import { QaOrderStatus } from './feiqingsong.types';

/**
 * A 肺轻松 order created through us: whose it is (the partner would show it to whoever holds its account's token)
 * and the status last seen.
 */
@Entity('feiqingsong_order')
@Unique('uq_feiqingsong_order_number', ['orderNumber'])
@Index('ix_feiqingsong_order_user', ['userId', 'createdAt'])
export class QaOrderRecord {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 32 })
  orderNumber: string;

  @Column({ type: 'integer' })
  userId: number;

  /** The doctor's 肺轻松 username. */
  @Column({ type: 'varchar', length: 150 })
  doctor: string;

  @Column({ type: 'smallint' })
  status: QaOrderStatus;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
