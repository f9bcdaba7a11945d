import { Column, Entity, PrimaryColumn } from 'typeorm';

/** That one account has read one message (broadcasts are read per account). */
@Entity('message_read')
export class MessageRead {
  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @PrimaryColumn({ type: 'bigint' })
  messageId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  readAt: Date;
}
