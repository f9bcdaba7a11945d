import { ErrorCode } from 'src/common/errors/error-codes';
import { clinicBody, IDNOS, shanghaiDate, slotOf } from '../clinic-factories';
import { nextPhone } from '../factories';
import { WECHAT_PNG } from '../fakes/wechat.fake';
import { TEST_SMS_CODE } from '../test-app';
import {
  Caller,
  Cells,
  Check,
  err,
  FORBIDDEN,
  holds,
  NA,
  ok,
  omits,
  operatorOnly,
  Outcome,
  RouteAuthz,
  TOKEN_CELLS,
} from './cells';
import { ALIHEALTH_AUTHZ } from './partners/alihealth';
import { FEIQINGSONG_AUTHZ } from './partners/feiqingsong';
import { H91160_AUTHZ } from './partners/h91160';
import { LINKINGCLOUD_AUTHZ } from './partners/linkingcloud';
import { OPERATOR_PASSWORD, OPERATOR_PHONE, World } from './world';

/** Public routes ignore whatever token comes along: every column gets the same answer. */
const everyone = (o: Outcome): Cells => ({
  none: o,
  expired: o,
  disabled: o,
  patient: o,
  doctor: o,
  assistant: o,
  owner: NA,
  stranger: NA,
  operator: o,
});

const maskedPhone: Check = {
  what: 'the phone masked',
  holds: (res, w) =>
    res.body.data !== null && (res.body.data as { phone: string }).phone !== w.owner.patient.phone,
};
const fullPhone: Check = {
  what: 'the phone in full',
  holds: (res, w) => (res.body.data as { phone?: string } | null)?.phone === w.owner.patient.phone,
};
const svgImage: Check = {
  what: 'an SVG image',
  holds: (res) => res.headers['content-type']?.startsWith('image/svg+xml') ?? false,
};
/** WeChat Pay's refusal (`{code: "FAIL"}`), the shape WeChat expects instead of the envelope. */
const wechatRefusal: Check = {
  what: 'WeChat Pay\'s {"code":"FAIL"}',
  holds: (res) => res.body.code === 'FAIL',
};

const notFound = (code: ErrorCode) => err(404, code);
const DIAGNOSIS_NOT_FOUND = notFound(ErrorCode.DIAGNOSIS_NOT_FOUND);
const PROJECT_NOT_FOUND = notFound(ErrorCode.PROJECT_NOT_FOUND);
const ORDER_NOT_FOUND = notFound(ErrorCode.ORDER_NOT_FOUND);

const PATIENT_PROFILE = {
  real_name: '张三',
  idno: IDNOS[0],
  height: '170',
  weight: '60',
  marital_status: 1,
  drink_status: 0,
  smoking_status: 0,
};

/** A complete profile of the caller's own kind (`PUT /user` validates the body by the account type). */
function profileOf(w: World, c: Caller): object {
  switch (c.role) {
    case 'doctor':
      return {
        real_name: '李医生',
        idno: IDNOS[1],
        hospital_id: w.hospitalId,
        departments: '内科',
        job_position: '主任医师',
        good_at: '常见病',
        work_photo: ['http://files.test/p.png'],
      };
    case 'assistant':
      return { real_name: '王医助', idno: IDNOS[2], team_name: '志愿队' };
    case 'patient':
    case 'operator':
      return PATIENT_PROFILE;
  }
}

const specialProject = () => ({
  date: shanghaiDate(3),
  begin: '08:00:00',
  end: '17:00:00',
  people_count: 100,
  addr: '北京市朝阳区社区中心',
  lng: 116.4,
  lat: 39.9,
  abstract: '社区健康日',
  photo: 'http://files.test/sp.png',
  price: 0,
  service_target: ['老年人'],
});

const none = () => ({});
/** Lists that must show (or hide) one record ask for a page large enough to hold everything the suite makes. */
const wholeList = () => ({ query: { page_size: 100 } });

/**
 * The authorization matrix: every route the router serves × who calls (`COLUMNS` in ./cells), with the answer
 * each caller must get (DESIGN §1 statuses, §2 roles, §6 who reads a booking, §9 operators; codes from
 * `src/common/errors/error-codes.ts`). `owner` names the role of the account that owns what the request names;
 * `stranger` is another account of that role, holding data of the same kinds. Someone else's record is "not
 * found" (404), never a 403 that would confirm it exists; a wrong role is 403 20005.
 */
export const AUTHZ_TABLE: Record<string, RouteAuthz> = {
  // ── public ──
  'GET /health': { request: none, cells: everyone(ok()) },
  'GET /health/live': { request: none, cells: everyone(ok()) },
  'GET /captcha/app': { request: none, cells: everyone({ status: 200, check: svgImage }) },
  'POST /verifycode': {
    // No captcha cookie: refused before any code is sent.
    request: () => ({ body: { phone: nextPhone(), captcha_code: 'zzzz' } }),
    cells: everyone(err(422, ErrorCode.CAPTCHA_INVALID)),
  },
  'POST /phone/verifycode': {
    request: () => ({ body: { phone: '12345' } }),
    cells: everyone(err(400, ErrorCode.VALIDATION_FAILED)),
  },
  'GET /city': { request: none, cells: everyone(ok()) },
  'GET /area/city': { request: () => ({ query: { name: '北京市' } }), cells: everyone(ok()) },
  'POST /register': {
    request: () => ({ body: { phone: nextPhone(), verify_code: '000000', pwd: 'secret123', type: 1 } }),
    cells: everyone(err(422, ErrorCode.SMS_CODE_INVALID)),
  },
  'POST /login': {
    request: (w) => ({ body: { phone: w.role.patient.phone, pwd: w.role.patient.password, type: 1 } }),
    cells: everyone(ok()),
  },
  'POST /login/phone': {
    request: () => ({ body: { phone: nextPhone(), verify_code: '000000' } }),
    cells: everyone(err(422, ErrorCode.SMS_CODE_INVALID)),
  },
  'POST /reset/pwd': {
    request: (w) => ({
      body: { phone: w.role.patient.phone, verify_code: '000000', pwd: 'secret456', type: 1 },
    }),
    cells: everyone(err(422, ErrorCode.SMS_CODE_INVALID)),
  },
  'POST /admin/login': {
    request: () => ({ body: { phone: OPERATOR_PHONE, pwd: OPERATOR_PASSWORD } }),
    cells: everyone(ok()),
  },
  'POST /payments/wechat/notify': {
    // Authenticated by WeChat Pay's signature, not by a token: an unsigned call is refused whoever sends it.
    request: () => ({ body: { id: 'evt-1', event_type: 'TRANSACTION.SUCCESS' } }),
    cells: everyone({ status: 401, check: wechatRefusal }),
  },

  // ── the caller's own account ──
  'GET /user': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'PUT /user': {
    request: (w, c) => ({ body: profileOf(w, c) }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /user/:id': {
    owner: 'patient',
    request: (w) => ({ params: { id: w.owner.patient.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(maskedPhone),
      doctor: ok(maskedPhone),
      assistant: ok(maskedPhone),
      owner: ok(fullPhone),
      stranger: ok(maskedPhone),
      operator: ok(fullPhone),
    },
  },
  'GET /logout': {
    endsSession: true,
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: ok(),
    },
  },
  'POST /imgupload': {
    request: () => ({ upload: { filename: 'a.png', contentType: 'image/png', content: WECHAT_PNG } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: ok(),
    },
  },
  'GET /weixin/media': {
    // The loopback WeChat does not know this media id (40007).
    request: () => ({ query: { media_id: 'unknown-media' } }),
    cells: {
      ...TOKEN_CELLS,
      patient: err(422, ErrorCode.WECHAT_MEDIA_INVALID),
      doctor: err(422, ErrorCode.WECHAT_MEDIA_INVALID),
      assistant: err(422, ErrorCode.WECHAT_MEDIA_INVALID),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /weixin/oauth': {
    request: () => ({ query: { code: 'unknown-code' } }),
    cells: {
      ...TOKEN_CELLS,
      patient: err(422, ErrorCode.WECHAT_OAUTH_CODE_INVALID),
      doctor: err(422, ErrorCode.WECHAT_OAUTH_CODE_INVALID),
      assistant: err(422, ErrorCode.WECHAT_OAUTH_CODE_INVALID),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /message': {
    owner: 'patient',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(omits("the owner's message", (w) => w.messageId)),
      doctor: ok(omits("the owner's message", (w) => w.messageId)),
      assistant: ok(omits("the owner's message", (w) => w.messageId)),
      owner: ok(holds("the owner's message", (w) => w.messageId)),
      stranger: ok(omits("the owner's message", (w) => w.messageId)),
      operator: FORBIDDEN,
    },
  },

  // ── shared directories and content ──
  'GET /hospital': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: ok(),
    },
  },
  'GET /org': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: ok(),
    },
  },
  'GET /news/:type/list': {
    request: () => ({ params: { type: 1 } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: ok(),
    },
  },
  'GET /news/:id': {
    request: (w) => ({ params: { id: w.news.read } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: ok(),
    },
  },
  'GET /sp_project': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /sp_project/:id': {
    request: (w) => ({ params: { id: w.sp.read } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /doctor/list': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /project': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /project/:id': {
    owner: 'doctor',
    request: (w) => ({ params: { id: w.project.main.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: ok(),
      owner: ok(),
      stranger: ok(),
      operator: FORBIDDEN,
    },
  },
  'GET /custom/doctor/:id/project': {
    owner: 'doctor',
    request: (w) => ({ params: { id: w.owner.doctor.id }, ...wholeList() }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(holds("the doctor's clinic", (w) => w.project.main.id)),
      doctor: ok(holds("the doctor's clinic", (w) => w.project.main.id)),
      assistant: ok(holds("the doctor's clinic", (w) => w.project.main.id)),
      owner: ok(holds("the doctor's clinic", (w) => w.project.main.id)),
      stranger: ok(holds("the doctor's clinic", (w) => w.project.main.id)),
      operator: FORBIDDEN,
    },
  },
  'GET /doctor/:id/comment': {
    // A doctor's ratings are public (patients masked, no casebooks).
    owner: 'doctor',
    request: (w) => ({ params: { id: w.owner.doctor.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(holds('the rated visit', (w) => w.booking.rated)),
      doctor: ok(holds('the rated visit', (w) => w.booking.rated)),
      assistant: ok(holds('the rated visit', (w) => w.booking.rated)),
      owner: ok(holds('the rated visit', (w) => w.booking.rated)),
      stranger: ok(holds('the rated visit', (w) => w.booking.rated)),
      operator: FORBIDDEN,
    },
  },

  // ── patients ──
  'GET /custom/center': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /custom/homepage': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: FORBIDDEN,
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /follow/user/:id': {
    request: (w) => ({ params: { id: w.owner.doctor.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: FORBIDDEN,
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'DELETE /follow/user/:id': {
    request: (w) => ({ params: { id: w.owner.doctor.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: FORBIDDEN,
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /custom/follow': {
    owner: 'patient',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(omits('the followed doctor', (w) => w.owner.doctor.id)),
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: ok(holds('the followed doctor', (w) => w.owner.doctor.id)),
      stranger: ok(omits('the followed doctor', (w) => w.owner.doctor.id)),
      operator: FORBIDDEN,
    },
  },
  'POST /project/:id/join': {
    request: (w) => ({
      params: { id: w.project.join.id },
      body: { content: '头痛三天', plan_time: slotOf(w.project.join) },
    }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /custom/project/:id/cancel': {
    owner: 'patient',
    request: (w) => ({ params: { id: w.project.leave.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: notFound(ErrorCode.BOOKING_NOT_FOUND),
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: notFound(ErrorCode.BOOKING_NOT_FOUND),
      operator: FORBIDDEN,
    },
  },
  'GET /diagnoses/:id': {
    // DESIGN §6: its patient, the clinic's doctor, that patient's assistants and operators; others "not found".
    owner: 'patient',
    request: (w) => ({ params: { id: w.booking.main } }),
    cells: {
      ...TOKEN_CELLS,
      patient: DIAGNOSIS_NOT_FOUND,
      doctor: DIAGNOSIS_NOT_FOUND,
      assistant: DIAGNOSIS_NOT_FOUND,
      owner: ok(),
      stranger: DIAGNOSIS_NOT_FOUND,
      operator: ok(),
    },
  },
  'GET /custom/diagnoses': {
    owner: 'patient',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(omits("the owner's booking", (w) => w.booking.main)),
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: ok(holds("the owner's booking", (w) => w.booking.main)),
      stranger: ok(omits("the owner's booking", (w) => w.booking.main)),
      operator: FORBIDDEN,
    },
  },
  'GET /custom/need/comment': {
    owner: 'patient',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(omits("the owner's unrated visit", (w) => w.booking.doctorComment)),
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: ok(holds("the owner's unrated visit", (w) => w.booking.doctorComment)),
      stranger: ok(omits("the owner's unrated visit", (w) => w.booking.doctorComment)),
      operator: FORBIDDEN,
    },
  },
  'GET /custom/payment/diagnoses': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /project/:id/casebook': {
    owner: 'patient',
    request: (w) => ({ params: { id: w.project.main.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: notFound(ErrorCode.CASEBOOK_NOT_FOUND),
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: notFound(ErrorCode.CASEBOOK_NOT_FOUND),
      operator: FORBIDDEN,
    },
  },
  'POST /custom/diagnoses/:id/comment': {
    owner: 'patient',
    request: (w) => ({
      params: { id: w.booking.patientComment },
      body: { doctor_score: 5, doctor_comment: '很耐心' },
    }),
    cells: {
      ...TOKEN_CELLS,
      patient: DIAGNOSIS_NOT_FOUND,
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: DIAGNOSIS_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },
  'GET /custom/assistant': {
    owner: 'patient',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(omits("the owner's assistant", (w) => w.owner.assistant.id)),
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: ok(holds("the owner's assistant", (w) => w.owner.assistant.id)),
      stranger: ok(omits("the owner's assistant", (w) => w.owner.assistant.id)),
      operator: FORBIDDEN,
    },
  },
  'GET /order/query/:sn': {
    // DESIGN §7: only its owner (or the assistant who booked it) may ask.
    owner: 'patient',
    request: (w) => ({ params: { sn: w.orderSn } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ORDER_NOT_FOUND,
      doctor: FORBIDDEN,
      assistant: ORDER_NOT_FOUND,
      owner: ok(),
      stranger: ORDER_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },
  'POST /payments/sandbox/:sn/confirm': {
    owner: 'patient',
    request: (w) => ({ params: { sn: w.orderSn } }),
    cells: {
      ...TOKEN_CELLS,
      patient: ORDER_NOT_FOUND,
      doctor: FORBIDDEN,
      assistant: ORDER_NOT_FOUND,
      owner: ok(),
      stranger: ORDER_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },
  'GET /chat': {
    owner: 'patient',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: ok(omits("the owner's dialog", (w) => w.dialogId)),
      doctor: ok(omits("the owner's dialog", (w) => w.dialogId)),
      assistant: FORBIDDEN,
      owner: ok(holds("the owner's dialog", (w) => w.dialogId)),
      stranger: ok(omits("the owner's dialog", (w) => w.dialogId)),
      operator: FORBIDDEN,
    },
  },
  'POST /chat': {
    // `type` must be the sender's role (1 patient, 2 doctor): each writes to the other side.
    request: (w, c) => ({
      body:
        c.role === 'doctor'
          ? { content: '请按时复诊', type: 2, to_user_id: w.owner.patient.id }
          : { content: '您好', type: 1, to_user_id: w.owner.doctor.id },
    }),
    cells: {
      ...TOKEN_CELLS,
      patient: ok(),
      doctor: ok(),
      assistant: FORBIDDEN,
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /chat/:id': {
    owner: 'patient',
    request: (w) => ({ params: { id: w.dialogId } }),
    cells: {
      ...TOKEN_CELLS,
      patient: notFound(ErrorCode.CHAT_DIALOG_NOT_FOUND),
      doctor: notFound(ErrorCode.CHAT_DIALOG_NOT_FOUND),
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: notFound(ErrorCode.CHAT_DIALOG_NOT_FOUND),
      operator: FORBIDDEN,
    },
  },

  // ── doctors ──
  'GET /doctor/index': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: ok(),
      assistant: FORBIDDEN,
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'POST /project': {
    request: () => ({ body: clinicBody(2) }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: ok(),
      assistant: FORBIDDEN,
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /doctor/project': {
    owner: 'doctor',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: ok(omits("the owner's clinic", (w) => w.project.main.id)),
      assistant: FORBIDDEN,
      owner: ok(holds("the owner's clinic", (w) => w.project.main.id)),
      stranger: ok(omits("the owner's clinic", (w) => w.project.main.id)),
      operator: FORBIDDEN,
    },
  },
  'GET /project/:id/cancel': {
    owner: 'doctor',
    request: (w) => ({ params: { id: w.project.cancel.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: PROJECT_NOT_FOUND,
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: PROJECT_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },
  'GET /project/:id/patient': {
    owner: 'doctor',
    request: (w) => ({ params: { id: w.project.main.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: PROJECT_NOT_FOUND,
      assistant: FORBIDDEN,
      owner: ok(holds('the booking', (w) => w.booking.main)),
      stranger: PROJECT_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },
  'GET /doctor/project/patient': {
    owner: 'doctor',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: ok(omits("the owner's booked patient", (w) => w.booking.main)),
      assistant: FORBIDDEN,
      owner: ok(holds("the owner's booked patient", (w) => w.booking.main)),
      stranger: ok(omits("the owner's booked patient", (w) => w.booking.main)),
      operator: FORBIDDEN,
    },
  },
  'GET /doctor/comment': {
    owner: 'doctor',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: ok(omits("the owner's rating", (w) => w.booking.rated)),
      assistant: FORBIDDEN,
      owner: ok(holds("the owner's rating", (w) => w.booking.rated)),
      stranger: ok(omits("the owner's rating", (w) => w.booking.rated)),
      operator: FORBIDDEN,
    },
  },
  'POST /diagnoses/:id/reject': {
    owner: 'doctor',
    request: (w) => ({ params: { id: w.booking.reject }, body: { reject_msg: '时间冲突' } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: DIAGNOSIS_NOT_FOUND,
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: DIAGNOSIS_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },
  'GET /diagnoses/:id/done': {
    owner: 'doctor',
    request: (w) => ({ params: { id: w.booking.done } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: DIAGNOSIS_NOT_FOUND,
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: DIAGNOSIS_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },
  'PUT /diagnoses/:id': {
    owner: 'doctor',
    request: (w) => ({ params: { id: w.booking.result }, body: { diag_result: '上呼吸道感染' } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: DIAGNOSIS_NOT_FOUND,
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: DIAGNOSIS_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },
  'POST /doctor/diagnoses/:id/comment': {
    owner: 'doctor',
    request: (w) => ({
      params: { id: w.booking.doctorComment },
      body: { patient_credit_score: 5, patient_punctuality_score: 4 },
    }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: DIAGNOSIS_NOT_FOUND,
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: DIAGNOSIS_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },
  'GET /all_diagnoses/:id': {
    // DESIGN §6: only a doctor who has (or had) a booking with that patient.
    owner: 'doctor',
    request: (w) => ({ params: { id: w.owner.patient.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: err(403, ErrorCode.PATIENT_NOT_TREATED),
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: err(403, ErrorCode.PATIENT_NOT_TREATED),
      operator: FORBIDDEN,
    },
  },
  'GET /doctor/assistant': {
    owner: 'doctor',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: ok(omits("the owner's follower", (w) => w.owner.assistant.id)),
      assistant: FORBIDDEN,
      owner: ok(holds("the owner's follower", (w) => w.owner.assistant.id)),
      stranger: ok(omits("the owner's follower", (w) => w.owner.assistant.id)),
      operator: FORBIDDEN,
    },
  },
  'GET /org/my': {
    owner: 'doctor',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: ok(omits("the owner's application", (w) => w.member.listed)),
      assistant: FORBIDDEN,
      owner: ok(holds("the owner's application", (w) => w.member.listed)),
      stranger: ok(omits("the owner's application", (w) => w.member.listed)),
      operator: FORBIDDEN,
    },
  },
  'POST /org_add/:org_id': {
    request: (w) => ({ params: { org_id: w.org.apply } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: ok(),
      assistant: FORBIDDEN,
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'DELETE /org_remove/:id': {
    owner: 'doctor',
    request: (w) => ({ params: { id: w.member.withdraw } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: notFound(ErrorCode.ORG_APPLICATION_NOT_FOUND),
      assistant: FORBIDDEN,
      owner: ok(),
      stranger: notFound(ErrorCode.ORG_APPLICATION_NOT_FOUND),
      operator: FORBIDDEN,
    },
  },

  // ── assistants ──
  'GET /assistant/center': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /assistant/homepage': {
    request: none,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /assistant/follow': {
    owner: 'assistant',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: ok(omits('the followed doctor', (w) => w.owner.doctor.id)),
      owner: ok(holds('the followed doctor', (w) => w.owner.doctor.id)),
      stranger: ok(omits('the followed doctor', (w) => w.owner.doctor.id)),
      operator: FORBIDDEN,
    },
  },
  'POST /assistant/bind/patient': {
    request: (w) => ({ body: { phone: w.bindablePatient.phone, verify_code: TEST_SMS_CODE } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'POST /assistant/create/patient': {
    request: () => ({ body: { ...PATIENT_PROFILE, phone: nextPhone(), pwd: 'secret123' } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: ok(),
      owner: NA,
      stranger: NA,
      operator: FORBIDDEN,
    },
  },
  'GET /assistant/patient': {
    owner: 'assistant',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: ok(omits('the bound patient', (w) => w.owner.patient.id)),
      owner: ok(holds('the bound patient', (w) => w.owner.patient.id)),
      stranger: ok(omits('the bound patient', (w) => w.owner.patient.id)),
      operator: FORBIDDEN,
    },
  },
  'POST /assistant/join/project/:id': {
    // Only for a patient bound to the caller.
    owner: 'assistant',
    request: (w) => ({
      params: { id: w.project.assistJoin.id },
      body: { user_id: w.owner.patient.id, plan_time: slotOf(w.project.assistJoin) },
    }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: notFound(ErrorCode.PATIENT_NOT_BOUND),
      owner: ok(),
      stranger: notFound(ErrorCode.PATIENT_NOT_BOUND),
      operator: FORBIDDEN,
    },
  },
  'GET /assistant/project': {
    owner: 'assistant',
    request: wholeList,
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: ok(omits('the clinic the owner booked', (w) => w.project.assistRead.id)),
      owner: ok(holds('the clinic the owner booked', (w) => w.project.assistRead.id)),
      stranger: ok(omits('the clinic the owner booked', (w) => w.project.assistRead.id)),
      operator: FORBIDDEN,
    },
  },
  'GET /assistant/project/:id/paitient': {
    owner: 'assistant',
    request: (w) => ({ params: { id: w.project.assistRead.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: ok(omits("the owner's booking", (w) => w.booking.assistRead)),
      owner: ok(holds("the owner's booking", (w) => w.booking.assistRead)),
      stranger: ok(omits("the owner's booking", (w) => w.booking.assistRead)),
      operator: FORBIDDEN,
    },
  },
  'GET /assistant/project/:id/patient': {
    owner: 'assistant',
    request: (w) => ({ params: { id: w.project.assistRead.id } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: ok(omits("the owner's booking", (w) => w.booking.assistRead)),
      owner: ok(holds("the owner's booking", (w) => w.booking.assistRead)),
      stranger: ok(omits("the owner's booking", (w) => w.booking.assistRead)),
      operator: FORBIDDEN,
    },
  },
  'GET /assistant/diagnoses/:id/cancel': {
    owner: 'assistant',
    request: (w) => ({ params: { id: w.booking.assistCancel } }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: DIAGNOSIS_NOT_FOUND,
      owner: ok(),
      stranger: DIAGNOSIS_NOT_FOUND,
      operator: FORBIDDEN,
    },
  },

  // ── operators ──
  'GET /admin/users': { request: none, cells: operatorOnly() },
  'POST /admin/users/:id/verify': {
    request: (w) => ({ params: { id: w.unverifiedDoctor.id }, body: { is_verify: 1 } }),
    cells: operatorOnly(),
  },
  'GET /admin/audit': { request: none, cells: operatorOnly() },
  'POST /admin/hospitals': { request: () => ({ body: { name: '权限测试医院' } }), cells: operatorOnly() },
  'PUT /admin/hospitals/:id': {
    request: (w) => ({ params: { id: w.hospitalId }, body: { name: '改名医院' } }),
    cells: operatorOnly(),
  },
  'POST /admin/orgs': { request: () => ({ body: { name: '新组织' } }), cells: operatorOnly() },
  'PUT /admin/orgs/:id': {
    request: (w) => ({ params: { id: w.org.edit }, body: { name: '改名组织' } }),
    cells: operatorOnly(),
  },
  'GET /admin/org_members': { request: none, cells: operatorOnly() },
  'POST /admin/org_members/:id/verify': {
    request: (w) => ({ params: { id: w.member.decide }, body: { verify_status: 1 } }),
    cells: operatorOnly(),
  },
  'GET /admin/news': { request: none, cells: operatorOnly() },
  'POST /admin/news': {
    request: () => ({ body: { type: 2, title: '通知', content: '<p>正文</p>' } }),
    cells: operatorOnly(),
  },
  'PUT /admin/news/:id': {
    request: (w) => ({ params: { id: w.news.edit }, body: { title: '改标题' } }),
    cells: operatorOnly(),
  },
  'GET /admin/banners': { request: none, cells: operatorOnly() },
  'POST /admin/banners': {
    request: () => ({ body: { app_type: 2, title: '活动', photo: 'http://files.test/b2.png' } }),
    cells: operatorOnly(),
  },
  'PUT /admin/banners/:id': {
    request: (w) => ({ params: { id: w.banner.edit }, body: { title: '改标题' } }),
    cells: operatorOnly(),
  },
  'DELETE /admin/banners/:id': {
    request: (w) => ({ params: { id: w.banner.remove } }),
    cells: operatorOnly(),
  },
  'POST /admin/messages': {
    request: () => ({ body: { app_type: 1, title: '通知', content: '明日停诊' } }),
    cells: operatorOnly(),
  },
  'GET /admin/sp_projects': { request: none, cells: operatorOnly() },
  'POST /admin/sp_projects': { request: () => ({ body: specialProject() }), cells: operatorOnly() },
  'PUT /admin/sp_projects/:id': {
    request: (w) => ({ params: { id: w.sp.edit }, body: { abstract: '改简介' } }),
    cells: operatorOnly(),
  },
  'POST /admin/sp_projects/:id/projects': {
    request: (w) => ({ params: { id: w.sp.attach }, body: { project_id: w.project.main.id } }),
    cells: operatorOnly(),
  },
  'DELETE /admin/sp_projects/:id/projects/:project_id': {
    request: (w) => ({ params: { id: w.sp.detach, project_id: w.project.main.id } }),
    cells: operatorOnly(),
  },
  'GET /admin/payments': { request: none, cells: operatorOnly() },
  'GET /admin/partners': { request: none, cells: operatorOnly() },

  // ── partners (each on a loopback fake) ──
  ...LINKINGCLOUD_AUTHZ,
  ...FEIQINGSONG_AUTHZ,
  ...H91160_AUTHZ,
  ...ALIHEALTH_AUTHZ,
  'POST /admin/payments/:id/refund/retry': {
    // A free booking has no payment to refund: the operator gets past authorization to the business answer.
    request: (w) => ({ params: { id: w.booking.main } }),
    cells: operatorOnly(notFound(ErrorCode.PAYMENT_NOT_FOUND)),
  },
};
