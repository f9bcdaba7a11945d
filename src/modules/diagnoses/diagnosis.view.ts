import type { Paged } from 'src/common/http/pagination';
import { formatDateTime } from 'src/common/time';
import { ReadItem, shownObjects } from 'src/modules/audit/read-audit.service';
import { slotLabel } from 'src/modules/projects/slots';
import type { User } from 'src/modules/users/user.entity';
import { idnoReads, UserView } from 'src/modules/users/user.view';
import type { Casebook } from './casebook.entity';
import type { Diagnosis } from './diagnosis.entity';

/** Integer fen (never negative) as the seed's yuan string: `5000` → `"50.00"`, exact where float division is not. */
export const yuanText = (fen: number): string =>
  `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** 2.2.6 病例信息 */
export const toCasebookView = (c: Casebook) => ({ id: c.id, photo: c.photo ?? [], content: c.content });

export type CasebookView = ReturnType<typeof toCasebookView>;

/** A booking loaded with what its object shows (see `DiagnosisViewsService.query`). */
export type LoadedDiagnosis = Diagnosis & Required<Pick<Diagnosis, 'user' | 'casebook' | 'slot' | 'project'>>;

/**
 * 2.2.9 诊断信息, plus the clinic (`project_id`, a small `project_info`), the slot label (`plan_time`) and the
 * deposit fields of DESIGN §7. Unset datetimes and texts are "", unset scores 0; `refund_status` stays null until a
 * refund exists. `casebook_info` is null where the patient's notes are not the viewer's business.
 */
export function toDiagnosisView(d: LoadedDiagnosis, userInfo: UserView, casebook: boolean) {
  const p = d.project;
  return {
    id: d.id,
    project_id: d.projectId,
    assistant_user_id: d.assistantUserId ?? 0,
    verify_status: d.verifyStatus,
    reject_msg: d.rejectMsg,
    visit_time: formatDateTime(d.visitTime),
    plan_time: slotLabel(d.slot),
    diag_result: d.diagResult,
    diag_photo: d.diagPhoto ?? [],
    status: d.status,
    amount: yuanText(d.amountFen),
    sn: d.sn ?? '',
    refund_status: d.refundStatus,
    refund_sn: d.refundSn ?? '',
    refund_time: formatDateTime(d.refundTime),
    confirm_no_refund: d.confirmNoRefund,
    patient_credit_score: d.patientCreditScore ?? 0,
    patient_punctuality_score: d.patientPunctualityScore ?? 0,
    doctor_comment_time: formatDateTime(d.doctorCommentTime),
    doctor_score: d.doctorScore ?? 0,
    doctor_comment: d.doctorComment,
    patient_comment_time: formatDateTime(d.patientCommentTime),
    user_info: userInfo,
    casebook_info: casebook ? toCasebookView(d.casebook) : null,
    project_info: { id: p.id, date: p.date, begin: p.begin, end: p.end, addr: p.addr },
  };
}

export type DiagnosisView = ReturnType<typeof toDiagnosisView>;

/**
 * What 2.2.9 objects (one, or a page) disclose, for the read audit: each booking shown with its casebook and
 * diagnosis, and each patient's whole ID number.
 */
export const diagnosisReads = (
  data: DiagnosisView | Paged<DiagnosisView> | Record<string, never>,
): ReadItem[] => {
  const shown = shownObjects<DiagnosisView>(data);
  return [
    ...shown
      .filter((d) => d.casebook_info !== null)
      .map((d): ReadItem => ({ userId: d.user_info.id, recordType: 'diagnosis', recordId: d.id })),
    ...idnoReads(shown.map((d) => d.user_info)),
  ];
};

/** The `doctor` / `user` of a 3.2.22 record: just enough to name and picture them. */
const brief = (u: Pick<User, 'id' | 'realName' | 'avatars'> | undefined, id: number) => ({
  id,
  real_name: u?.realName ?? '',
  avatars: u?.avatars ?? '',
});

const dateTimeOrNull = (date: Date | null) => (date ? formatDateTime(date) : null);

/**
 * One booking in 3.2.22 `/all_diagnoses/{id}`: the seed prints the table's columns as they are (snake_case, nulls
 * kept, `amount` in yuan) with the casebook, doctor and patient nested. There is no comment moderation, so both
 * `*_comment_show` flags are always 1.
 */
export function toPatientRecordView(
  d: LoadedDiagnosis,
  doctor: Pick<User, 'id' | 'realName' | 'avatars'> | undefined,
) {
  const c = d.casebook;
  return {
    id: d.id,
    hospital_id: d.hospitalId ?? 0,
    assistant_user_id: d.assistantUserId ?? 0,
    user_id: d.userId,
    doctor_user_id: d.doctorUserId,
    project_id: d.projectId,
    casebook_id: d.casebookId,
    verify_status: d.verifyStatus,
    reject_msg: d.rejectMsg,
    visit_time: formatDateTime(d.visitTime),
    status: d.status,
    amount: yuanText(d.amountFen),
    refund_status: d.refundStatus,
    refund_time: dateTimeOrNull(d.refundTime),
    refund_sn: d.refundSn,
    confirm_no_refund: d.confirmNoRefund,
    sn: d.sn,
    diag_result: d.diagResult,
    diag_photo: d.diagPhoto ?? [],
    patient_credit_score: d.patientCreditScore ?? 0,
    patient_punctuality_score: d.patientPunctualityScore ?? 0,
    patient_comment_show: 1,
    doctor_comment_time: dateTimeOrNull(d.doctorCommentTime),
    doctor_score: d.doctorScore ?? 0,
    doctor_comment: d.doctorComment,
    doctor_comment_show: 1,
    patient_comment_time: dateTimeOrNull(d.patientCommentTime),
    plan_time: slotLabel(d.slot),
    created_at: formatDateTime(d.createdAt),
    updated_at: formatDateTime(d.updatedAt),
    casebook: {
      id: c.id,
      user_id: c.userId,
      project_id: c.projectId,
      content: c.content,
      photo: c.photo ?? [],
      created_at: formatDateTime(c.createdAt),
      updated_at: formatDateTime(c.updatedAt),
    },
    doctor: brief(doctor, d.doctorUserId),
    user: brief(d.user, d.userId),
  };
}

export type PatientRecordView = ReturnType<typeof toPatientRecordView>;

/** What 3.2.22 discloses, for the read audit: every booking of the patient's history. */
export const patientRecordReads = (records: PatientRecordView[]): ReadItem[] =>
  records.map((r) => ({ userId: r.user_id, recordType: 'diagnosis', recordId: r.id }));
