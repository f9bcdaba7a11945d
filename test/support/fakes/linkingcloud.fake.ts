import { randomBytes } from 'node:crypto';
import { linkingcloudSign, SignCase, SignMode } from 'src/integrations/linkingcloud/linkingcloud.sign';
import { LcDept, LcDoctor, LcEvaluation } from 'src/integrations/linkingcloud/linkingcloud.types';
import { FakeReply, FakeRequest, formParams, jsonBody, PartnerFake } from './partner-fake';

export interface FakeLinkingcloudOptions {
  appId: string;
  appSecret: string;
  /** How the fake recomputes `sign` (hex case is ignored when comparing). */
  signMode?: SignMode;
  successCode?: string;
  /** Lifetime of the tokens it issues (the real gateway: 43199 s). */
  tokenTtlSeconds?: number;
}

export const LC_DEPTS: LcDept[] = [
  { dept_id: 'D01', dept_name: '呼吸内科' },
  { dept_id: 'D02', dept_name: '儿科' },
];

const doctor = (doctor_id: string, doctor_name: string, dept_name: string, sort: string): LcDoctor => ({
  doctor_id,
  doctor_name,
  doctor_idcardno: '',
  doctor_introduction: '慢阻肺',
  doctor_introduction_academic: '',
  doctor_introduction_edu: '',
  doctor_introduction_skill: '呼吸系统疾病',
  doctor_sort: sort,
  doctor_title: '主任医师',
  doctor_service_list: '图文咨询',
  dept_name,
});

export const LC_DOCTORS: LcDoctor[] = [
  doctor('LCD1001', '王医生', '呼吸内科', '1'),
  doctor('LCD1002', '赵医生', '呼吸内科', '2'),
  doctor('LCD1003', '钱医生', '呼吸内科', '3'),
  doctor('LCD2001', '孙医生', '儿科', '1'),
];

/** Business codes this fake answers with (the real ones are not documented). */
export const LC_FAKE_CODES = {
  missingParam: '1001',
  badSign: '1002',
  unknownMethod: '1003',
  unknownDoctor: '2001',
  unknownOrder: '2002',
} as const;

/** Required fields of each method (doc §3, "是否必须 Y"), besides `method` and the credentials. */
const REQUIRED: Record<string, string[]> = {
  'lc.ask.get.deptList': [],
  'lc.ask.get.doctorList': [],
  'lc.ask.send.user': [
    'order_id',
    'openid',
    'ask_content',
    'doctor_id',
    'consult_name',
    'consult_amount',
    'sign',
  ],
  'lc.ask.reply.doctor': ['order_id', 'reply_content', 'ask_status', 'message_type'],
  'lc.ask.get.evaluate': ['order_id', 'openid'],
  'lc.ask.update.scheduling': ['doctor_id', 'service_id', 'is_full_day'],
  'lc.ask.get.asklist': ['begintime', 'endtime'],
  'lc.ask.upload.user': ['openid', 'patient_tel', 'sign'],
};
const SIGNED = new Set(['lc.ask.send.user', 'lc.ask.upload.user']);

type Body = Record<string, unknown>;

/**
 * The 联空医问 gateway on loopback: `/oauth/token` (form, client id and secret, expiring tokens) and
 * `/api/gateway` (JSON, token or `app_id` + `sign`, required fields, `reponse_result` envelope). Records what
 * arrived for assertions: questions by `order_id`, schedules, synced users, replies.
 */
export class FakeLinkingcloud extends PartnerFake {
  tokenTtlSeconds: number;
  /** Requests that reached `/oauth/token`. */
  tokenFetches = 0;
  /** Questions by `order_id` (a repeated `order_id` is acknowledged, not stored twice). */
  readonly questions = new Map<string, Body>();
  readonly schedules: Body[] = [];
  /** Every upload.user, oldest first. */
  readonly userUploads: Body[] = [];
  readonly replies: Body[] = [];
  readonly evaluations = new Map<string, LcEvaluation>();
  private readonly tokens = new Map<string, number>();
  private readonly refusals = new Map<string, { code: string; message: string }>();
  private readonly successCode: string;
  private readonly signMode: SignMode;

  constructor(private readonly options: FakeLinkingcloudOptions) {
    super();
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 43199;
    this.successCode = options.successCode ?? '0';
    this.signMode = options.signMode ?? 'suffix';
  }

  /** Every token issued so far stops working (as after a key rotation at the partner). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** The next call of `method` is refused with this business code. */
  refuseNext(method: string, code: string, message: string): void {
    this.refusals.set(method, { code, message });
  }

  /** The tokens issued so far (for checking that none leaks). */
  get issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  reset(): void {
    this.heal();
    this.requests.length = 0;
    this.tokenFetches = 0;
    this.tokenTtlSeconds = this.options.tokenTtlSeconds ?? 43199;
    this.tokens.clear();
    this.refusals.clear();
    this.questions.clear();
    this.schedules.length = 0;
    this.userUploads.length = 0;
    this.replies.length = 0;
    this.evaluations.clear();
  }

  /** The sign the gateway expects for `body`. */
  signOf(body: Body, signCase: SignCase = 'lower'): string {
    const params = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v as string]));
    return linkingcloudSign(params, this.options.appSecret, { mode: this.signMode, case: signCase });
  }

  protected handle(req: FakeRequest): FakeReply {
    if (req.method === 'POST' && req.path === '/oauth/token') return this.token(req);
    if (req.method === 'POST' && req.path === '/api/gateway') return this.gateway(req);
    return { status: 404, body: { Message: 'No HTTP resource was found that matches the request URI.' } };
  }

  private token(req: FakeRequest): FakeReply {
    this.tokenFetches += 1;
    const form = formParams(req);
    if (form.grant_type !== 'client_credentials')
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    if (form.client_id !== this.options.appId || form.client_secret !== this.options.appSecret) {
      return {
        status: 400,
        body: { error: 'invalid_clientSecret', error_description: 'AppID 或者 AppSecret 不正确' },
      };
    }
    const token = randomBytes(48).toString('base64url');
    const issued = new Date();
    const expires = new Date(issued.getTime() + this.tokenTtlSeconds * 1000);
    this.tokens.set(token, expires.getTime());
    return {
      body: {
        access_token: token,
        token_type: 'bearer',
        expires_in: this.tokenTtlSeconds,
        refresh_token: randomBytes(48).toString('base64url'),
        app_id: this.options.appId,
        '.issued': issued.toUTCString(),
        '.expires': expires.toUTCString(),
      },
    };
  }

  private gateway(req: FakeRequest): FakeReply {
    const body = jsonBody(req);
    if (!body || !String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return this.result(LC_FAKE_CODES.missingParam, '请以 application/json 提交 JSON 对象');
    const method = typeof body.method === 'string' ? body.method : '';
    const required = REQUIRED[method];
    if (!required) return this.result(LC_FAKE_CODES.unknownMethod, `未知的方法 ${method}`);
    if (method === 'lc.ask.send.user') {
      if (body.app_id !== this.options.appId) return this.result(LC_FAKE_CODES.badSign, 'app_id 不正确');
    } else {
      const expiresAt = this.tokens.get(typeof body.access_token === 'string' ? body.access_token : '');
      if (!expiresAt || expiresAt <= Date.now()) {
        return {
          status: 401,
          body: { error: 'invalid_token', error_description: 'access_token 无效或已过期' },
        };
      }
    }
    const missing = required.find((f) => body[f] === undefined || body[f] === null || body[f] === '');
    if (missing) return this.result(LC_FAKE_CODES.missingParam, `缺少参数 ${missing}`);
    if (SIGNED.has(method) && String(body.sign).toLowerCase() !== this.signOf(body))
      return this.result(LC_FAKE_CODES.badSign, '签名错误');
    const refusal = this.refusals.get(method);
    if (refusal) {
      this.refusals.delete(method);
      return this.result(refusal.code, refusal.message);
    }
    return this.dispatch(method, body);
  }

  private dispatch(method: string, body: Body): FakeReply {
    switch (method) {
      case 'lc.ask.get.deptList':
        return this.result(this.successCode, 'ok', { dept_list: LC_DEPTS });
      case 'lc.ask.get.doctorList':
        return this.result(this.successCode, 'ok', { doctor_list: LC_DOCTORS });
      case 'lc.ask.send.user':
        if (!LC_DOCTORS.some((d) => d.doctor_id === body.doctor_id))
          return this.result(LC_FAKE_CODES.unknownDoctor, '医生不存在');
        if (!this.questions.has(String(body.order_id))) this.questions.set(String(body.order_id), body);
        return this.result(this.successCode, 'ok');
      case 'lc.ask.reply.doctor':
        if (!this.questions.has(String(body.order_id)))
          return this.result(LC_FAKE_CODES.unknownOrder, '订单不存在');
        this.replies.push(body);
        return this.result(this.successCode, 'ok');
      case 'lc.ask.get.evaluate': {
        const question = this.questions.get(String(body.order_id));
        if (!question || question.openid !== body.openid)
          return this.result(LC_FAKE_CODES.unknownOrder, '订单不存在');
        const none = { evaluate_content: '', evaluate_score: '', evaluate_time: '' };
        return this.result(this.successCode, 'ok', {
          evaluate_info: this.evaluations.get(String(body.order_id)) ?? none,
        });
      }
      case 'lc.ask.update.scheduling':
        this.schedules.push(body);
        return this.result(this.successCode, 'ok');
      case 'lc.ask.get.asklist':
        return this.result(this.successCode, 'ok', { user_ask_list: this.askList(body) });
      case 'lc.ask.upload.user':
        this.userUploads.push(body);
        return this.result(this.successCode, 'ok');
      default:
        return this.result(LC_FAKE_CODES.unknownMethod, `未知的方法 ${method}`);
    }
  }

  private askList(body: Body) {
    return [...this.questions.values()]
      .filter((q) => !body.openid || q.openid === body.openid)
      .map((q) => ({
        order_id: q.order_id,
        doctor_name: LC_DOCTORS.find((d) => d.doctor_id === q.doctor_id)?.doctor_name ?? '',
        customer_name: '测试商户',
        dept_name: '',
        ask_content: q.ask_content,
        buy_link_again: '',
        detail_link: '',
        create_time: q.ask_createtime ?? '',
        ask_status: '0',
        pay_status: '0',
        ask_price: q.consult_amount,
        service_name: q.consult_name,
        feed_content: '',
        isBlack: '0',
        patient_name: q.patient_nickname ?? '',
      }));
  }

  private result(code: string, message: string, extra: Body = {}): FakeReply {
    return { body: { reponse_result: { code, message }, ...extra } };
  }
}
