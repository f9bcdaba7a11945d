import { scrubSecrets } from '../partner-http/partner-call.error';
import { asRecord, PartnerHttp, PartnerResponse } from '../partner-http/partner-http';

/** The partner id of 91160 in metrics and logs, and the name the app sees in partner errors. */
export const H91160_PARTNER = '91160';

/** One page of a `basicInfo/*` list: the partner's `data.list` and `data.total`. */
export interface H91160Page<T> {
  list: T[];
  total: number;
}

export interface H91160Unit {
  unitId: number;
  unitName: string;
  unitLevel: string;
  image: string;
  address: string;
  /** GB/T 2260 codes as the partner sends them (text, possibly empty or unknown to us). */
  provinceCode: string;
  cityCode: string;
  areaCode: string;
}

export interface H91160Department {
  depId: number;
  unitId: number;
  depName: string;
  depIntro: string;
  telephone: string;
  depClassId: string;
  depClassName: string;
}

export interface H91160Doctor {
  doctorId: number;
  depId: number;
  doctorName: string;
  doctorTitle: string;
  image: string;
  detail: string;
  /** 1 male, 0 female, as the partner sends it; null when absent. */
  gender: number | null;
  expertise: string;
}

export interface H91160Schedule {
  scheduleId: string;
  doctorId: number;
  scheduleDate: string;
  /** `am`, `pm`, `em`. */
  timeType: string;
  timeTypeDesc: string;
  levelName: string;
  resourceMax: number;
  appointedNum: number;
  /** Yuan, as the partner sends it. */
  resourceFee: number;
}

export interface H91160Resource {
  resourceId: string;
  scheduleId: string;
  beginTime: string;
  endTime: string;
  resourceMax: number;
  appointedNum: number;
  resourceFee: number;
}

export interface H91160ScheduleQuery {
  unitId: number;
  depId: number;
  doctorId: number;
  /** `YYYY-MM-DD`. */
  beginDate: string;
  endDate: string;
}

/** The patient as `/appointment/order` takes them; `sex` is 91160's own coding (0 male, 1 female). */
export interface H91160OrderInput {
  unitId: number;
  depId: number;
  doctorId: number;
  detlId: string;
  mobile: string;
  trueName: string;
  sex: 0 | 1;
  birthday: string;
  cardType: number;
  cardNo: string;
  clinicNo: string;
  address: string;
}

export interface H91160OrderResult {
  orderId: string;
  hisTakeNo: string;
}

/** The partner's code for success; every other `code` is a refusal. */
const SUCCESS_CODE = '0';

/**
 * The seed documents no code for a refused appToken (PARTNERS §13), so a refusal is recognised by an HTTP
 * 401/403 or by a message that names the token; anything else non-zero is a business refusal (`api`).
 */
const TOKEN_REFUSAL = /apptoken|token|授权码/i;

class ShapeError extends Error {}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
};
/** Ids arrive as numbers or as digit strings (`depId` is a string in the doctor list). */
function id(v: unknown, field: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > 2_147_483_647) throw new ShapeError(`${field} is not an id`);
  return n;
}
function textId(v: unknown, field: string): string {
  const s = text(v);
  if (s === '') throw new ShapeError(`${field} missing`);
  return s;
}
function records(v: unknown, field: string): Record<string, unknown>[] {
  if (!Array.isArray(v)) throw new ShapeError(`${field} is not a list`);
  return v.map((item) => {
    const r = asRecord(item);
    if (!r) throw new ShapeError(`${field} holds a non-object`);
    return r;
  });
}

const toUnit = (r: Record<string, unknown>): H91160Unit => ({
  unitId: id(r.unitId, 'unitId'),
  unitName: textId(r.unitName, 'unitName'),
  unitLevel: text(r.unitLevel),
  image: text(r.image),
  address: text(r.address),
  provinceCode: text(r.provinceCode),
  cityCode: text(r.cityCode),
  areaCode: text(r.areaCode),
});

const toDepartment = (r: Record<string, unknown>): H91160Department => ({
  depId: id(r.depId, 'depId'),
  unitId: id(r.unitId, 'unitId'),
  depName: textId(r.depName, 'depName'),
  depIntro: text(r.depIntro),
  telephone: text(r.telephone),
  depClassId: text(r.depClassId),
  depClassName: text(r.depClassName),
});

const toDoctor = (r: Record<string, unknown>): H91160Doctor => ({
  doctorId: id(r.doctorId, 'doctorId'),
  depId: id(r.depId, 'depId'),
  doctorName: textId(r.doctorName, 'doctorName'),
  doctorTitle: text(r.doctorTitle),
  image: text(r.image),
  detail: text(r.detail),
  gender: r.gender === 0 || r.gender === 1 ? r.gender : null,
  expertise: text(r.expertise),
});

const toSchedule = (r: Record<string, unknown>): H91160Schedule => ({
  scheduleId: textId(r.scheduleId, 'scheduleId'),
  doctorId: id(r.doctorId, 'doctorId'),
  scheduleDate: text(r.scheduleDate),
  timeType: text(r.timeType),
  timeTypeDesc: text(r.timeTypeDesc),
  levelName: text(r.levelName),
  resourceMax: num(r.resourceMax),
  appointedNum: num(r.appointedNum),
  resourceFee: num(r.resourceFee),
});

const toResource = (r: Record<string, unknown>): H91160Resource => ({
  resourceId: textId(r.resourceId, 'resourceId'),
  scheduleId: text(r.scheduleId),
  beginTime: text(r.beginTime),
  endTime: text(r.endTime),
  resourceMax: num(r.resourceMax),
  appointedNum: num(r.appointedNum),
  resourceFee: num(r.resourceFee),
});

function toPage<T>(data: unknown, item: (r: Record<string, unknown>) => T): H91160Page<T> {
  const page = asRecord(data);
  if (!page) throw new ShapeError('data is not an object');
  const list = records(page.list ?? [], 'data.list').map(item);
  return { list, total: Math.max(num(page.total), list.length) };
}

const toList =
  <T>(item: (r: Record<string, unknown>) => T) =>
  (data: unknown): T[] =>
    records(data ?? [], 'data').map(item);

function toOrderResult(data: unknown): H91160OrderResult {
  const r = asRecord(data);
  if (!r) throw new ShapeError('data is not an object');
  return { orderId: textId(r.orderId, 'orderId'), hisTakeNo: text(r.hisTakeNo) };
}

/**
 * The 91160 open API (seed 003, PARTNERS §4): five reads (GET, `appToken` in the query; idempotent, so retried
 * on network errors and 5xx) and two writes (POST JSON, `appToken` in the body). Neither write is repeated once
 * it may have reached 91160: an order has no idempotency key and no lookup by our id, so a second attempt could
 * book twice. Every answer is the `{code, msg, data}` envelope, `code` "0" on success.
 */
export class H91160Client {
  constructor(
    private readonly http: PartnerHttp,
    private readonly appToken: string | undefined,
  ) {}

  get configured(): boolean {
    return this.http.configured && Boolean(this.appToken);
  }

  unitList(pageNum: number, pageSize: number): Promise<H91160Page<H91160Unit>> {
    return this.get('unitList', '/basicInfo/unitList', { pageNum, pageSize }, (d) => toPage(d, toUnit));
  }

  depList(unitId: number, pageNum: number, pageSize: number): Promise<H91160Page<H91160Department>> {
    return this.get('depList', '/basicInfo/depList', { unitId, pageNum, pageSize }, (d) =>
      toPage(d, toDepartment),
    );
  }

  doctorList(
    unitId: number,
    depId: number,
    pageNum: number,
    pageSize: number,
  ): Promise<H91160Page<H91160Doctor>> {
    return this.get('doctorList', '/basicInfo/doctorList', { unitId, depId, pageNum, pageSize }, (d) =>
      toPage(d, toDoctor),
    );
  }

  scheduleList(q: H91160ScheduleQuery): Promise<H91160Schedule[]> {
    return this.get('scheduleList', '/appointment/scheduleList', { ...q }, toList(toSchedule));
  }

  resourceList(unitId: number, scheduleId: string): Promise<H91160Resource[]> {
    return this.get('resourceList', '/appointment/resourceList', { unitId, scheduleId }, toList(toResource));
  }

  /** Books a resource. Sent once: a timeout or a dropped connection leaves the result unknown. */
  order(input: H91160OrderInput): Promise<H91160OrderResult> {
    // The patient's name, phone and ID number never reach an error message or a log line.
    const personal = [input.mobile, input.cardNo, input.trueName];
    return this.post('order', '/appointment/order', { ...input }, toOrderResult, personal);
  }

  /** Cancels an order. Sent once, like `order`: a repeat after a lost answer would be refused or ambiguous. */
  async cancel(orderId: string, cancelReason: string): Promise<void> {
    const numeric = Number(orderId);
    await this.post(
      'cancel',
      '/appointment/cancel',
      { orderId: Number.isSafeInteger(numeric) ? numeric : orderId, cancelReason },
      () => undefined,
    );
  }

  private async get<T>(
    op: string,
    path: string,
    query: Record<string, string | number>,
    shape: (data: unknown) => T,
  ): Promise<T> {
    return this.http.request<T>({
      op,
      method: 'GET',
      path,
      query: { appToken: this.token(), ...query },
      idempotent: true,
      parse: (res) => this.parse(op, res, shape, []),
    });
  }

  private async post<T>(
    op: string,
    path: string,
    body: Record<string, unknown>,
    shape: (data: unknown) => T,
    personal: readonly string[] = [],
  ): Promise<T> {
    return this.http.request<T>({
      op,
      method: 'POST',
      path,
      json: { appToken: this.token(), ...body },
      idempotent: false,
      secrets: personal,
      parse: (res) => this.parse(op, res, shape, personal),
    });
  }

  /** The base URL alone is not enough: without the token every call would only be refused. */
  private token(): string {
    if (!this.appToken) throw this.http.fail('config', 'not_configured', 'H91160_APP_TOKEN is not set');
    return this.appToken;
  }

  private parse<T>(
    op: string,
    res: PartnerResponse,
    shape: (data: unknown) => T,
    personal: readonly string[],
  ): T {
    const httpStatus = res.status;
    const body = asRecord(res.json);
    const code = body?.code;
    if (!body || (typeof code !== 'string' && typeof code !== 'number')) {
      if (httpStatus === 401 || httpStatus === 403)
        throw this.http.fail(op, 'auth', `HTTP ${httpStatus}`, { httpStatus });
      if (httpStatus >= 400) throw this.http.fail(op, 'status', `HTTP ${httpStatus}`, { httpStatus });
      throw this.http.fail(op, 'protocol', 'the answer is not the {code, msg, data} envelope', {
        httpStatus,
      });
    }
    if (String(code) !== SUCCESS_CODE) {
      const partnerMessage = scrubSecrets(text(body.msg), personal);
      const refusedToken = httpStatus === 401 || httpStatus === 403 || TOKEN_REFUSAL.test(partnerMessage);
      throw this.http.fail(op, refusedToken ? 'auth' : 'api', `refused with code ${String(code)}`, {
        httpStatus,
        partnerCode: String(code),
        partnerMessage,
      });
    }
    if (httpStatus < 200 || httpStatus >= 300)
      throw this.http.fail(op, 'status', `HTTP ${httpStatus}`, { httpStatus });
    try {
      return shape(body.data);
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      throw this.http.fail(op, 'protocol', `unexpected data: ${err.message}`, { httpStatus });
    }
  }
}
