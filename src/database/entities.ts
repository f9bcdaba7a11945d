import { RateLimitCounter } from 'src/common/rate-limit/rate-limit-counter.entity';
import { Operator } from 'src/modules/admin/operator.entity';
import { AuditLog } from 'src/modules/audit/audit-log.entity';
import { ReadAudit } from 'src/modules/audit/read-audit.entity';
import { AuthToken } from 'src/common/auth/auth-token.entity';
import { Captcha } from 'src/modules/codes/captcha.entity';
import { SmsCode } from 'src/modules/codes/sms-code.entity';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { WechatToken } from 'src/integrations/wechat/wechat-token.entity';
import { FollowupDelivery } from 'src/integrations/alihealth/followup-delivery.entity';
import { FollowupLink } from 'src/integrations/alihealth/followup-link.entity';
import { H91160Appointment } from 'src/integrations/h91160/appointment.entity';
import { H91160SyncState } from 'src/integrations/h91160/h91160-sync-state.entity';
import { HospitalDepartment } from 'src/integrations/h91160/hospital-department.entity';
import { FeiqingsongAccount } from 'src/integrations/feiqingsong/feiqingsong-account.entity';
import { QaOrderRecord } from 'src/integrations/feiqingsong/qa-order.entity';
import { AssistantPatient } from 'src/modules/assistants/assistant-patient.entity';
import { Banner } from 'src/modules/banners/banner.entity';
import { ChatDialog } from 'src/modules/chat/chat-dialog.entity';
import { ChatMessage } from 'src/modules/chat/chat-message.entity';
import { Casebook } from 'src/modules/diagnoses/casebook.entity';
import { Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import { ProjectSlot } from 'src/modules/projects/project-slot.entity';
import { Project } from 'src/modules/projects/project.entity';
import { SpecialProject } from 'src/modules/special-projects/special-project.entity';
import { MessageRead } from 'src/modules/messages/message-read.entity';
import { Message } from 'src/modules/messages/message.entity';
import { News } from 'src/modules/news/news.entity';
import { OrgMember } from 'src/modules/orgs/org-member.entity';
import { PaymentEvent } from 'src/modules/payments/payment-event.entity';
import { Org } from 'src/modules/orgs/org.entity';
import { Follow } from 'src/modules/social/follow.entity';
import { Region } from 'src/modules/regions/region.entity';
import { UserStat } from 'src/modules/users/user-stat.entity';
import { User } from 'src/modules/users/user.entity';
import { ConsultDoctorLink } from 'src/modules/consult/consult-doctor-link.entity';
import { ConsultQuestion } from 'src/modules/consult/consult-question.entity';

/** Every entity, listed once for the app, the CLI and the schema check. */
export const ENTITIES = [
  User,
  AuthToken,
  Operator,
  AuditLog,
  ReadAudit,
  Region,
  Captcha,
  SmsCode,
  RateLimitCounter,
  Hospital,
  Org,
  OrgMember,
  Follow,
  News,
  Banner,
  Message,
  MessageRead,
  UserStat,
  Project,
  ProjectSlot,
  Casebook,
  Diagnosis,
  SpecialProject,
  AssistantPatient,
  ChatDialog,
  ChatMessage,
  WechatToken,
  FollowupLink,
  FollowupDelivery,
  PaymentEvent,
  ConsultQuestion,
  ConsultDoctorLink,
  FeiqingsongAccount,
  QaOrderRecord,
  HospitalDepartment,
  H91160SyncState,
  H91160Appointment,
];
