import { formatDateTime } from 'src/common/time';
import type { OrgMember } from './org-member.entity';
import { toOrgView } from './org.view';

/** 3.2.21 an application as the doctor sees it; `org` must be loaded. */
export const toMemberView = (m: OrgMember) => ({
  id: m.id,
  verify_status: m.verifyStatus,
  org_id: m.orgId,
  doctor_id: m.doctorId,
  org: toOrgView(m.org!),
});

/** The operator's review row: the application plus who applied (full phone: operators may see it). */
export const toAdminMemberView = (m: OrgMember) => ({
  ...toMemberView(m),
  doctor: { id: m.doctorId, real_name: m.doctor?.realName ?? '', phone: m.doctor?.phone ?? '' },
  created_at: formatDateTime(m.createdAt),
});
