import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The official account's access token, shared by every instance: WeChat invalidates older tokens when a new
 * one is fetched, so one row (refreshed under its row lock) serves all.
 */
@Entity('wechat_token')
export class WechatToken {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  appId: string;

  @Column({ type: 'varchar', length: 1024 })
  accessToken: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
