import { isWholeIdno, maskIdno, maskPhone } from 'src/common/crypto/redaction';
import type { Paged } from 'src/common/http/pagination';
import { ReadItem, shownObjects } from 'src/modules/audit/read-audit.service';
import { toAddressView } from 'src/common/database/address';
import { ageOn } from 'src/common/time';
import { User, UserType, WorkTimeSlot } from './user.entity';

/** Figures computed from bookings, ratings and memberships; zero until those modules supply them. */
export interface UserStats {
  credit_score?: string;
  punctuality_score?: string;
  join_project_count?: number;
  done_project_count?: number;
  visits_count?: number;
  patient_count?: number;
  service_time_long?: number;
  score?: string;
  help_count?: number;
  org_list?: unknown[];
}

export interface ViewOptions {
  /** Full phone and ID number: the account itself, an assistant bound to the patient, operators. */
  reveal: boolean;
  /** Only in the caller's own login/register/profile responses. */
  token?: string;
  stats?: UserStats;
}

export { maskIdno, maskPhone };

function base(user: User, options: ViewOptions) {
  return {
    id: user.id,
    type: user.type,
    real_name: user.realName,
    phone: options.reveal ? user.phone : maskPhone(user.phone),
    avatars: user.avatars,
    idno: options.reveal ? (user.idno ?? '') : maskIdno(user.idno),
    sex: user.sex,
    birthday: user.birthday ?? '',
    age: ageOn(user.birthday),
    email: user.email,
    ...toAddressView(user.address),
    is_verify: user.isVerify,
  };
}

function withToken<T extends object>(view: T, token?: string): T & { token?: string } {
  return token ? { ...view, token } : view;
}

/** 2.2.3 患者信息 */
export function toPatientView(user: User, options: ViewOptions) {
  const s = options.stats ?? {};
  return withToken(
    {
      ...base(user, options),
      height: user.height,
      weight: user.weight,
      marital_status: user.maritalStatus,
      drink_status: user.drinkStatus,
      smoking_status: user.smokingStatus,
      credit_score: s.credit_score ?? '0.0',
      punctuality_score: s.punctuality_score ?? '0.0',
      join_project_count: s.join_project_count ?? 0,
      done_project_count: s.done_project_count ?? 0,
    },
    options.token,
  );
}

/** 2.2.4 医生信息 (v2.0) */
export function toDoctorView(user: User, options: ViewOptions) {
  const s = options.stats ?? {};
  const workTime: WorkTimeSlot[] = user.workTime ?? [];
  return withToken(
    {
      ...base(user, options),
      hospital_id: user.hospitalId ?? 0,
      hospital: user.hospital?.name ?? '',
      departments: user.departments,
      job_position: user.jobPosition,
      good_at: user.goodAt,
      work_photo: user.workPhoto ?? [],
      abstract: user.abstract,
      visits_count: s.visits_count ?? 0,
      patient_count: s.patient_count ?? 0,
      service_time_long: s.service_time_long ?? 0,
      work_time: workTime,
      score: s.score ?? '0.0',
      org_list: s.org_list ?? [],
    },
    options.token,
  );
}

/** 2.2.5 医助信息 */
export function toAssistantView(user: User, options: ViewOptions) {
  const s = options.stats ?? {};
  return withToken(
    { ...base(user, options), team_name: user.teamName, help_count: s.help_count ?? 0 },
    options.token,
  );
}

export type UserView =
  ReturnType<typeof toPatientView> | ReturnType<typeof toDoctorView> | ReturnType<typeof toAssistantView>;

/** The role's structure, chosen by the account's type. */
export function toUserView(user: User, options: ViewOptions): UserView {
  switch (user.type) {
    case UserType.Patient:
      return toPatientView(user, options);
    case UserType.Doctor:
      return toDoctorView(user, options);
    case UserType.Assistant:
      return toAssistantView(user, options);
  }
}

/** The whole ID numbers among user objects (one, a list or a page), for the read audit. */
export const idnoReads = (data: UserView | UserView[] | Paged<UserView>): ReadItem[] =>
  shownObjects<UserView>(data)
    .filter((u) => isWholeIdno(u.idno))
    .map((u) => ({ userId: u.id, recordType: 'idno', recordId: u.id }));
