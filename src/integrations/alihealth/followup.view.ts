import { formatDateTime } from 'src/common/time';
import type { FollowupDelivery } from './followup-delivery.entity';
import type { FollowupLink } from './followup-link.entity';

export function toFollowupLinkView(l: FollowupLink) {
  return {
    dialog_id: l.dialogId,
    session_id: l.sessionId,
    bterm_user_id: l.btermUserId ?? '',
    cterm_user_id: l.ctermUserId ?? '',
    user_id: l.doctorPartnerId ?? '',
    operator_id: l.operatorId,
    created_at: formatDateTime(l.createdAt),
  };
}

/** What operators see of a delivery; the message text stays in the chat (`message_id` points to it). */
export function toFollowupDeliveryView(d: FollowupDelivery) {
  return {
    id: Number(d.id),
    message_id: Number(d.messageId),
    dialog_id: d.dialogId,
    status: d.status,
    session_id: d.request.session_id,
    rs_type: d.request.rs_type,
    attempts: d.attempts,
    partner_message_id: d.partnerMessageId ?? '',
    error: d.errorKind ? { kind: d.errorKind, code: d.errorCode ?? '', message: d.errorMessage ?? '' } : null,
    created_at: formatDateTime(d.createdAt),
    updated_at: formatDateTime(d.updatedAt),
    delivered_at: formatDateTime(d.deliveredAt),
  };
}
