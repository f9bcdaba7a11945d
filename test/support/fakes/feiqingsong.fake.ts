import { randomBytes } from 'node:crypto';
import { FakeReply, FakeRequest, formParams, jsonBody, PartnerFake } from './partner-fake';

type Role = 'patient' | 'doctor';

export interface FakeQaAccount {
  pk: number;
  username: string;
  /** The DRF token key (40 hex), as the partner's login returns it. */
  token: string;
  role: Role;
  name: string;
  /** Doctors: the price of a consultation, in yuan as text. */
  price: string;
}

interface FakeOrder {
  pk: number;
  orderNumber: string;
  patient: FakeQaAccount;
  doctor: FakeQaAccount;
  status: number;
  channel: string;
  orderType: string;
  createdAt: string;
  seq: number;
}

interface FakeEvaluation {
  pk: number;
  patient: FakeQaAccount;
  doctor: FakeQaAccount;
  scores: number;
  content: string;
  evaluateType: string;
  createdAt: string;
}

const STATUS_DISPLAY = ['待支付', '已支付', '待回答', '已回答', '待评价', '已评价', '取消'];
const ORDER_TYPES: Record<string, string> = { online: '在线咨询', monthly: '包月服务' };
const CHANNELS: Record<string, string> = { wx: '微信', alipay: '支付宝', balance: '余额' };
const SCORES = ['', '一星', '二星', '三星', '四星', '五星'];
const NOT_FOUND = { status: 404, body: { detail: 'Not found.' } };
const MAX_PAGE_SIZE = 100;

/** Django's own 404 page for a URL no route matches (a path without its trailing slash included). */
const DJANGO_404: FakeReply = {
  status: 404,
  body: '<h1>Not Found</h1><p>The requested resource was not found on this server.</p>',
  headers: { 'content-type': 'text/html' },
};

/** A request value as DRF would echo it in a field error. */
const echo = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));

const bad = (field: string, reason: string): FakeReply => ({ status: 400, body: { [field]: [reason] } });
const refused = (status: number, message: string): FakeReply => ({ status: 400, body: { status, message } });

/** DRF's naive local timestamp with microseconds. */
const drfTime = (d: Date) =>
  `${d.toISOString().slice(0, 19)}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;

type Handler = (req: FakeRequest, caller: FakeQaAccount, arg: string) => FakeReply;

/**
 * A loopback stand-in for the 肺轻松 QA-order API (seed 002), with Django REST Framework's rules:
 * `Authorization: Token <key>` of a known account or 401 (`Authentication credentials were not provided.` /
 * `Invalid token.`); only the documented paths with their trailing slash (anything else is Django's HTML 404);
 * the documented method of each route (405 `Method "X" not allowed.`); JSON or form bodies; DRF pages
 * (`count/next/previous/results`, absolute links, `page`/`page_size`, 404 `Invalid page.`); amounts as strings.
 * Orders follow the documented states: 0 待支付 → pay → 1 已支付 → (question) 2 待回答 → (answer) 3 已回答 →
 * finish → 4 待评价 → evaluate → 5 已评价; cancel only from 0 (→ 6). Refusals are `{"status": -N, "message"}`.
 * Control: `addPatient`, `addDoctor`, `revoke`, `setStatus`, `pageSize`, `honourPageSize`, `linkOrigin`.
 */
export class FakeFeiqingsong extends PartnerFake {
  /** DRF's PAGE_SIZE, used when a request names none. */
  pageSize = 10;
  /** When false, `page_size` in the query is ignored (a paginator without page_size_query_param). */
  honourPageSize = true;
  /** Written into `next`/`previous` links instead of the request's own origin. */
  linkOrigin?: string;
  readonly accounts: FakeQaAccount[] = [];
  readonly orders = new Map<string, FakeOrder>();
  readonly evaluations: FakeEvaluation[] = [];
  /** Every token the fake ever issued (revoked ones too), to check that none reaches a log, an answer or a column. */
  readonly issued: string[] = [];
  private seq = 0;

  private readonly routes: { pattern: RegExp; method: string; handler: Handler }[] = [
    { pattern: /^\/qaorder\/order\/create\/$/, method: 'POST', handler: (r, c) => this.create(r, c) },
    {
      pattern: /^\/qaorder\/order\/detail\/([^/]+)\/$/,
      method: 'GET',
      handler: (r, c, n) => this.detail(c, n),
    },
    {
      pattern: /^\/qaorder\/order\/destroy\/([^/]+)\/$/,
      method: 'GET',
      handler: (r, c, n) => this.destroy(c, n),
    },
    {
      pattern: /^\/qaorder\/order\/(patient|doctor)\/list\/$/,
      method: 'GET',
      handler: (r, c, p) => this.list(r, c, p as Role),
    },
    {
      pattern: /^\/qaorder\/order\/(patient|doctor)\/newone\/$/,
      method: 'GET',
      handler: (r, c, p) => this.newest(r, c, p as Role),
    },
    {
      pattern: /^\/qaorder\/order\/(patient|doctor)\/list\/qa\/$/,
      method: 'GET',
      handler: (r, c, p) =>
        this.page(
          r,
          this.ordersOf(c, p as Role, [2, 3]).map((o) => this.order(o)),
        ),
    },
    {
      pattern: /^\/qaorder\/order\/cancel\/([^/]+)\/$/,
      method: 'PUT',
      handler: (r, c, n) => this.transition(c, n, [0], 6, refused(-3, '不能取消订单')),
    },
    {
      pattern: /^\/qaorder\/order\/finish\/([^/]+)\/$/,
      method: 'PUT',
      handler: (r, c, n) => this.transition(c, n, [3], 4, refused(-4, '不能结束订单')),
    },
    { pattern: /^\/qaorder\/order\/filter\/$/, method: 'GET', handler: (r, c) => this.filter(r, c) },
    {
      pattern: /^\/qaorder\/order\/evaluate\/([^/]+)\/$/,
      method: 'PUT',
      handler: (r, c, n) => this.evaluate(r, c, n),
    },
    {
      pattern: /^\/qaorder\/user\/([^/]+)\/$/,
      method: 'GET',
      handler: (r, c, u) => this.doctorEvaluations(r, u),
    },
    {
      pattern: /^\/qaorder\/order\/pay\/([^/]+)\/$/,
      method: 'PATCH',
      handler: (r, c, n) => this.pay(r, c, n),
    },
    {
      pattern: /^\/qaorder\/patient\/inquiry\/record\/(\d+)\/$/,
      method: 'GET',
      handler: (r, c, pk) => this.inquiryRecords(r, c, Number(pk)),
    },
  ];

  addPatient(username: string, name = '患者'): FakeQaAccount {
    return this.addAccount(username, 'patient', name, '0.00');
  }

  addDoctor(username: string, price = '19.00', name = '医生'): FakeQaAccount {
    return this.addAccount(username, 'doctor', name, price);
  }

  /** The account's token is deleted; the account gets a new one, as a new login would. */
  revoke(token: string): void {
    const account = this.accounts.find((a) => a.token === token);
    if (account) account.token = this.issue();
  }

  /** Moves an order as the partner's other parties would (question asked, doctor answered, …). */
  setStatus(orderNumber: string, status: number): void {
    const order = this.orders.get(orderNumber);
    if (!order) throw new Error(`no order ${orderNumber}`);
    order.status = status;
  }

  protected handle(req: FakeRequest): FakeReply {
    const route = this.routes.find((r) => r.pattern.test(req.path));
    if (!route) return DJANGO_404;
    const header = req.headers.authorization ?? '';
    if (!header) {
      return {
        status: 401,
        body: { detail: 'Authentication credentials were not provided.' },
        headers: { 'www-authenticate': 'Token' },
      };
    }
    const key = /^Token ([0-9a-f]{40})$/.exec(header)?.[1];
    const caller = key && this.accounts.find((a) => a.token === key);
    if (!caller)
      return { status: 401, body: { detail: 'Invalid token.' }, headers: { 'www-authenticate': 'Token' } };
    if (req.method !== route.method)
      return { status: 405, body: { detail: `Method "${req.method}" not allowed.` } };
    return route.handler(req, caller, route.pattern.exec(req.path)?.[1] ?? '');
  }

  private addAccount(username: string, role: Role, name: string, price: string): FakeQaAccount {
    const account = {
      pk: this.accounts.length + 1,
      username,
      token: this.issue(),
      role,
      name,
      price,
    };
    this.accounts.push(account);
    return account;
  }

  private issue(): string {
    const token = randomBytes(20).toString('hex');
    this.issued.push(token);
    return token;
  }

  private params(req: FakeRequest): Record<string, unknown> {
    return String(req.headers['content-type']).includes('json') ? (jsonBody(req) ?? {}) : formParams(req);
  }

  private create(req: FakeRequest, caller: FakeQaAccount): FakeReply {
    const { doctor: username, order_type: orderType } = this.params(req);
    if (!username) return bad('doctor', 'This field is required.');
    const doctor = this.accounts.find((a) => a.role === 'doctor' && a.username === username);
    if (!doctor) return bad('doctor', `Object with owner=${echo(username)} does not exist.`);
    if (typeof orderType !== 'string' || !ORDER_TYPES[orderType])
      return bad('order_type', `"${echo(orderType)}" is not a valid choice.`);
    this.seq += 1;
    const orderNumber = `1225726${String(Date.now()).padStart(13, '0')}${String(this.seq).padStart(6, '0')}`;
    const order: FakeOrder = {
      pk: this.seq,
      orderNumber,
      patient: caller,
      doctor,
      status: 0,
      channel: 'alipay',
      orderType,
      createdAt: drfTime(new Date()),
      seq: this.seq,
    };
    this.orders.set(orderNumber, order);
    return { status: 201, body: this.order(order) };
  }

  private visible(caller: FakeQaAccount, orderNumber: string): FakeOrder | undefined {
    const order = this.orders.get(orderNumber);
    return order && (order.patient === caller || order.doctor === caller) ? order : undefined;
  }

  private detail(caller: FakeQaAccount, orderNumber: string): FakeReply {
    const order = this.visible(caller, orderNumber);
    return order ? { body: this.order(order) } : NOT_FOUND;
  }

  private destroy(caller: FakeQaAccount, orderNumber: string): FakeReply {
    const order = this.visible(caller, orderNumber);
    if (!order) return NOT_FOUND;
    this.orders.delete(orderNumber);
    return { status: 204 };
  }

  private ordersOf(caller: FakeQaAccount, position: Role, statuses?: number[]): FakeOrder[] {
    return [...this.orders.values()]
      .filter((o) => o[position] === caller && (!statuses || statuses.includes(o.status)))
      .sort((a, b) => b.seq - a.seq);
  }

  private statusFilter(req: FakeRequest): number[] | undefined | FakeReply {
    const status = req.query.get('status');
    if (status === null || status === '') return undefined;
    return /^[0-6]$/.test(status)
      ? [Number(status)]
      : bad('status', `Select a valid choice. ${status} is not one of the available choices.`);
  }

  private list(req: FakeRequest, caller: FakeQaAccount, position: Role): FakeReply {
    const statuses = this.statusFilter(req);
    if (statuses && !Array.isArray(statuses)) return statuses;
    return this.page(
      req,
      this.ordersOf(caller, position, statuses).map((o) => this.order(o)),
    );
  }

  private filter(req: FakeRequest, caller: FakeQaAccount): FakeReply {
    const statuses = this.statusFilter(req);
    if (!statuses) return bad('status', 'This field is required.');
    if (!Array.isArray(statuses)) return statuses;
    const mine = [
      ...this.ordersOf(caller, 'patient', statuses),
      ...this.ordersOf(caller, 'doctor', statuses),
    ];
    return this.page(
      req,
      mine.map((o) => this.order(o)),
    );
  }

  private newest(req: FakeRequest, caller: FakeQaAccount, position: Role): FakeReply {
    const other = req.query.get('username');
    if (!other) return bad('username', 'This field is required.');
    const counterpart = position === 'patient' ? 'doctor' : 'patient';
    const order = this.ordersOf(caller, position).find((o) => o[counterpart].username === other);
    return order ? { body: this.order(order) } : NOT_FOUND;
  }

  private transition(
    caller: FakeQaAccount,
    orderNumber: string,
    from: number[],
    to: number,
    refusal: FakeReply,
  ): FakeReply {
    const order = this.visible(caller, orderNumber);
    if (!order) return NOT_FOUND;
    if (!from.includes(order.status)) return refusal;
    order.status = to;
    return { body: this.order(order) };
  }

  private evaluate(req: FakeRequest, caller: FakeQaAccount, orderNumber: string): FakeReply {
    const order = this.visible(caller, orderNumber);
    if (!order) return NOT_FOUND;
    const { scores, content } = this.params(req);
    if (!/^[1-5]$/.test(echo(scores ?? ''))) return bad('scores', `"${echo(scores)}" is not a valid choice.`);
    if (typeof content !== 'string' || !content.trim()) return bad('content', 'This field may not be blank.');
    if (order.patient !== caller || order.status !== 4) return refused(-5, '不能评价订单');
    order.status = 5;
    const evaluation: FakeEvaluation = {
      pk: this.evaluations.length + 1,
      patient: caller,
      doctor: order.doctor,
      scores: Number(scores),
      content,
      evaluateType: order.orderType,
      createdAt: drfTime(new Date()),
    };
    this.evaluations.push(evaluation);
    return { body: this.evaluation(evaluation) };
  }

  private doctorEvaluations(req: FakeRequest, username: string): FakeReply {
    const doctor = this.accounts.find(
      (a) => a.role === 'doctor' && a.username === decodeURIComponent(username),
    );
    if (!doctor) return NOT_FOUND;
    const mine = this.evaluations.filter((e) => e.doctor === doctor);
    return this.page(
      req,
      mine.map((e) => this.evaluation(e)),
    );
  }

  private pay(req: FakeRequest, caller: FakeQaAccount, orderNumber: string): FakeReply {
    const order = this.visible(caller, orderNumber);
    if (!order) return NOT_FOUND;
    const { channel } = this.params(req);
    if (typeof channel !== 'string' || !CHANNELS[channel])
      return bad('channel', `"${echo(channel)}" is not a valid choice.`);
    if (order.status !== 0) return refused(-2, '订单不能支付');
    // Ping++ confirms at once here; the real partner marks the order paid on its webhook.
    order.status = 1;
    order.channel = channel;
    const fen = Math.round(Number(order.doctor.price) * 100);
    const id = `ch_${randomBytes(12).toString('base64url')}`;
    const now = Math.floor(Date.now() / 1000);
    const charge = {
      order_no: order.orderNumber,
      extra: {},
      app: 'app_FakeFeiqingsong01',
      livemode: false,
      currency: 'cny',
      time_settle: null,
      time_expire: now + 86400,
      id,
      subject: `肺轻松#${order.orderNumber.slice(0, 22)}`,
      failure_msg: null,
      channel,
      metadata: { owner: caller.username, order_number: order.orderNumber },
      body: `肺轻松#${order.orderNumber}`,
      credential: {
        [channel]: { orderInfo: `out_trade_no="${order.orderNumber}"&total_fee="${order.doctor.price}"` },
        object: 'credential',
      },
      client_ip: '127.0.0.1',
      description: null,
      amount_refunded: 0,
      refunded: false,
      object: 'charge',
      paid: false,
      amount_settle: fen,
      time_paid: null,
      failure_code: null,
      refunds: { url: `/v1/charges/${id}/refunds`, has_more: false, object: 'list', data: [] },
      created: now,
      transaction_no: null,
      amount: fen,
    };
    return { body: { status: 0, message: '', charge } };
  }

  private inquiryRecords(req: FakeRequest, caller: FakeQaAccount, patientPk: number): FakeReply {
    const patient = this.accounts.find((a) => a.pk === patientPk && a.role === 'patient');
    if (!patient) return NOT_FOUND;
    const orders = this.ordersOf(patient, 'patient');
    if (caller !== patient && !orders.some((o) => o.doctor === caller)) return NOT_FOUND;
    return this.page(
      req,
      orders.map((o) => ({ pk: o.pk, order_number: o.orderNumber, create_time: o.createdAt })),
    );
  }

  private page(req: FakeRequest, items: unknown[]): FakeReply {
    const rawPage = req.query.get('page') ?? '1';
    const asked = Number(req.query.get('page_size'));
    const size =
      this.honourPageSize && Number.isInteger(asked) && asked > 0
        ? Math.min(asked, MAX_PAGE_SIZE)
        : this.pageSize;
    const last = Math.max(1, Math.ceil(items.length / size));
    const page = /^\d+$/.test(rawPage) ? Number(rawPage) : NaN;
    if (!(page >= 1 && page <= last)) return { status: 404, body: { detail: 'Invalid page.' } };
    const link = (n: number) => {
      const url = new URL(req.path, this.linkOrigin ?? `http://${String(req.headers.host)}`);
      for (const [k, v] of req.query) url.searchParams.set(k, v);
      if (n === 1) url.searchParams.delete('page');
      else url.searchParams.set('page', String(n));
      return url.toString();
    };
    return {
      body: {
        count: items.length,
        next: page < last ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        results: items.slice((page - 1) * size, page * size),
      },
    };
  }

  private user(a: FakeQaAccount) {
    return { owner: a.username, invitation_code: '', name: a.name, avatar: 'http://123.jpg' };
  }

  private order(o: FakeOrder) {
    const asked = o.status >= 2 && o.status !== 6;
    const answered = o.status >= 3 && o.status !== 6;
    const question = asked
      ? {
          pk: o.pk,
          owner: this.user(o.patient),
          order: o.orderNumber,
          allergy_history: '无过敏史',
          smoke_history: '无吸烟史',
          condition_description: '咳嗽两周',
          file_list: ['http://123.jpg'],
          desc_files: 'http://123.jpg',
          create_time: o.createdAt,
        }
      : null;
    const answer = answered
      ? {
          pk: o.pk,
          owner: this.user(o.doctor),
          question: o.pk,
          diagnosis_tag: [{ pk: 2, owner: o.doctor.username, name: '哮喘', description: '支气管哮喘' }],
          drug: [],
          diagnosis_result: '注意休息，按时复查',
          extra_suggestion: '戒烟',
          create_time: o.createdAt,
        }
      : null;
    return {
      pk: o.pk,
      patient: this.user(o.patient),
      doctor: this.user(o.doctor),
      question,
      answer,
      order_number: o.orderNumber,
      amount: o.doctor.price,
      status: o.status,
      status_display: STATUS_DISPLAY[o.status],
      channel: o.channel,
      channel_display: CHANNELS[o.channel],
      order_type: o.orderType,
      order_type_display: ORDER_TYPES[o.orderType],
      create_time: o.createdAt,
    };
  }

  private evaluation(e: FakeEvaluation) {
    return {
      pk: e.pk,
      patient: this.user(e.patient),
      doctor: this.user(e.doctor),
      scores: e.scores,
      scores_display: SCORES[e.scores],
      content: e.content,
      create_time: e.createdAt,
      evaluate_type: e.evaluateType,
      evaluate_type_display: ORDER_TYPES[e.evaluateType],
    };
  }
}
