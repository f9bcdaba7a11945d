import { PartnerCallError } from '../partner-http/partner-call.error';
import { asRecord, PartnerHttp, PartnerResponse } from '../partner-http/partner-http';
import { signTopRequest, TopParams, TopSignMethod, topSystemParams } from './top-sign';

export const ALIHEALTH_PARTNER = 'alihealth';
export const ALIHEALTH_LABEL = '阿里健康随访';
export const FOLLOWUP_SEND_METHOD = 'alibaba.alihealth.followup.send';
/** Success wrapper: the method with `.` → `_`, plus `_response` (dropped with `simplify=true`). */
const FOLLOWUP_SEND_RESPONSE = 'alibaba_alihealth_followup_send_response';
const OP = 'followup.send';

/** Gateway codes (PARTNERS §1): 25 invalid signature, 26/27 missing/invalid session refuse our credentials. */
const AUTH_CODES: ReadonlySet<string> = new Set(['25', '26', '27']);
/** 7 app call limited, 15 remote service error: the gateway says "try later", like every `isp.*` sub code. */
const TRY_LATER_CODES: ReadonlySet<string> = new Set(['7', '15']);

export interface AlihealthClientOptions {
  appKey?: string;
  appSecret?: string;
  signMethod: TopSignMethod;
  /** TOP user authorisation (`session`), when the app was given one. */
  session?: string;
  /** The API's own `auth_token`, when the partner issued one. */
  authToken?: string;
  /** Ask for `simplify=true` answers. */
  simplify?: boolean;
  now?: () => Date;
}

/** `request1` of followup.send (ChickenImDialogCreateRequest); ids are the partner's. */
export interface FollowupMessage {
  session_id: string;
  /** 医生ID或医生组ID */
  bterm_user_id?: string;
  /** 就诊人ID */
  cterm_user_id?: string;
  /** Who wrote it (see `RS_TYPE_BY_SENDER`). */
  rs_type: string;
  /** A JSON document as text, e.g. `{"text":"abc"}`: sent double-encoded inside request1. */
  content: string;
  /** 医生自己的id */
  user_id?: string;
}

export interface FollowupSent {
  /** The partner's id of the stored message (`result1.model.id`). */
  id: string;
  timeStamp?: string;
  requestId?: string;
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** request1 with the fields in the documented order and absent ones left out. */
function request1Json(m: FollowupMessage): string {
  return JSON.stringify({
    session_id: m.session_id,
    bterm_user_id: m.bterm_user_id || undefined,
    cterm_user_id: m.cterm_user_id || undefined,
    rs_type: m.rs_type,
    content: m.content,
    user_id: m.user_id || undefined,
  });
}

/**
 * Alibaba Health follow-up IM on the Taobao Open Platform gateway: `alibaba.alihealth.followup.send`, a signed
 * form POST. System parameters go in the query (as the official Java SDK does) and the API's in the form body;
 * the signature covers both. The call is not idempotent (the partner has no idempotency key), so the shared
 * layer repeats it only when it certainly never left.
 */
export class AlihealthClient {
  constructor(
    private readonly http: PartnerHttp,
    private readonly options: AlihealthClientOptions,
    private readonly gatewayPath: string,
  ) {}

  get configured(): boolean {
    return this.http.configured && Boolean(this.options.appKey && this.options.appSecret);
  }

  async sendFollowup(message: FollowupMessage): Promise<FollowupSent> {
    const { appKey, appSecret, signMethod, session, authToken, simplify, now } = this.options;
    if (!appKey || !appSecret)
      throw this.http.fail(OP, 'not_configured', 'ALIHEALTH_APP_KEY or ALIHEALTH_APP_SECRET is not set');
    const system = topSystemParams({
      method: FOLLOWUP_SEND_METHOD,
      appKey,
      signMethod,
      session,
      simplify,
      now: now?.(),
    });
    const api: TopParams = { request1: request1Json(message), auth_token: authToken };
    const sign = signTopRequest({ ...system, ...api }, appSecret, signMethod);
    return this.http.request({
      op: OP,
      method: 'POST',
      path: this.gatewayPath,
      query: { ...system, sign },
      form: present(api),
      idempotent: false,
      secrets: [sign],
      parse: (res) => this.parseSend(res),
    });
  }

  private parseSend(res: PartnerResponse): FollowupSent {
    const body = asRecord(res.json);
    if (!body) throw this.fail('protocol', `HTTP ${res.status}: the answer is not a JSON object`, res);
    const error = asRecord(body.error_response);
    if (error) throw this.gatewayError(error, res);
    if (res.status < 200 || res.status >= 300) throw this.fail('status', `HTTP ${res.status}`, res);
    const answer = asRecord(body[FOLLOWUP_SEND_RESPONSE]) ?? body;
    const result = asRecord(answer.result1);
    if (!result || typeof result.success !== 'boolean')
      throw this.fail('protocol', 'result1.success missing', res);
    if (!result.success) {
      const code = text(result.msg_code);
      throw this.fail('api', `refused${code ? ` (${code})` : ''}`, res, {
        partnerCode: code,
        partnerMessage: text(result.msg_info),
      });
    }
    const model = asRecord(result.model);
    const id = text(model?.id);
    if (!id) throw this.fail('protocol', 'result1.model.id missing', res);
    return { id, timeStamp: text(model?.time_stamp), requestId: text(answer.request_id) };
  }

  /** `error_response`: `{code, msg, sub_code?, sub_msg?}`; the sub code says more when there is one. */
  private gatewayError(error: Record<string, unknown>, res: PartnerResponse): PartnerCallError {
    const code = text(error.code) ?? '';
    const subCode = text(error.sub_code);
    const details = {
      partnerCode: subCode ? `${code}/${subCode}` : code,
      partnerMessage: text(error.sub_msg) ?? text(error.msg),
    };
    const summary = `error_response ${details.partnerCode}`;
    if (AUTH_CODES.has(code)) return this.fail('auth', summary, res, details);
    const tryLater = TRY_LATER_CODES.has(code) || Boolean(subCode?.startsWith('isp.'));
    return this.fail('api', summary, res, { ...details, retryable: tryLater });
  }

  private fail(
    kind: PartnerCallError['kind'],
    message: string,
    res: PartnerResponse,
    details: { partnerCode?: string; partnerMessage?: string; retryable?: boolean } = {},
  ): PartnerCallError {
    return this.http.fail(OP, kind, message, { httpStatus: res.status, ...details });
  }
}

function present(params: TopParams): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}
