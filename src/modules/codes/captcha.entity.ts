import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A captcha challenge bound to the client by an HttpOnly cookie holding `id`; deleted on first use. */
@Entity('captcha')
export class Captcha {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'char', length: 64 })
  textHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
