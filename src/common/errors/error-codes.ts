/**
 * The one table of error codes. Ranges: 1xxxx common, 2xxxx auth/users, 3xxxx projects/diagnoses,
 * 4xxxx payments, 5xxxx partners, 6xxxx chat/messages. Codes are stable: never renumber, only add.
 * `docs/error-codes.md` is generated from this table (`npm run docs:errors`) and a test keeps them equal.
 */
export enum ErrorCode {
  OK = 0,
  INTERNAL_ERROR = 10000,
  VALIDATION_FAILED = 10001,
  MALFORMED_BODY = 10002,
  PAYLOAD_TOO_LARGE = 10003,
  ROUTE_NOT_FOUND = 10004,
  RATE_LIMITED = 10005,
  SERVICE_UNAVAILABLE = 10006,
  UPLOAD_EMPTY = 10010,
  UPLOAD_NOT_IMAGE = 10011,
  UPLOAD_TOO_LARGE = 10012,
  REGION_NOT_FOUND = 10020,

  TOKEN_MISSING = 20001,
  TOKEN_INVALID = 20002,
  INVALID_CREDENTIALS = 20003,
  ACCOUNT_DISABLED = 20004,
  ROLE_FORBIDDEN = 20005,
  ACCOUNT_EXISTS = 20006,
  ACCOUNT_NOT_FOUND = 20007,
  CAPTCHA_INVALID = 20010,
  SMS_CODE_INVALID = 20011,
  SMS_CODE_LOCKED = 20012,
  SMS_TOO_FREQUENT = 20013,
  SMS_DAILY_LIMIT = 20014,
  SMS_IP_LIMIT = 20015,
  LOGIN_LOCKED = 20016,
  OPERATOR_INVALID_CREDENTIALS = 20020,
}

export interface ErrorSpec {
  status: number;
  message: string;
}

export const ERROR_TABLE: Record<ErrorCode, ErrorSpec> = {
  [ErrorCode.OK]: { status: 200, message: '' },
  [ErrorCode.INTERNAL_ERROR]: { status: 500, message: '服务器内部错误，请稍后再试' },
  [ErrorCode.VALIDATION_FAILED]: { status: 400, message: '请求参数不正确' },
  [ErrorCode.MALFORMED_BODY]: { status: 400, message: '请求格式错误：请求体或地址无法解析' },
  [ErrorCode.PAYLOAD_TOO_LARGE]: { status: 413, message: '请求体过大' },
  [ErrorCode.ROUTE_NOT_FOUND]: { status: 404, message: '接口或资源不存在' },
  [ErrorCode.RATE_LIMITED]: { status: 429, message: '请求过于频繁，请稍后再试' },
  [ErrorCode.SERVICE_UNAVAILABLE]: { status: 503, message: '服务暂不可用' },
  [ErrorCode.UPLOAD_EMPTY]: { status: 400, message: '请选择要上传的图片' },
  [ErrorCode.UPLOAD_NOT_IMAGE]: { status: 415, message: '只能上传图片（jpg、png、gif、webp）' },
  [ErrorCode.UPLOAD_TOO_LARGE]: { status: 413, message: '图片过大' },
  [ErrorCode.REGION_NOT_FOUND]: { status: 404, message: '地区不存在' },

  [ErrorCode.TOKEN_MISSING]: { status: 401, message: '请先登录' },
  [ErrorCode.TOKEN_INVALID]: { status: 401, message: '登录已失效，请重新登录' },
  [ErrorCode.INVALID_CREDENTIALS]: { status: 401, message: '手机号或密码错误' },
  [ErrorCode.ACCOUNT_DISABLED]: { status: 403, message: '账号已被禁用' },
  [ErrorCode.ROLE_FORBIDDEN]: { status: 403, message: '当前账号无权进行此操作' },
  [ErrorCode.ACCOUNT_EXISTS]: { status: 409, message: '该手机号已注册' },
  [ErrorCode.ACCOUNT_NOT_FOUND]: { status: 404, message: '用户不存在' },
  [ErrorCode.CAPTCHA_INVALID]: { status: 422, message: '图形验证码错误或已过期' },
  [ErrorCode.SMS_CODE_INVALID]: { status: 422, message: '短信验证码错误或已过期' },
  [ErrorCode.SMS_CODE_LOCKED]: { status: 422, message: '验证码错误次数过多，请重新获取' },
  [ErrorCode.SMS_TOO_FREQUENT]: { status: 429, message: '验证码发送过于频繁，请稍后再试' },
  [ErrorCode.SMS_DAILY_LIMIT]: { status: 429, message: '该手机号今日验证码次数已用完' },
  [ErrorCode.SMS_IP_LIMIT]: { status: 429, message: '当前网络发送验证码过多，请稍后再试' },
  [ErrorCode.LOGIN_LOCKED]: { status: 429, message: '密码错误次数过多，请稍后再试或使用验证码登录' },
  [ErrorCode.OPERATOR_INVALID_CREDENTIALS]: { status: 401, message: '运营账号或密码错误' },
};
