import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessageFields } from './message.view';

/** Whose inbox: the account (personal messages) and its app type (broadcasts). */
export interface InboxOwner {
  id: number;
  type: number;
}

export type InboxRow = MessageFields & { isRead: boolean };

/** $1 the account, $2 its app type; `r` is that account's read mark, if any. */
const INBOX = `
  FROM message m
  LEFT JOIN message_read r ON r.message_id = m.id AND r.user_id = $1
  WHERE (m.type = 1 AND m.user_id = $1) OR (m.type = 0 AND m.app_type = $2)`;

/** The inbox queries, in SQL: an account's personal messages plus its app's broadcasts, each read per account. */
@Injectable()
export class MessagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * One page of the inbox with each message's read state as it was, marking the page read in the same
   * statement (the page CTE sees the table before the INSERT does its work).
   */
  async takePage(owner: InboxOwner, offset: number, limit: number): Promise<InboxRow[]> {
    return this.db.query<InboxRow[]>(
      `WITH page AS (
         SELECT m.id, m.type, m.title, m.content, m.sender_name AS "senderName",
                m.sender_avatar AS "senderAvatar", m.publish_time AS "publishTime",
                r.user_id IS NOT NULL AS "isRead"
         ${INBOX}
         ORDER BY m.publish_time DESC, m.id DESC
         OFFSET $3 LIMIT $4
       ), marked AS (
         INSERT INTO message_read (user_id, message_id)
         SELECT $1, id FROM page WHERE NOT "isRead"
         ON CONFLICT DO NOTHING
       )
       SELECT * FROM page ORDER BY "publishTime" DESC, id DESC`,
      [owner.id, owner.type, offset, limit],
    );
  }

  /** How many messages the inbox holds and how many of them the account has not read. */
  async counts(owner: InboxOwner): Promise<{ total: number; unread: number }> {
    const [row] = await this.db.query<{ total: number; unread: number }[]>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE r.user_id IS NULL)::int AS unread ${INBOX}`,
      [owner.id, owner.type],
    );
    return row;
  }
}
