import { formatDateTime } from 'src/common/time';
import { News } from './news.entity';

/** 2.2.2 新闻公告 */
export function toNewsView(n: News) {
  return {
    id: n.id,
    title: n.title,
    photo: n.photo,
    content: n.content,
    publish_time: formatDateTime(n.publishTime),
  };
}

export type NewsView = ReturnType<typeof toNewsView>;

/** What operators see: the app's object plus where it is shown (0 for no hospital/org). */
export function toAdminNewsView(n: News) {
  return { ...toNewsView(n), type: n.type, hospital_id: n.hospitalId ?? 0, org_id: n.orgId ?? 0 };
}
