/** 肺轻松 QA orders, as the partner's Django REST Framework API sends them (seed 002). */

/** Which side of an order the caller lists from: `patient` for our patients, `doctor` for the partner's doctors. */
export type QaPosition = 'patient' | 'doctor';
export const QA_POSITIONS: readonly QaPosition[] = ['patient', 'doctor'];

/** 在线咨询 or 包月服务. */
export type QaOrderType = 'online' | 'monthly';
export const QA_ORDER_TYPES: readonly QaOrderType[] = ['online', 'monthly'];

/** 微信, 支付宝, 余额. */
export type QaPayChannel = 'wx' | 'alipay' | 'balance';
export const QA_PAY_CHANNELS: readonly QaPayChannel[] = ['wx', 'alipay', 'balance'];

/** `status` of an order. */
export enum QaOrderStatus {
  Unpaid = 0,
  Paid = 1,
  AwaitingAnswer = 2,
  Answered = 3,
  AwaitingEvaluation = 4,
  Evaluated = 5,
  Cancelled = 6,
}
export const QA_ORDER_STATUSES = [0, 1, 2, 3, 4, 5, 6] as const;

export const QA_STATUS_DISPLAY: Record<QaOrderStatus, string> = {
  [QaOrderStatus.Unpaid]: '待支付',
  [QaOrderStatus.Paid]: '已支付',
  [QaOrderStatus.AwaitingAnswer]: '待回答',
  [QaOrderStatus.Answered]: '已回答',
  [QaOrderStatus.AwaitingEvaluation]: '待评价',
  [QaOrderStatus.Evaluated]: '已评价',
  [QaOrderStatus.Cancelled]: '取消',
};

/** A patient or doctor as embedded in orders and evaluations; `owner` is the account's username. */
export interface QaUser {
  owner: string;
  invitation_code: string;
  name: string;
  avatar: string;
}

export interface QaQuestion {
  pk: number;
  owner: QaUser;
  order: string;
  allergy_history: string;
  smoke_history: string;
  condition_description: string;
  file_list: string[];
  desc_files: string;
  create_time: string;
}

export interface QaDiagnosisTag {
  pk: number;
  owner: string;
  name: string;
  description: string;
}

export interface QaDrug {
  pk: number;
  owner: string;
  name: string;
  standard: string;
  total_dosage: string;
  each_dosage: string;
  day_times: string;
}

export interface QaAnswer {
  pk: number;
  owner: QaUser;
  question: number;
  diagnosis_tag: QaDiagnosisTag[];
  drug: QaDrug[];
  diagnosis_result: string;
  extra_suggestion: string;
  create_time: string;
}

export interface QaOrder {
  pk: number;
  patient: QaUser;
  doctor: QaUser;
  question: QaQuestion | null;
  answer: QaAnswer | null;
  order_number: string;
  /** Yuan as a decimal string ("19.00"). */
  amount: string;
  status: QaOrderStatus;
  status_display: string;
  channel: string;
  channel_display: string;
  order_type: QaOrderType;
  order_type_display: string;
  /** Naive local time with microseconds ("2017-03-23T10:11:26.514808"). */
  create_time: string;
}

export interface QaEvaluation {
  pk: number;
  patient: QaUser;
  doctor: QaUser;
  scores: number;
  scores_display: string;
  content: string;
  create_time: string;
  evaluate_type: string;
  evaluate_type_display: string;
}

export interface QaInquiryRecord {
  pk: number;
  order_number: string;
  create_time: string;
}

/** A Ping++ charge, passed to the app's payment SDK as is. */
export interface QaCharge extends Record<string, unknown> {
  id: string;
  object: 'charge';
  order_no: string;
  channel: string;
  amount: number;
  credential: Record<string, unknown>;
}

/** DRF `PageNumberPagination`: `next`/`previous` are absolute URLs (or null). */
export interface DrfPage<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}
