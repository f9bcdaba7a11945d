import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';

/**
 * Each provider notification handled, by the provider's own event id: a notification delivered twice is
 * recognised and acknowledged without changing anything.
 */
@Entity('payment_event')
@Unique('uq_payment_event_provider_event', ['provider', 'eventId'])
export class PaymentEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ type: 'varchar', length: 64 })
  eventId: string;

  /** `paid`, `refund`. */
  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'varchar', length: 64 })
  reference: string;

  @CreatedAt()
  createdAt: Date;
}
