import { formatDateTime } from 'src/common/time';
import { Message } from './message.entity';

export type MessageFields = Pick<
  Message,
  'id' | 'type' | 'title' | 'content' | 'senderName' | 'senderAvatar' | 'publishTime'
>;

/** 2.2.7 消息信息 */
export function toMessageView(m: MessageFields) {
  return {
    id: Number(m.id),
    type: m.type,
    title: m.title,
    content: m.content,
    publish_time: formatDateTime(m.publishTime),
    username: m.senderName,
    avatars: m.senderAvatar,
  };
}

/** In `/message`: whether the caller had read it before this listing (0/1), beside the seed's fields. */
export function toInboxView(m: MessageFields & { isRead: boolean }) {
  return { ...toMessageView(m), is_read: m.isRead ? 1 : 0 };
}
