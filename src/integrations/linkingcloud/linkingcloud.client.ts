import { PartnerCallError } from 'src/integrations/partner-http/partner-call.error';
import { asRecord, PartnerHttp, PartnerResponse } from 'src/integrations/partner-http/partner-http';
import { linkingcloudSign, SignableParams, SignOptions } from './linkingcloud.sign';
import {
  LcAskItem,
  LcAskListQuery,
  LcDept,
  LcDoctor,
  LcEvaluation,
  LcReplyDoctor,
  LcScheduling,
  LcSendUser,
  LcUploadUser,
} from './linkingcloud.types';

export const LINKINGCLOUD = 'linkingcloud';
export const LINKINGCLOUD_LABEL = '联空医问';

/** The code samples post to `/api/gateway` (the prose says `/`). */
const GATEWAY_PATH = '/api/gateway';
const TOKEN_PATH = '/oauth/token';

export interface LinkingcloudOptions {
  appId: string;
  appSecret: string;
  sign: SignOptions;
  /** `reponse_result.code` of a successful answer (the doc shows no value). */
  successCode: string;
  /** A token is replaced this long before it expires. */
  tokenMarginSeconds: number;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which the token is replaced before use. */
  renewAt: number;
}

type Answer = Record<string, unknown>;

const DOCTOR_FIELDS: (keyof LcDoctor)[] = [
  'doctor_id',
  'doctor_name',
  'doctor_idcardno',
  'doctor_introduction',
  'doctor_introduction_academic',
  'doctor_introduction_edu',
  'doctor_introduction_skill',
  'doctor_sort',
  'doctor_title',
  'doctor_service_list',
  'dept_name',
];
const ASK_FIELDS: (keyof LcAskItem)[] = [
  'order_id',
  'doctor_name',
  'customer_name',
  'dept_name',
  'ask_content',
  'buy_link_again',
  'detail_link',
  'create_time',
  'ask_status',
  'pay_status',
  'ask_price',
  'service_name',
  'feed_content',
  'isBlack',
  'patient_name',
];

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** The named fields of a record, each as text ('' when absent). */
function pick<K extends string>(record: Record<string, unknown>, fields: readonly K[]): Record<K, string> {
  return Object.fromEntries(fields.map((f) => [f, text(record[f])])) as Record<K, string>;
}

/**
 * The 联空医问 gateway (doc §2–3): an OAuth client-credentials token cached in memory, JSON posts dispatched by
 * `method`, the `reponse_result` envelope checked on every answer, `sign` on send.user and upload.user.
 * Reads may be repeated; writes are sent once (send.user is re-sent only by its job, with the same `order_id`).
 */
export class LinkingcloudClient {
  private token?: CachedToken;
  private inflight?: Promise<string>;

  constructor(
    private readonly http: PartnerHttp,
    private readonly options: LinkingcloudOptions,
  ) {}

  get configured(): boolean {
    return this.http.configured;
  }

  /** 3.1 */
  async deptList(): Promise<LcDept[]> {
    const answer = await this.withToken('lc.ask.get.deptList', {}, true);
    return this.list(answer, 'dept_list', 'lc.ask.get.deptList').map((d) =>
      pick(d, ['dept_id', 'dept_name']),
    );
  }

  /** 3.2 */
  async doctorList(): Promise<LcDoctor[]> {
    const answer = await this.withToken('lc.ask.get.doctorList', {}, true);
    return this.list(answer, 'doctor_list', 'lc.ask.get.doctorList').map((d) => pick(d, DOCTOR_FIELDS));
  }

  /** 3.3: authenticated by `app_id` and `sign`, no token. Never repeated here: the partner may have it already. */
  async sendUser(question: LcSendUser): Promise<void> {
    const method = 'lc.ask.send.user';
    const params: SignableParams = {
      app_id: this.options.appId,
      method,
      ...question,
      ask_imagelist: question.ask_imagelist?.join(','),
    };
    const sign = this.sign(params);
    await this.post(method, { ...params, sign }, false, [sign]);
  }

  /** 3.4 */
  async replyDoctor(reply: LcReplyDoctor): Promise<void> {
    await this.withToken('lc.ask.reply.doctor', { ...reply }, false);
  }

  /** 3.5: null while the patient has not rated the answer. */
  async getEvaluate(query: { order_id: string; openid: string }): Promise<LcEvaluation | null> {
    const answer = await this.withToken('lc.ask.get.evaluate', query, true);
    const info = asRecord(answer.evaluate_info);
    if (!info) return null;
    const evaluation = pick(info, ['evaluate_content', 'evaluate_score', 'evaluate_time']);
    return Object.values(evaluation).some(Boolean) ? evaluation : null;
  }

  /** 3.6 */
  async updateScheduling(schedule: LcScheduling): Promise<void> {
    await this.withToken('lc.ask.update.scheduling', { ...schedule }, false);
  }

  /** 3.7 */
  async askList(query: LcAskListQuery): Promise<LcAskItem[]> {
    const answer = await this.withToken('lc.ask.get.asklist', { ...query }, true);
    return this.list(answer, 'user_ask_list', 'lc.ask.get.asklist').map((a) => pick(a, ASK_FIELDS));
  }

  /** 3.8: signed, the token included in what the sign covers. */
  async uploadUser(user: LcUploadUser): Promise<void> {
    await this.withToken('lc.ask.upload.user', { ...user }, false, true);
  }

  /** A token valid for at least the configured margin; concurrent callers share one fetch. */
  accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return Promise.resolve(this.token.value);
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchToken(): Promise<string> {
    const op = 'oauth/token';
    const issued = await this.http.request({
      op,
      method: 'POST',
      path: TOKEN_PATH,
      form: {
        grant_type: 'client_credentials',
        client_id: this.options.appId,
        client_secret: this.options.appSecret,
      },
      idempotent: true,
      parse: (res) => this.parseToken(op, res),
    });
    // A margin longer than the token's life would fetch on every call: renew at half-life at the latest.
    const renewIn = Math.max(issued.expiresIn - this.options.tokenMarginSeconds, issued.expiresIn / 2);
    this.token = { value: issued.accessToken, renewAt: Date.now() + renewIn * 1000 };
    return issued.accessToken;
  }

  private parseToken(op: string, res: PartnerResponse): { accessToken: string; expiresIn: number } {
    const body = asRecord(res.json);
    if (typeof body?.error === 'string') throw this.authFailure(op, body);
    const accessToken = body?.access_token;
    const expiresIn = Number(body?.expires_in);
    if (res.status !== 200 || typeof accessToken !== 'string' || !accessToken || !(expiresIn > 0)) {
      throw this.http.fail(op, res.status === 200 ? 'protocol' : 'status', `no token (HTTP ${res.status})`, {
        httpStatus: res.status,
      });
    }
    return { accessToken, expiresIn };
  }

  /**
   * A call carrying `access_token`. When the gateway refuses the token, it is replaced once and the call sent
   * once more: a refused call did nothing, so even a write may be repeated then.
   */
  private async withToken(
    method: string,
    params: Record<string, unknown>,
    idempotent: boolean,
    signed = false,
  ): Promise<Answer> {
    const send = async (token: string) => {
      const body: Record<string, unknown> = { access_token: token, method, ...params };
      const sign = signed ? this.sign(body as SignableParams) : undefined;
      return this.post(method, sign ? { ...body, sign } : body, idempotent, [token, sign]);
    };
    const token = await this.accessToken();
    try {
      return await send(token);
    } catch (err) {
      if (!(err instanceof PartnerCallError) || err.kind !== 'auth') throw err;
      if (this.token?.value === token) this.token = undefined;
    }
    return send(await this.accessToken());
  }

  private post(
    method: string,
    body: Record<string, unknown>,
    idempotent: boolean,
    secrets: (string | undefined)[],
  ): Promise<Answer> {
    return this.http.request({
      op: method,
      method: 'POST',
      path: GATEWAY_PATH,
      json: body,
      idempotent,
      secrets,
      parse: (res) => this.envelope(method, res),
    });
  }

  /** Checks `reponse_result` (the partner's spelling); a refused token is `auth`, whatever the status. */
  private envelope(op: string, res: PartnerResponse): Answer {
    const body = asRecord(res.json);
    if (res.status === 401 || res.status === 403 || typeof body?.error === 'string')
      throw this.authFailure(op, body ?? {});
    if (res.status < 200 || res.status >= 300)
      throw this.http.fail(op, 'status', `HTTP ${res.status}`, { httpStatus: res.status });
    if (!body) throw this.http.fail(op, 'protocol', 'the answer is not a JSON object');
    const result = asRecord(body.reponse_result);
    if (!result) throw this.http.fail(op, 'protocol', 'the answer has no reponse_result');
    const code = text(result.code);
    if (code !== this.options.successCode) {
      throw this.http.fail(op, 'api', `refused with code ${code || '(none)'}`, {
        partnerCode: code,
        partnerMessage: text(result.message),
      });
    }
    return body;
  }

  private authFailure(op: string, body: Record<string, unknown>): PartnerCallError {
    return this.http.fail(op, 'auth', 'credentials or token refused', {
      partnerCode: text(body.error) || undefined,
      partnerMessage: text(body.error_description) || undefined,
    });
  }

  private list(answer: Answer, key: string, op: string): Record<string, unknown>[] {
    const value = answer[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw this.http.fail(op, 'protocol', `${key} is not a list`);
    return value.map((item) => asRecord(item) ?? {});
  }

  private sign(params: SignableParams): string {
    return linkingcloudSign(params, this.options.appSecret, this.options.sign);
  }
}
