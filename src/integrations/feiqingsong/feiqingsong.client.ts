import {
  HttpMethod,
  PartnerHttp,
  PartnerResponse,
  asRecord,
} from 'src/integrations/partner-http/partner-http';
import {
  DrfPage,
  QaCharge,
  QaEvaluation,
  QaInquiryRecord,
  QaOrder,
  QaOrderStatus,
  QaOrderType,
  QaPayChannel,
  QaPosition,
} from './feiqingsong.types';

export const FEIQINGSONG_PARTNER = 'feiqingsong';
export const FEIQINGSONG_LABEL = '肺轻松';

/** Following `next` links stops here: a partner page loop or a huge list must not keep a request busy. */
export const MAX_FOLLOWED_PAGES = 20;

/** `partnerCode` of DRF's `{"detail": ...}` refusals, by HTTP status; business refusals carry their own `-N`. */
export const DRF_NOT_FOUND = 'not_found';
export const DRF_FORBIDDEN = 'permission_denied';
export const DRF_INVALID = 'invalid';
/** DRF's 404 for a page number past the last page. */
export const DRF_INVALID_PAGE = 'invalid_page';

const DRF_CODES: Record<number, string> = { 400: DRF_INVALID, 403: DRF_FORBIDDEN, 404: DRF_NOT_FOUND };

export interface PageOptions {
  /** 1-based page number (DRF `page`). */
  page?: number;
  /** Asked of the partner (DRF `page_size`); the partner may keep its own size. */
  pageSize?: number;
  /** Follow `next` links and answer every result in one page (bounded by MAX_FOLLOWED_PAGES). */
  all?: boolean;
}

type Item<T> = (value: unknown) => T | undefined;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isText = (v: unknown): v is string => typeof v === 'string';

const asOrder: Item<QaOrder> = (v) => {
  const o = asRecord(v);
  return o && isText(o.order_number) && isInt(o.status) && isText(o.amount) && asRecord(o.doctor)
    ? (o as unknown as QaOrder)
    : undefined;
};

const asEvaluation: Item<QaEvaluation> = (v) => {
  const o = asRecord(v);
  return o && isInt(o.scores) && isText(o.content) ? (o as unknown as QaEvaluation) : undefined;
};

const asInquiryRecord: Item<QaInquiryRecord> = (v) => {
  const o = asRecord(v);
  return o && isText(o.order_number) ? (o as unknown as QaInquiryRecord) : undefined;
};

const asCharge: Item<QaCharge> = (v) => {
  const body = asRecord(v);
  const charge = asRecord(body?.charge);
  return body?.status === 0 && charge && isText(charge.id) ? (charge as QaCharge) : undefined;
};

/** Destroy answers 204 without a body. */
const asNothing: Item<true> = () => true;

function asPage<T>(item: Item<T>): Item<DrfPage<T>> {
  return (v) => {
    const o = asRecord(v);
    if (!o || !isInt(o.count) || !Array.isArray(o.results)) return undefined;
    if (!(o.next === null || isText(o.next)) || !(o.previous === null || isText(o.previous)))
      return undefined;
    const results = o.results.map(item);
    if (results.some((r) => r === undefined)) return undefined;
    return { count: o.count, next: o.next, previous: o.previous, results: results as T[] };
  };
}

/** Field errors (`{"doctor": ["..."]}`) as one line for the log. */
const fieldErrors = (body: Record<string, unknown>) =>
  Object.entries(body)
    .map(([field, reasons]) => `${field}: ${Array.isArray(reasons) ? reasons.join(' ') : String(reasons)}`)
    .join('; ')
    .slice(0, 300);

interface Call<T> {
  op: string;
  method: HttpMethod;
  path: string;
  token: string;
  query?: Record<string, string | number | undefined>;
  body?: Record<string, string | number>;
  item: Item<T>;
  /** 2xx statuses that carry the answer. */
  ok?: readonly number[];
  /** Whether a repeat is harmless; reads by default. */
  idempotent?: boolean;
}

/**
 * The 肺轻松 QA-order API (seed 002, Django REST Framework), called with the linked account's own DRF token
 * (`Authorization: Token <key>`), one call per documented route, with its documented method and trailing slash.
 * Reads are retried by the shared layer; PUT/PATCH/POST (and the GET that destroys) only when certainly unsent.
 * Failures: 401 → `auth`; `{"detail"}` 403/404/400 and `{"status": -N, "message"}` → `api` with `partnerCode`
 * (`not_found`, `permission_denied`, `invalid`, `invalid_page` or the `-N`) and `partnerMessage`.
 */
export class FeiqingsongClient {
  constructor(
    private readonly http: PartnerHttp,
    private readonly baseUrl: string | undefined,
  ) {}

  get configured(): boolean {
    return this.http.configured;
  }

  /** 创建问答订单 */
  createOrder(token: string, order: { doctor: string; order_type: QaOrderType }): Promise<QaOrder> {
    return this.call({
      op: 'createOrder',
      method: 'POST',
      path: '/qaorder/order/create/',
      token,
      body: order,
      item: asOrder,
      ok: [200, 201],
    });
  }

  /** 查看订单详情 */
  orderDetail(token: string, orderNumber: string): Promise<QaOrder> {
    return this.call({
      op: 'orderDetail',
      method: 'GET',
      path: `/qaorder/order/detail/${encodeURIComponent(orderNumber)}/`,
      token,
      item: asOrder,
    });
  }

  /** 删除订单 (a GET that deletes: not repeated once it may have arrived). */
  async destroyOrder(token: string, orderNumber: string): Promise<void> {
    await this.call({
      op: 'destroyOrder',
      method: 'GET',
      path: `/qaorder/order/destroy/${encodeURIComponent(orderNumber)}/`,
      token,
      item: asNothing,
      ok: [200, 204],
      idempotent: false,
    });
  }

  /** 根据身份不同获取订单列表（或者过滤 status） */
  listOrders(
    token: string,
    position: QaPosition,
    opts: PageOptions & { status?: QaOrderStatus } = {},
  ): Promise<DrfPage<QaOrder>> {
    return this.list(
      { op: 'listOrders', path: `/qaorder/order/${position}/list/`, token, item: asOrder },
      { status: opts.status },
      opts,
    );
  }

  /** 根据身份不同获取最新一条订单: the newest order with `username` (the doctor, for a patient). */
  newestOrder(token: string, position: QaPosition, username: string): Promise<QaOrder> {
    return this.call({
      op: 'newestOrder',
      method: 'GET',
      path: `/qaorder/order/${position}/newone/`,
      token,
      query: { username },
      item: asOrder,
    });
  }

  /** 获取用户所有的待回答&已回答的所有订单 */
  qaOrders(token: string, position: QaPosition, opts: PageOptions = {}): Promise<DrfPage<QaOrder>> {
    return this.list(
      { op: 'qaOrders', path: `/qaorder/order/${position}/list/qa/`, token, item: asOrder },
      {},
      opts,
    );
  }

  /** 取消订单 (unpaid orders only). */
  cancelOrder(token: string, orderNumber: string): Promise<QaOrder> {
    return this.put('cancelOrder', 'cancel', token, orderNumber);
  }

  /** 结束订单 (answered orders only; otherwise `{"status": -4, "message": "不能结束订单"}`). */
  finishOrder(token: string, orderNumber: string): Promise<QaOrder> {
    return this.put('finishOrder', 'finish', token, orderNumber);
  }

  /**
   * 过滤订单列表 — marked 暂时废弃 by the partner; kept for completeness, `listOrders` with `status` replaces it.
   * @deprecated
   */
  filterOrders(token: string, status: QaOrderStatus, opts: PageOptions = {}): Promise<DrfPage<QaOrder>> {
    return this.list(
      { op: 'filterOrders', path: '/qaorder/order/filter/', token, item: asOrder },
      { status },
      opts,
    );
  }

  /** 订单评价 */
  evaluateOrder(
    token: string,
    orderNumber: string,
    evaluation: { scores: number; content: string },
  ): Promise<QaEvaluation> {
    return this.call({
      op: 'evaluateOrder',
      method: 'PUT',
      path: `/qaorder/order/evaluate/${encodeURIComponent(orderNumber)}/`,
      token,
      body: evaluation,
      item: asEvaluation,
    });
  }

  /** 获取某一医生的所有评价 (`/qaorder/user/{username}/`). */
  doctorEvaluations(token: string, username: string, opts: PageOptions = {}): Promise<DrfPage<QaEvaluation>> {
    return this.list(
      {
        op: 'doctorEvaluations',
        path: `/qaorder/user/${encodeURIComponent(username)}/`,
        token,
        item: asEvaluation,
      },
      {},
      opts,
    );
  }

  /** 订单支付: the Ping++ charge the app hands to its payment SDK. */
  payOrder(token: string, orderNumber: string, channel: QaPayChannel): Promise<QaCharge> {
    return this.call({
      op: 'payOrder',
      method: 'PATCH',
      path: `/qaorder/order/pay/${encodeURIComponent(orderNumber)}/`,
      token,
      body: { channel },
      item: asCharge,
    });
  }

  /** 获取某一患者的所有记录: `patientPk` is the partner's pk of the patient. */
  inquiryRecords(
    token: string,
    patientPk: number,
    opts: PageOptions = {},
  ): Promise<DrfPage<QaInquiryRecord>> {
    return this.list(
      {
        op: 'inquiryRecords',
        path: `/qaorder/patient/inquiry/record/${patientPk}/`,
        token,
        item: asInquiryRecord,
      },
      {},
      opts,
    );
  }

  private put(op: string, action: string, token: string, orderNumber: string): Promise<QaOrder> {
    return this.call({
      op,
      method: 'PUT',
      path: `/qaorder/order/${action}/${encodeURIComponent(orderNumber)}/`,
      token,
      item: asOrder,
    });
  }

  /** One page, or with `all` every page by its `next` links. */
  private async list<T>(
    call: Omit<Call<DrfPage<T>>, 'method' | 'item'> & { item: Item<T> },
    query: Record<string, string | number | undefined>,
    opts: PageOptions,
  ): Promise<DrfPage<T>> {
    const pageOf = (path: string, q: Call<T>['query']) =>
      this.call({ ...call, method: 'GET', path, query: q, item: asPage(call.item) });
    const first = await pageOf(call.path, { ...query, page: opts.page, page_size: opts.pageSize });
    if (!opts.all) return first;
    const results = [...first.results];
    let next = first.next;
    for (let pages = 1; next; pages += 1) {
      if (pages >= MAX_FOLLOWED_PAGES)
        throw this.http.fail(call.op, 'protocol', `more than ${MAX_FOLLOWED_PAGES} pages`);
      const target = this.followable(call.op, next);
      const page = await pageOf(target.path, target.query);
      results.push(...page.results);
      next = page.next;
    }
    return { count: first.count, next: null, previous: null, results };
  }

  /** A `next` link as a path under our base URL; a link elsewhere (another host, scheme or path) is refused. */
  private followable(op: string, link: string): { path: string; query: Record<string, string> } {
    const base = new URL((this.baseUrl ?? '').replace(/\/?$/, '/'));
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw this.http.fail(op, 'protocol', 'next link is not a URL');
    }
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname))
      throw this.http.fail(op, 'protocol', `next link leaves the partner (${url.origin})`);
    return {
      path: url.pathname.slice(base.pathname.length),
      query: Object.fromEntries(url.searchParams),
    };
  }

  private call<T>(c: Call<T>): Promise<T> {
    return this.http.request<T>({
      op: c.op,
      method: c.method,
      path: c.path,
      query: c.query,
      json: c.body,
      headers: { authorization: `Token ${c.token}` },
      idempotent: c.idempotent ?? c.method === 'GET',
      secrets: [c.token],
      parse: (res) => this.parse(c, res),
    });
  }

  private parse<T>(c: Call<T>, res: PartnerResponse): T {
    const body = asRecord(res.json);
    const details = { httpStatus: res.status };
    if (isInt(body?.status) && body.status < 0) {
      throw this.http.fail(c.op, 'api', `refused with status ${body.status}`, {
        ...details,
        partnerCode: String(body.status),
        partnerMessage: isText(body.message) ? body.message : undefined,
      });
    }
    const detail = isText(body?.detail) ? body.detail : undefined;
    if (res.status === 401)
      throw this.http.fail(c.op, 'auth', 'token refused', { ...details, partnerMessage: detail });
    const drfCode = DRF_CODES[res.status];
    if (drfCode && body) {
      const invalidPage = res.status === 404 && detail?.toLowerCase().startsWith('invalid page');
      throw this.http.fail(c.op, 'api', `HTTP ${res.status}`, {
        ...details,
        partnerCode: invalidPage ? DRF_INVALID_PAGE : drfCode,
        partnerMessage: detail ?? fieldErrors(body),
      });
    }
    if (!(c.ok ?? [200]).includes(res.status))
      throw this.http.fail(c.op, 'status', `HTTP ${res.status}`, details);
    const result = c.item(res.json);
    if (result === undefined) throw this.http.fail(c.op, 'protocol', 'answer not as documented', details);
    return result;
  }
}
