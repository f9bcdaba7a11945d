/** Wire shapes of the 联空医问 gateway (doc §3), field names exactly as documented. Values travel as strings. */

/** 3.1 `lc.ask.get.deptList` */
export interface LcDept {
  dept_id: string;
  dept_name: string;
}

/** 3.2 `lc.ask.get.doctorList` (doctors name their department by `dept_name` only). */
export interface LcDoctor {
  doctor_id: string;
  doctor_name: string;
  doctor_idcardno: string;
  doctor_introduction: string;
  doctor_introduction_academic: string;
  doctor_introduction_edu: string;
  doctor_introduction_skill: string;
  doctor_sort: string;
  doctor_title: string;
  doctor_service_list: string;
  dept_name: string;
}

/** 3.3 `lc.ask.send.user`: a patient's question, signed; `order_id` is our unique serial. */
export interface LcSendUser {
  order_id: string;
  openid: string;
  patient_nickname?: string;
  patient_avatar?: string;
  /** yyyy-MM-dd */
  patient_birthdate?: string;
  patient_sex?: string;
  patient_tel?: string;
  ask_content: string;
  /** Image URLs; sent comma-joined so that every signed field is a plain string. */
  ask_imagelist?: string[];
  ask_createtime?: string;
  /** yyyy-MM-dd */
  appointment_date?: string;
  /** hh:mm-hh:mm */
  appointment_time?: string;
  dept_id?: string;
  doctor_id: string;
  consult_name: string;
  consult_amount: string;
}

/** 3.4 `lc.ask.reply.doctor`: `ask_status` 1 replied, 3 closed; `message_type` 0 text, 1 image (base64). */
export interface LcReplyDoctor {
  order_id: string;
  reply_content: string;
  reply_time?: string;
  ask_status: '1' | '3';
  message_type: '0' | '1';
}

/** 3.5 `lc.ask.get.evaluate` */
export interface LcEvaluation {
  evaluate_content: string;
  evaluate_score: string;
  evaluate_time: string;
}

export interface LcTimeRange {
  begintime: string;
  endtime: string;
}

export const WEEKDAY_LISTS = [
  'monday_list',
  'tuesday_list',
  'wednesday_list',
  'thursday_list',
  'friday_list',
  'saturday_list',
  'sunday_list',
] as const;
export type WeekdayList = (typeof WEEKDAY_LISTS)[number];

/** 3.6 `lc.ask.update.scheduling`: one doctor's weekly hours for one service. */
export type LcScheduling = {
  doctor_id: string;
  service_id: string;
  /** 1 all day, 0 the listed hours. */
  is_full_day: '0' | '1';
} & Record<WeekdayList, LcTimeRange[]>;

/** 3.7 `lc.ask.get.asklist` (begintime / endtime as the doc writes them). */
export interface LcAskListQuery {
  openid?: string;
  begintime: string;
  endtime: string;
}

export interface LcAskItem {
  order_id: string;
  doctor_name: string;
  customer_name: string;
  dept_name: string;
  ask_content: string;
  buy_link_again: string;
  detail_link: string;
  create_time: string;
  ask_status: string;
  pay_status: string;
  ask_price: string;
  service_name: string;
  feed_content: string;
  isBlack: string;
  patient_name: string;
}

/** 3.8 `lc.ask.upload.user`: a patient's details, signed. */
export interface LcUploadUser {
  openid: string;
  patient_nickname?: string;
  patient_avatar?: string;
  patient_tel: string;
}
