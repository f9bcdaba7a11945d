import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { WechatClient } from './wechat.client';

/** A token with less than this left is replaced before use (WeChat issues them for 7200 s). */
export const REFRESH_MARGIN_SECONDS = 5 * 60;

/**
 * The official account's access token, kept in the one `wechat_token` row so that every instance uses the same
 * token: each fetch from WeChat invalidates the previous token, so instances refreshing on their own would keep
 * invalidating each other. Reads are a primary-key lookup compared with the database clock. A refresh runs
 * under `SELECT … FOR UPDATE` of the row and looks again once it holds the lock, so only the first of several
 * instances calls WeChat; within one instance, concurrent callers share one in-flight refresh.
 */
@Injectable()
export class WechatTokenStore {
  private inflight?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly client: WechatClient,
  ) {}

  /** A token with at least REFRESH_MARGIN_SECONDS left, fetching a new one when needed. */
  async get(): Promise<string> {
    const rows = await this.db.query<{ access_token: string }[]>(
      `SELECT access_token FROM wechat_token
        WHERE app_id = $1 AND expires_at > now() + $2 * interval '1 second'`,
      [this.client.appId, REFRESH_MARGIN_SECONDS],
    );
    return rows[0]?.access_token ?? this.refresh();
  }

  /**
   * WeChat refused `rejected` (40001/40014/42001): a token other than it. When another caller (here or on
   * another instance) has already replaced it, that replacement is used rather than fetching yet another.
   */
  replace(rejected: string): Promise<string> {
    return this.refresh(rejected);
  }

  private refresh(rejected?: string, joined = false): Promise<string> {
    if (this.inflight) {
      // The refresh already under way may have been a plain expiry check that kept the very token just
      // refused; then run one more, once.
      return this.inflight.then((token) =>
        rejected !== undefined && token === rejected && !joined ? this.refresh(rejected, true) : token,
      );
    }
    const run = this.db
      .transaction((m) => this.refreshLocked(m, rejected))
      .finally(() => {
        this.inflight = undefined;
      });
    this.inflight = run;
    return run;
  }

  private async refreshLocked(m: EntityManager, rejected: string | undefined): Promise<string> {
    const appId = this.client.appId;
    // The row must exist to be locked; a placeholder that is already expired (rolled back if the fetch fails).
    await m.query(
      `INSERT INTO wechat_token (app_id, access_token, expires_at) VALUES ($1, '', 'epoch')
       ON CONFLICT (app_id) DO NOTHING`,
      [appId],
    );
    const [row] = await m.query<{ access_token: string; fresh: boolean }[]>(
      `SELECT access_token, expires_at > now() + $2 * interval '1 second' AS fresh
         FROM wechat_token WHERE app_id = $1 FOR UPDATE`,
      [appId, REFRESH_MARGIN_SECONDS],
    );
    if (row.fresh && row.access_token !== rejected) return row.access_token;
    const issued = await this.client.fetchAccessToken();
    // now() is the transaction's start, a little before WeChat issued the token: the expiry errs early.
    await m.query(
      `UPDATE wechat_token SET access_token = $2, expires_at = now() + $3 * interval '1 second'
        WHERE app_id = $1`,
      [appId, issued.accessToken, issued.expiresIn],
    );
    return issued.accessToken;
  }
}
