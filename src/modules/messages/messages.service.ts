import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { PageQuery, paged } from 'src/common/http/pagination';
import { AuditService } from 'src/modules/audit/audit.service';
import type { User } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import { BroadcastDto } from './dto/message.dto';
import { Message, MessageType } from './message.entity';
import { toInboxView, toMessageView } from './message.view';
import { MessagesRepository } from './messages.repository';

/** Who the apps show as the sender of platform messages. */
export const SYSTEM_SENDER = '系统消息';

export interface PersonalMessage {
  userId: number;
  title: string;
  content: string;
  senderName?: string;
  senderAvatar?: string;
}

/** System messages (§8): broadcasts to one app's accounts and personal messages, read state per account. */
@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inboxes: MessagesRepository,
    private readonly audit: AuditService,
    private readonly userViews: UserViewsService,
  ) {}

  /** 3.1.13: the caller's messages, newest first; the page returned becomes read. Two queries, any page size. */
  async inbox(user: User, q: PageQuery) {
    const [rows, { total }] = await Promise.all([
      this.inboxes.takePage(user, q.offset, q.page_size),
      this.inboxes.counts(user),
    ]);
    return paged(rows.map(toInboxView), total, q);
  }

  async unreadCount(user: User): Promise<number> {
    return (await this.inboxes.counts(user)).unread;
  }

  /** 3.3.18 / 3.4.11: the caller's own user object (with its token) and unread message count. */
  async center(principal: Principal & { user: User }) {
    const [userInfo, msgCount] = await Promise.all([
      this.userViews.view(principal.user, { reveal: true, token: principal.token }),
      this.unreadCount(principal.user),
    ]);
    return { user_info: userInfo, msg_count: msgCount };
  }

  /**
   * Sends one account a personal message. Pass the caller's transaction manager so the message commits (or
   * not) with the change it reports. Returns the message id.
   */
  async sendPersonal(msg: PersonalMessage, manager?: EntityManager): Promise<number> {
    const result = await (manager ?? this.db.manager).insert(Message, {
      type: MessageType.Personal,
      userId: msg.userId,
      title: msg.title,
      content: msg.content,
      senderName: msg.senderName ?? SYSTEM_SENDER,
      senderAvatar: msg.senderAvatar ?? '',
    });
    return Number((result.identifiers[0] as { id: string }).id);
  }

  /** An operator's broadcast to every account of one app (type 0). Audited. */
  async broadcast(operatorId: number, dto: BroadcastDto, ip: string) {
    return this.db.transaction(async (m) => {
      const message = await m.save(
        m.create(Message, {
          type: MessageType.Broadcast,
          appType: dto.app_type,
          title: dto.title,
          content: dto.content,
          senderName: SYSTEM_SENDER,
        }),
      );
      await this.audit.record(
        {
          operatorId,
          action: 'message.broadcast',
          targetType: 'message',
          targetId: message.id,
          detail: { app_type: dto.app_type, title: dto.title },
          ip,
        },
        m,
      );
      return { ...toMessageView(message), app_type: dto.app_type };
    });
  }
}
