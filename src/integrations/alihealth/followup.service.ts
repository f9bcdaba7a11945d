import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ERROR_TABLE, ErrorCode } from 'src/common/errors/error-codes';
import { paged, Paged } from 'src/common/http/pagination';
import { JobsService } from 'src/common/jobs/jobs.service';
import { ChatDialog } from 'src/modules/chat/chat-dialog.entity';
import type { ChatMessage } from 'src/modules/chat/chat-message.entity';
import { AuditService } from 'src/modules/audit/audit.service';
import { UserType } from 'src/modules/users/user.entity';
import { ALIHEALTH_LABEL, AlihealthClient, FollowupMessage } from './alihealth.client';
import { DeliveriesQuery, LinkFollowupDto } from './dto/followup.dto';
import { FollowupDelivery } from './followup-delivery.entity';
import { FollowupLink } from './followup-link.entity';
import { FollowupRepository } from './followup.repository';
import { toFollowupDeliveryView, toFollowupLinkView } from './followup.view';

export const DELIVER_JOB = 'alihealth.followup.deliver';

/** Job data: any job of a dialog drains all of the dialog's pending deliveries, oldest first. */
export interface DeliverJob {
  dialogId: number;
}

/**
 * followup.send `rs_type` ("谁发的") per sender: 1 the patient (C 端), 2 the doctor (B 端). The document gives
 * only the example "2" next to a doctor's `user_id`; the values are to be confirmed with the partner.
 */
export const RS_TYPE_BY_SENDER: Readonly<Record<number, string>> = {
  [UserType.Patient]: '1',
  [UserType.Doctor]: '2',
};

/** Who acts, for the audit log. */
export interface OperatorAct {
  operatorId: number;
  ip: string;
}

/**
 * `content` of followup.send: a JSON document as text, `{"text": …}` as in the document. A message's photos
 * (URLs) follow its text, one per line: the document shows no other content field.
 */
export function followupContent(message: Pick<ChatMessage, 'content' | 'photo'>): string {
  return JSON.stringify({ text: [message.content, ...(message.photo ?? [])].join('\n') });
}

/** request1 for a message of a linked dialog; the doctor's partner id goes with the doctor's messages only. */
export function followupMessage(link: FollowupLink, message: ChatMessage): FollowupMessage {
  const rsType = RS_TYPE_BY_SENDER[message.type];
  if (!rsType) throw new Error(`chat message ${message.id}: no rs_type for sender type ${message.type}`);
  return {
    session_id: link.sessionId,
    bterm_user_id: link.btermUserId ?? undefined,
    cterm_user_id: link.ctermUserId ?? undefined,
    rs_type: rsType,
    content: followupContent(message),
    user_id: (rsType === RS_TYPE_BY_SENDER[UserType.Doctor] && link.doctorPartnerId) || undefined,
  };
}

/**
 * Linking chat dialogs to Alibaba Health follow-up sessions (operators), and recording each new message of a
 * linked dialog for delivery in the transaction that stores it (DESIGN §8, §10). The delivery itself is
 * `FollowupDeliveryService`'s.
 */
@Injectable()
export class FollowupService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly deliveries: FollowupRepository,
    private readonly jobs: JobsService,
    private readonly client: AlihealthClient,
    private readonly audit: AuditService,
  ) {}

  /**
   * Called by the chat inside the transaction that stores `message`: a linked dialog's message gets its
   * delivery row and a job, committed with the message or not at all. The link is read `FOR SHARE`, so an
   * unlink waits for messages being stored and none gets a delivery after the unlink returns.
   */
  async messageStored(m: EntityManager, message: ChatMessage): Promise<void> {
    const link = await m.findOne(FollowupLink, {
      where: { dialogId: message.dialogId },
      lock: { mode: 'pessimistic_read' },
    });
    if (!link) return;
    const request = followupMessage(link, message);
    if (await this.deliveries.insertPending(m, message.id, message.dialogId, request))
      await this.enqueue(m, message.dialogId);
  }

  async link(dialogId: number, dto: LinkFollowupDto, by: OperatorAct) {
    await this.dialogOrFail(dialogId);
    if (!this.client.configured)
      throw new AppException(
        ErrorCode.PARTNER_NOT_CONFIGURED,
        `${ALIHEALTH_LABEL}：${ERROR_TABLE[ErrorCode.PARTNER_NOT_CONFIGURED].message}`,
      );
    return this.db.transaction(async (m) => {
      const result = await m
        .createQueryBuilder()
        .insert()
        .into(FollowupLink)
        .values({
          dialogId,
          sessionId: dto.session_id,
          btermUserId: dto.bterm_user_id ?? null,
          ctermUserId: dto.cterm_user_id ?? null,
          doctorPartnerId: dto.user_id ?? null,
          operatorId: by.operatorId,
        })
        .orIgnore()
        .returning('id')
        .execute();
      if (!(result.raw as unknown[]).length) throw new AppException(ErrorCode.FOLLOWUP_ALREADY_LINKED);
      const link = await m.findOneByOrFail(FollowupLink, { dialogId });
      await this.record(m, by, 'followup.link', dialogId, { session_id: link.sessionId });
      return toFollowupLinkView(link);
    });
  }

  /** New messages of the dialog are no longer delivered; deliveries already recorded still go. */
  async unlink(dialogId: number, by: OperatorAct) {
    await this.dialogOrFail(dialogId);
    return this.db.transaction(async (m) => {
      const link = await m.findOne(FollowupLink, {
        where: { dialogId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!link) throw new AppException(ErrorCode.FOLLOWUP_NOT_LINKED);
      await m.delete(FollowupLink, { id: link.id });
      await this.record(m, by, 'followup.unlink', dialogId, { session_id: link.sessionId });
      return toFollowupLinkView(link);
    });
  }

  /** Deliveries, newest first, by status and dialog. */
  async list(q: DeliveriesQuery): Promise<Paged<ReturnType<typeof toFollowupDeliveryView>>> {
    const where: FindOptionsWhere<FollowupDelivery> = {};
    if (q.status) where.status = q.status;
    if (q.dialog_id) where.dialogId = q.dialog_id;
    const [rows, count] = await this.db.manager.findAndCount(FollowupDelivery, {
      where,
      order: { id: 'DESC' },
      skip: q.offset,
      take: q.page_size,
    });
    return paged(rows.map(toFollowupDeliveryView), count, q);
  }

  /**
   * An operator's deliberate resend of an `uncertain` delivery (after checking the partner's side) or a
   * `failed` one (after fixing its cause): back to `pending` with a new job, in one transaction.
   */
  async resend(id: number, by: OperatorAct) {
    return this.db.transaction(async (m) => {
      const d = await m.findOne(FollowupDelivery, {
        where: { id: String(id) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!d) throw new AppException(ErrorCode.FOLLOWUP_DELIVERY_NOT_FOUND);
      if (d.status !== 'uncertain' && d.status !== 'failed')
        throw new AppException(ErrorCode.FOLLOWUP_NOT_RESENDABLE);
      const previous = { status: d.status, error_kind: d.errorKind, error_code: d.errorCode };
      await m.update(FollowupDelivery, { id: d.id }, { status: 'pending' });
      await this.enqueue(m, d.dialogId);
      await this.record(m, by, 'followup.resend', d.id, previous, 'followup_delivery');
      return toFollowupDeliveryView(await m.findOneByOrFail(FollowupDelivery, { id: d.id }));
    });
  }

  /** Queues draining the dialog, inside `m`'s transaction (or on its own). */
  enqueue(m: EntityManager | undefined, dialogId: number): Promise<string | null> {
    return this.jobs.send<DeliverJob>(DELIVER_JOB, { dialogId }, { manager: m });
  }

  private async dialogOrFail(dialogId: number): Promise<void> {
    if (!(await this.db.manager.existsBy(ChatDialog, { id: dialogId })))
      throw new AppException(ErrorCode.FOLLOWUP_DIALOG_NOT_FOUND);
  }

  private record(
    m: EntityManager,
    by: OperatorAct,
    action: string,
    targetId: number | string,
    detail: Record<string, unknown>,
    targetType = 'chat_dialog',
  ): Promise<void> {
    return this.audit.record(
      { operatorId: by.operatorId, action, targetType, targetId, detail, ip: by.ip },
      m,
    );
  }
}
