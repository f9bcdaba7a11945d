import { formatDateTime } from 'src/common/time';
import type { User } from 'src/modules/users/user.entity';
import type { UserView } from 'src/modules/users/user.view';
import type { ChatDialog } from './chat-dialog.entity';
import type { ChatMessage } from './chat-message.entity';

/** What a message shows of its two parties. */
export type ChatParty = Pick<User, 'id' | 'realName' | 'avatars'>;

export const partiesById = (users: ChatParty[]) => new Map(users.map((u) => [u.id, u]));

function partyView(parties: Map<number, ChatParty>, id: number) {
  const u = parties.get(id);
  return { real_name: u?.realName ?? '', avatars: u?.avatars ?? '' };
}

/** 2.2.13 留言信息. The seed types `dialog_id` as a string; `created_at` is added for the apps' timestamps. */
export function toChatMessageView(m: ChatMessage, parties: Map<number, ChatParty>) {
  return {
    id: Number(m.id),
    type: m.type,
    from_user_id: m.fromUserId,
    to_user_id: m.toUserId,
    content: m.content,
    photo: m.photo ?? [],
    is_read: m.isRead,
    dialog_id: String(m.dialogId),
    created_at: formatDateTime(m.createdAt),
    from_user: partyView(parties, m.fromUserId),
    to_user: partyView(parties, m.toUserId),
  };
}

export type ChatMessageView = ReturnType<typeof toChatMessageView>;

export interface DialogParts {
  lastMsg: ChatMessageView | null;
  patientUser: UserView | null;
  doctorUser: UserView | null;
  /** Messages to the caller not yet read. */
  unread: number;
}

/** 2.2.14 留言对话对象信息, with the caller's `unread` count. The seed types `last_msg_id` as a string. */
export function toChatDialogView(d: ChatDialog, parts: DialogParts) {
  return {
    id: d.id,
    patient_user_id: d.patientUserId,
    doctor_user_id: d.doctorUserId,
    last_msg_id: d.lastMsgId ?? '',
    last_msg: parts.lastMsg,
    patient_user: parts.patientUser,
    doctor_user: parts.doctorUser,
    unread: parts.unread,
  };
}
