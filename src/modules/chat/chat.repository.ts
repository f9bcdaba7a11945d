import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { User } from 'src/modules/users/user.entity';
import { ChatDialog } from './chat-dialog.entity';
import { ChatMessage } from './chat-message.entity';

export interface DialogPair {
  patientUserId: number;
  doctorUserId: number;
}

export type NewChatMessage = Pick<ChatMessage, 'type' | 'fromUserId' | 'toUserId' | 'content' | 'photo'>;

/** The chat tables' queries; each one a single statement whatever the number of rows. */
@Injectable()
export class ChatRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ChatDialog) private readonly dialogs: Repository<ChatDialog>,
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
    // Read-only: UsersService has no batch lookup, and one query per party would make lists grow with the page.
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /** Accounts with their hospital (the doctor object shows it). */
  async usersByIds(ids: number[]): Promise<User[]> {
    if (!ids.length) return [];
    return this.users.find({ where: { id: In([...new Set(ids)]) }, relations: { hospital: true } });
  }

  /**
   * Stores a message, creating the pair's dialog with its first one, and moves the dialog's last message, in
   * one transaction; `stored` runs in that transaction too (what must commit with the message).
   */
  append(
    pair: DialogPair,
    message: NewChatMessage,
    stored?: (m: EntityManager, saved: ChatMessage) => Promise<void>,
  ): Promise<ChatMessage> {
    return this.db.transaction(async (m) => {
      const dialogId = await this.dialogIdOf(m, pair);
      const saved = await m.save(m.create(ChatMessage, { ...message, dialogId, isRead: 0 }));
      // Only forward: of two concurrent sends, the one committing last may hold the lower id.
      await m
        .createQueryBuilder()
        .update(ChatDialog)
        .set({ lastMsgId: saved.id, lastMsgAt: saved.createdAt })
        .where('id = :dialogId AND (last_msg_id IS NULL OR last_msg_id < :msgId)', {
          dialogId,
          msgId: saved.id,
        })
        .execute();
      await stored?.(m, saved);
      return saved;
    });
  }

  /**
   * The pair's dialog, created if missing. Concurrent first messages meet on the unique pair: the losing INSERT
   * waits for the winner and does nothing, and the following SELECT (a new snapshot) sees the winner's row.
   * Looking first keeps the usual case to one statement and spares the identity a value per message.
   */
  private async dialogIdOf(m: EntityManager, pair: DialogPair): Promise<number> {
    const params = [pair.patientUserId, pair.doctorUserId];
    const find = async () =>
      (
        await m.query<{ id: number }[]>(
          'SELECT id FROM chat_dialog WHERE patient_user_id = $1 AND doctor_user_id = $2',
          params,
        )
      )[0]?.id;
    const existing = await find();
    if (existing) return existing;
    const [created] = await m.query<{ id: number }[]>(
      `INSERT INTO chat_dialog (patient_user_id, doctor_user_id) VALUES ($1, $2)
       ON CONFLICT ON CONSTRAINT uq_chat_dialog_pair DO NOTHING RETURNING id`,
      params,
    );
    return created?.id ?? (await find());
  }

  dialogById(id: number): Promise<ChatDialog | null> {
    return this.dialogs.findOneBy({ id });
  }

  /** The account's dialogs, the latest conversation first, with how many there are. */
  dialogPage(owner: Partial<DialogPair>, offset: number, limit: number): Promise<[ChatDialog[], number]> {
    return this.dialogs.findAndCount({
      where: owner,
      order: { lastMsgAt: 'DESC', id: 'DESC' },
      skip: offset,
      take: limit,
    });
  }

  messagesByIds(ids: string[]): Promise<ChatMessage[]> {
    return ids.length ? this.messages.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  /** The dialog's newest messages, returned oldest first. */
  async latestMessages(dialogId: number, limit: number): Promise<ChatMessage[]> {
    const rows = await this.messages.find({ where: { dialogId }, order: { id: 'DESC' }, take: limit });
    return rows.reverse();
  }

  /** One page of the dialog in the order it was written (page 1 holds the oldest), with the total. */
  messagePage(dialogId: number, offset: number, limit: number): Promise<[ChatMessage[], number]> {
    return this.messages.findAndCount({
      where: { dialogId },
      order: { id: 'ASC' },
      skip: offset,
      take: limit,
    });
  }

  /** Unread messages to `userId` per dialog (dialogs with none are absent). */
  async unreadCounts(userId: number, dialogIds: number[]): Promise<Map<number, number>> {
    if (!dialogIds.length) return new Map();
    const rows = await this.db.query<{ dialog_id: number; unread: number }[]>(
      `SELECT dialog_id, count(*)::int AS unread FROM chat_message
       WHERE to_user_id = $1 AND is_read = 0 AND dialog_id = ANY($2::int[])
       GROUP BY dialog_id`,
      [userId, dialogIds],
    );
    return new Map(rows.map((r) => [r.dialog_id, r.unread]));
  }

  /** Marks the reader's incoming messages of the dialog read; returns how many were unread. */
  async markRead(dialogId: number, readerId: number): Promise<number> {
    const result = await this.messages.update({ dialogId, toUserId: readerId, isRead: 0 }, { isRead: 1 });
    return result.affected ?? 0;
  }
}
