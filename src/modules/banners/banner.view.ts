import { Banner } from './banner.entity';

/** 2.2.1 banner广告 */
export function toBannerView(b: Banner) {
  return {
    id: b.id,
    title: b.title,
    photo: b.photo,
    jump_mode: b.jumpMode,
    jump_id: b.jumpId,
    href: b.href,
  };
}

export type BannerView = ReturnType<typeof toBannerView>;

/** What operators see: the app's object plus where and in which order it is shown (0 for no hospital/org). */
export function toAdminBannerView(b: Banner) {
  return {
    ...toBannerView(b),
    app_type: b.appType,
    hospital_id: b.hospitalId ?? 0,
    org_id: b.orgId ?? 0,
    sort: b.sort,
  };
}
