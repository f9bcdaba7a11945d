import { Injectable } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, paged } from 'src/common/http/pagination';
import { RateLimitService } from 'src/common/rate-limit/rate-limit.service';
import { AppConfig } from 'src/config/app-config';
import { FollowupService } from 'src/integrations/alihealth/followup.service';
import { User, UserType, VerifyState } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import type { ChatDialog } from './chat-dialog.entity';
import { ChatGateway } from './chat.gateway';
import { ChatRepository, DialogPair } from './chat.repository';
import { partiesById, toChatDialogView, toChatMessageView } from './chat.view';
import { SendChatDto } from './dto/send-chat.dto';

/** How many of the dialog's latest messages `POST /chat` answers with. */
const SEND_ECHO = 20;
const MINUTE_MS = 60_000;

/** Chat is between a patient and a doctor: who is on the other side of each. */
const COUNTERPART: Partial<Record<UserType, UserType>> = {
  [UserType.Patient]: UserType.Doctor,
  [UserType.Doctor]: UserType.Patient,
};

const pairOf = (sender: User, recipient: User): DialogPair =>
  sender.type === UserType.Patient
    ? { patientUserId: sender.id, doctorUserId: recipient.id }
    : { patientUserId: recipient.id, doctorUserId: sender.id };

/** The caller's side of its dialogs, as a filter. */
const sideOf = (me: User): Partial<DialogPair> =>
  me.type === UserType.Patient ? { patientUserId: me.id } : { doctorUserId: me.id };

const isParty = (d: ChatDialog, userId: number) => d.patientUserId === userId || d.doctorUserId === userId;

/** Doctor–patient messages (3.6, DESIGN §8). Callers are patients or doctors (the controller's roles). */
@Injectable()
export class ChatService {
  constructor(
    private readonly chats: ChatRepository,
    private readonly userViews: UserViewsService,
    private readonly limits: RateLimitService,
    private readonly config: AppConfig,
    private readonly gateway: ChatGateway,
    private readonly followups: FollowupService,
  ) {}

  /**
   * 3.6.2: stores the message (the dialog on the first one), pushes it to the recipient, answers the latest.
   * A dialog linked to an Alibaba Health follow-up session gets the message's delivery in the same transaction.
   */
  async send(sender: User, dto: SendChatDto) {
    if (dto.type !== sender.type) throw new AppException(ErrorCode.CHAT_TYPE_MISMATCH);
    // Counted per sender before any lookup, so refused attempts cannot be used to probe at full speed.
    const { hits } = await this.limits.hit(`chat:send:${sender.id}`, MINUTE_MS);
    if (hits > this.config.CHAT_RATE_LIMIT_PER_MINUTE) throw new AppException(ErrorCode.CHAT_TOO_FREQUENT);
    const recipient = await this.recipientFor(sender, dto.to_user_id);
    const message = await this.chats.append(
      pairOf(sender, recipient),
      {
        type: sender.type,
        fromUserId: sender.id,
        toUserId: recipient.id,
        content: dto.content,
        photo: dto.photo ?? [],
      },
      (m, saved) => this.followups.messageStored(m, saved),
    );
    const parties = partiesById([sender, recipient]);
    this.gateway.delivered(toChatMessageView(message, parties));
    const latest = await this.chats.latestMessages(message.dialogId, SEND_ECHO);
    return { list: latest.map((m) => toChatMessageView(m, parties)) };
  }

  /** 3.6.1: the caller's dialogs, latest conversation first; the same few queries whatever the page size. */
  async dialogs(me: User, q: PageQuery) {
    const [dialogs, count] = await this.chats.dialogPage(sideOf(me), q.offset, q.page_size);
    const [lastMessages, unread, users] = await Promise.all([
      this.chats.messagesByIds(dialogs.flatMap((d) => (d.lastMsgId ? [d.lastMsgId] : []))),
      this.chats.unreadCounts(
        me.id,
        dialogs.map((d) => d.id),
      ),
      this.chats.usersByIds(dialogs.flatMap((d) => [d.patientUserId, d.doctorUserId])),
    ]);
    // Masked for both sides: the list shows each account to the other party.
    const views = await this.userViews.views(users, () => false);
    const viewOf = new Map(users.map((u, i) => [u.id, views[i]]));
    const parties = partiesById(users);
    const lastOf = new Map(lastMessages.map((m) => [m.id, toChatMessageView(m, parties)]));
    const list = dialogs.map((d) =>
      toChatDialogView(d, {
        lastMsg: (d.lastMsgId && lastOf.get(d.lastMsgId)) || null,
        patientUser: viewOf.get(d.patientUserId) ?? null,
        doctorUser: viewOf.get(d.doctorUserId) ?? null,
        unread: unread.get(d.id) ?? 0,
      }),
    );
    return paged(list, count, q);
  }

  /**
   * 3.6.3: one page of the dialog, oldest first. Opening it marks every message to the caller read (not only
   * this page's), so the page shows them read; the parties are told with `chat:read`.
   */
  async messages(me: User, dialogId: number, q: PageQuery) {
    const dialog = await this.chats.dialogById(dialogId);
    // Someone else's dialog answers as a missing one: its existence is not disclosed.
    if (!dialog || !isParty(dialog, me.id)) throw new AppException(ErrorCode.CHAT_DIALOG_NOT_FOUND);
    if (await this.chats.markRead(dialog.id, me.id)) this.gateway.read(dialog, me.id);
    const [[rows, count], users] = await Promise.all([
      this.chats.messagePage(dialog.id, q.offset, q.page_size),
      this.chats.usersByIds([dialog.patientUserId, dialog.doctorUserId]),
    ]);
    const parties = partiesById(users);
    return paged(
      rows.map((m) => toChatMessageView(m, parties)),
      count,
      q,
    );
  }

  private async recipientFor(sender: User, id: number): Promise<User> {
    const [recipient] = await this.chats.usersByIds([id]);
    if (!recipient) throw new AppException(ErrorCode.CHAT_RECIPIENT_NOT_FOUND);
    if (recipient.type !== COUNTERPART[sender.type])
      throw new AppException(ErrorCode.CHAT_RECIPIENT_WRONG_ROLE);
    if (recipient.isVerify === VerifyState.Disabled)
      throw new AppException(ErrorCode.CHAT_RECIPIENT_DISABLED);
    return recipient;
  }
}
