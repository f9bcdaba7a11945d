import {
  parseTopTimestamp,
  signTopRequest,
  TOP_SIGN_METHODS,
  TopSignMethod,
} from 'src/integrations/alihealth/top-sign';
import { FakeReply, FakeRequest, formParams, PartnerFake } from './partner-fake';

export const FAKE_TOP_APP_KEY = '23456789';
export const FAKE_TOP_SECRET = 'fake-top-secret-0123456789abcdef';

/** A message the fake accepted: request1 as parsed, the id it answered with. */
export interface DeliveredFollowup {
  id: string;
  session_id: string;
  bterm_user_id?: string;
  cterm_user_id?: string;
  rs_type: string;
  /** `content` as sent (a JSON document as text) and its `text` field. */
  content: string;
  text: string;
  user_id?: string;
  auth_token?: string;
}

/** Allowed clock difference between caller and gateway. */
const MAX_SKEW_MS = 10 * 60_000;
const REQUIRED_REQUEST1 = ['session_id', 'rs_type', 'content'] as const;

const topError = (code: number, msg: string, subCode?: string, subMsg?: string): FakeReply => ({
  body: {
    error_response: {
      code,
      msg,
      ...(subCode ? { sub_code: subCode, sub_msg: subMsg ?? msg } : {}),
      request_id: requestId(),
    },
  },
});

let requestSeq = 0;
const requestId = () => `fake${Date.now().toString(36)}${(requestSeq += 1)}`;

/**
 * The Taobao Open Platform gateway as far as `alibaba.alihealth.followup.send` goes (PARTNERS §1, §11):
 * `POST /router/rest` with system and API parameters merged from query and form; required system parameters
 * (21 method, 28 app_key, 30 timestamp, 32 v, 24 sign/sign_method), 29 unknown app key, 22 unknown method,
 * 23 format other than json, the signature recomputed per sign_method (25), a timestamp in GMT+8 at most 10
 * minutes off (31), the session when one is configured (26/27); then request1 as JSON with session_id, rs_type
 * and content (itself a JSON document) else 50 `isv.invalid-parameter`. Success is
 * `alibaba_alihealth_followup_send_response` (fields at the root with `simplify=true`). It keeps every message
 * it accepted in `delivered` (exactly-once checks), can answer `isp.*` (busy) and refuse sessions with
 * `result1.success=false`.
 */
export class FakeAlihealth extends PartnerFake {
  readonly delivered: DeliveredFollowup[] = [];
  private busyLeft = 0;
  private busyAlways = false;
  private readonly closedSessions = new Set<string>();
  private nextId = 880_000_000;

  constructor(
    readonly appKey = FAKE_TOP_APP_KEY,
    readonly secret = FAKE_TOP_SECRET,
    private readonly session?: string,
  ) {
    super();
  }

  /** The next `times` calls (or all until `notBusy()`) answer `isp.remote-service-error` (code 15). */
  busy(times?: number): void {
    if (times === undefined) this.busyAlways = true;
    else this.busyLeft += times;
  }

  notBusy(): void {
    this.busyLeft = 0;
    this.busyAlways = false;
  }

  /** Messages to this session are refused with `result1.success=false` (msg_code `SESSION_CLOSED`). */
  closeSession(sessionId: string): void {
    this.closedSessions.add(sessionId);
  }

  /** Accepted messages whose text is `text`. */
  deliveredWithText(text: string): DeliveredFollowup[] {
    return this.delivered.filter((d) => d.text === text);
  }

  protected handle(req: FakeRequest): FakeReply {
    if (req.path !== '/router/rest' || req.method !== 'POST')
      return { status: 404, body: '<html>404 Not Found</html>' };
    const p = formParams(req);
    const refusal = this.checkSystem(p);
    if (refusal) return refusal;
    if (this.busyAlways || this.busyLeft > 0) {
      this.busyLeft = Math.max(0, this.busyLeft - 1);
      return topError(15, 'Remote service error', 'isp.remote-service-error', '服务暂时不可用，请稍后重试');
    }
    const request1 = parseRequest1(p.request1);
    if (!request1) return topError(50, 'Remote service error', 'isv.invalid-parameter', '非法参数');
    const simplify = p.simplify === 'true';
    if (this.closedSessions.has(request1.session_id))
      return this.answer(simplify, { success: false, msg_code: 'SESSION_CLOSED', msg_info: '会话已结束' });
    const id = String((this.nextId += 1));
    const stamp = String(Date.now());
    this.delivered.push({ ...request1, id, auth_token: p.auth_token });
    return this.answer(simplify, {
      success: true,
      msg_code: '0',
      msg_info: 'success',
      model: { content_type: 1, content: request1.content, id, time_stamp: stamp },
    });
  }

  private answer(simplify: boolean, result1: object): FakeReply {
    const body = { result1, request_id: requestId() };
    return { body: simplify ? body : { alibaba_alihealth_followup_send_response: body } };
  }

  private checkSystem(p: Record<string, string>): FakeReply | undefined {
    if (!p.method) return topError(21, 'Missing Method');
    if (!p.app_key) return topError(28, 'Missing App Key');
    if (!p.timestamp) return topError(30, 'Missing Timestamp');
    if (!p.v) return topError(32, 'Missing Version');
    if (!p.sign || !p.sign_method) return topError(24, 'Missing Signature');
    if (p.v !== '2.0') return topError(33, 'Invalid Version');
    if (p.app_key !== this.appKey) return topError(29, 'Invalid App Key');
    if (p.method !== 'alibaba.alihealth.followup.send') return topError(22, 'Invalid Method');
    if (p.format && p.format !== 'json') return topError(23, 'Invalid Format');
    if (!(TOP_SIGN_METHODS as readonly string[]).includes(p.sign_method))
      return topError(25, 'Invalid Signature', 'isv.invalid-sign-method', '不支持的签名方法');
    if (signTopRequest(p, this.secret, p.sign_method as TopSignMethod) !== p.sign)
      return topError(25, 'Invalid Signature');
    const at = parseTopTimestamp(p.timestamp);
    if (!Number.isFinite(at) || Math.abs(Date.now() - at) > MAX_SKEW_MS)
      return topError(31, 'Invalid Timestamp');
    if (this.session !== undefined) {
      if (!p.session) return topError(26, 'Missing Session');
      if (p.session !== this.session) return topError(27, 'Invalid Session');
    }
    return undefined;
  }
}

function parseRequest1(raw: string | undefined): Omit<DeliveredFollowup, 'id' | 'auth_token'> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw ?? '');
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  if (REQUIRED_REQUEST1.some((k) => typeof r[k] !== 'string' || r[k] === '')) return undefined;
  const optional = ['bterm_user_id', 'cterm_user_id', 'user_id'] as const;
  if (optional.some((k) => r[k] !== undefined && typeof r[k] !== 'string')) return undefined;
  // content is a JSON document sent as text (double-encoded), e.g. {"text":"abc"}.
  let content: unknown;
  try {
    content = JSON.parse(r.content as string);
  } catch {
    return undefined;
  }
  const text = (content as { text?: unknown } | null)?.text;
  if (typeof text !== 'string') return undefined;
  return {
    session_id: r.session_id as string,
    bterm_user_id: r.bterm_user_id as string | undefined,
    cterm_user_id: r.cterm_user_id as string | undefined,
    rs_type: r.rs_type as string,
    content: r.content as string,
    text,
    user_id: r.user_id as string | undefined,
  };
}
