import { QaAnswer, QaEvaluation, QaInquiryRecord, QaOrder, QaQuestion, QaUser } from './feiqingsong.types';

/**
 * The partner's times are naive Beijing times with microseconds ("2017-03-23T10:11:26.514808"); the apps get
 * `YYYY-MM-DD HH:mm:ss` like every other datetime of the API. Anything else passes unchanged.
 */
export function qaTime(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(value);
  return m ? `${m[1]} ${m[2]}` : value;
}

/** A 肺轻松 account as shown: username, name and avatar (its invitation code stays out). */
const toUserView = (u: QaUser) => ({ username: u.owner, name: u.name, avatar: u.avatar });

const toQuestionView = (q: QaQuestion) => ({
  allergy_history: q.allergy_history,
  smoke_history: q.smoke_history,
  condition_description: q.condition_description,
  file_list: q.file_list,
  create_time: qaTime(q.create_time),
});

const toAnswerView = (a: QaAnswer) => ({
  doctor: toUserView(a.owner),
  diagnosis_tag: a.diagnosis_tag.map((t) => ({ name: t.name, description: t.description })),
  drug: a.drug.map((d) => ({
    name: d.name,
    standard: d.standard,
    total_dosage: d.total_dosage,
    each_dosage: d.each_dosage,
    day_times: d.day_times,
  })),
  diagnosis_result: a.diagnosis_result,
  extra_suggestion: a.extra_suggestion,
  create_time: qaTime(a.create_time),
});

export function toQaView(o: QaOrder) {
  return {
    question: o.question && toQuestionView(o.question),
    answer: o.answer && toAnswerView(o.answer),
  };
}

export function toOrderView(o: QaOrder) {
  return {
    order_number: o.order_number,
    status: o.status,
    status_display: o.status_display,
    amount: o.amount,
    order_type: o.order_type,
    order_type_display: o.order_type_display,
    channel: o.channel,
    channel_display: o.channel_display,
    doctor: toUserView(o.doctor),
    patient: toUserView(o.patient),
    create_time: qaTime(o.create_time),
    ...toQaView(o),
  };
}

export const toEvaluationView = (e: QaEvaluation) => ({
  scores: e.scores,
  scores_display: e.scores_display,
  content: e.content,
  evaluate_type: e.evaluate_type,
  evaluate_type_display: e.evaluate_type_display,
  patient: toUserView(e.patient),
  doctor: toUserView(e.doctor),
  create_time: qaTime(e.create_time),
});

export const toInquiryRecordView = (r: QaInquiryRecord) => ({
  order_number: r.order_number,
  create_time: qaTime(r.create_time),
});
