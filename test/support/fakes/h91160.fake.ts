import { FakeReply, FakeRequest, jsonBody, PartnerFake } from './partner-fake';

/** The code this fake answers for a missing or wrong appToken (the seed leaves it open; PARTNERS §13). */
export const H91160_BAD_TOKEN = { code: '401', msg: 'appToken无效或已过期' } as const;
/** Missing or malformed parameter. */
export const H91160_BAD_PARAM = '10001';
/** The resource is taken (or was never offered). */
export const H91160_SLOT_TAKEN = '20001';
export const H91160_NO_SUCH_ORDER = '20002';
export const H91160_ALREADY_CANCELLED = '20003';

export interface FakeUnit {
  unitId: number;
  unitName: string;
  unitLevel: string;
  address: string;
  provinceCode: string;
  cityCode: string;
  areaCode: string;
}

export interface FakeDepartment {
  depId: number;
  unitId: number;
  depName: string;
}

export interface FakeOrder {
  orderId: number;
  hisTakeNo: string;
  /** The request body as it arrived, appToken included. */
  body: Record<string, unknown>;
  cancelled: boolean;
}

export interface H91160FakeOptions {
  /** Units offered by `unitList` (default 25). */
  units?: number;
  /** Departments of each unit (default 2); the first unit has `departmentsOfFirstUnit` (default 7). */
  departmentsPerUnit?: number;
  departmentsOfFirstUnit?: number;
}

const FIRST_UNIT_ID = 1001;
const DOCTORS_PER_DEPARTMENT = 2;
const RESOURCES_PER_SCHEDULE = 3;
const TIME_TYPES = ['am', 'pm'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** `S-<doctorId>-<YYYY-MM-DD>-<am|pm>`; resources append `-<n>`. */
const SCHEDULE_ID = /^S-(\d+)-(\d{4}-\d{2}-\d{2})-(am|pm)$/;
const RESOURCE_ID = /^(S-\d+-\d{4}-\d{2}-\d{2}-(?:am|pm))-(\d+)$/;

const ok = (data?: unknown): FakeReply => ({
  body: data === undefined ? { code: '0', msg: '成功' } : { code: '0', msg: '成功', data },
});
const refuse = (code: string, msg: string): FakeReply => ({ body: { code, msg } });

function datesBetween(begin: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${begin}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out.slice(0, 62);
}

/**
 * A loopback 91160 open API with the partner's rules (seed 003, PARTNERS §4/§11): the appToken is checked in the
 * query of GETs and the JSON body of POSTs, each method's required parameters are checked, answers are the
 * `{code: "0", msg, data}` envelope. It holds 25 units (of which every fifth has region codes we do not know),
 * their departments, two doctors per department, an am and a pm schedule per doctor and day, and three resources
 * per schedule; a booked resource leaves the free count until its order is cancelled. Control: `failPage` (a
 * `unitList` page answers HTTP 500 until `healPages`), `hangNext` / `refuseNext` (per path), `renameUnit`, and
 * the logs `orders`, `cancels`, `requests`.
 */
export class H91160Fake extends PartnerFake {
  readonly units: FakeUnit[];
  readonly orders: FakeOrder[] = [];
  readonly cancels: { orderId: number; cancelReason: string }[] = [];
  private readonly departments = new Map<number, FakeDepartment[]>();
  /** Resource id → the order holding it. */
  private readonly taken = new Map<string, number>();
  private readonly failingPages = new Set<number>();
  private readonly hangs: string[] = [];
  private readonly refusals: { path: string; code: string; msg: string }[] = [];
  private nextOrderId = 880001;

  constructor(
    readonly appToken: string,
    options: H91160FakeOptions = {},
  ) {
    super();
    const count = options.units ?? 25;
    this.units = Array.from({ length: count }, (_, i) => {
      const known = (i + 1) % 5 !== 0;
      return {
        unitId: FIRST_UNIT_ID + i,
        unitName: `深圳测试医院${i + 1}`,
        unitLevel: '三级甲等',
        address: `福田区测试路${i + 1}号`,
        provinceCode: known ? '440000' : '990000',
        cityCode: known ? '440300' : '990100',
        areaCode: known ? '440304' : '990101',
      };
    });
    for (const [i, unit] of this.units.entries()) {
      const n = i === 0 ? (options.departmentsOfFirstUnit ?? 7) : (options.departmentsPerUnit ?? 2);
      this.departments.set(
        unit.unitId,
        Array.from({ length: n }, (_, j) => ({
          depId: unit.unitId * 100 + j + 1,
          unitId: unit.unitId,
          depName: `科室${j + 1}`,
        })),
      );
    }
  }

  /** Every department of every unit. */
  get departmentCount(): number {
    return [...this.departments.values()].reduce((n, list) => n + list.length, 0);
  }

  departmentsOf(unitId: number): FakeDepartment[] {
    return this.departments.get(unitId) ?? [];
  }

  doctorIdsOf(depId: number): number[] {
    return Array.from({ length: DOCTORS_PER_DEPARTMENT }, (_, k) => depId * 10 + k + 1);
  }

  scheduleIdOf(doctorId: number, date: string, timeType: 'am' | 'pm' = 'am'): string {
    return `S-${doctorId}-${date}-${timeType}`;
  }

  /** `unitList` answers HTTP 500 for page `pageNum` until `healPages()`. */
  failPage(pageNum: number): void {
    this.failingPages.add(pageNum);
  }

  healPages(): void {
    this.failingPages.clear();
  }

  /** The next request to `path` is never answered. */
  hangNext(path: string): void {
    this.hangs.push(path);
  }

  /** The next request to `path` gets the business refusal `code`. */
  refuseNext(path: string, code: string, msg: string): void {
    this.refusals.push({ path, code, msg });
  }

  renameUnit(unitId: number, name: string): void {
    const unit = this.units.find((u) => u.unitId === unitId);
    if (unit) unit.unitName = name;
  }

  /** `pageNum` of every `unitList` request, oldest first. */
  unitPagesRequested(): number[] {
    return this.requestsTo('/basicInfo/unitList').map((r) => Number(r.query.get('pageNum')));
  }

  protected handle(req: FakeRequest): FakeReply | Promise<FakeReply> {
    const hang = this.hangs.indexOf(req.path);
    if (hang >= 0) {
      this.hangs.splice(hang, 1);
      return new Promise<FakeReply>(() => undefined);
    }
    const refusal = this.refusals.findIndex((r) => r.path === req.path);
    if (refusal >= 0) {
      const [{ code, msg }] = this.refusals.splice(refusal, 1);
      return refuse(code, msg);
    }
    if (req.method === 'GET') return this.read(req);
    if (req.method === 'POST') return this.write(req);
    return { status: 405, body: 'Method Not Allowed' };
  }

  private read(req: FakeRequest): FakeReply {
    const q = req.query;
    if (q.get('appToken') !== this.appToken) return refuse(H91160_BAD_TOKEN.code, H91160_BAD_TOKEN.msg);
    const missing = (names: string[]) => names.find((n) => !q.get(n));
    const int = (name: string) => (/^\d+$/.test(q.get(name) ?? '') ? Number(q.get(name)) : NaN);
    const page = <T>(list: T[]) => {
      const pageNum = int('pageNum');
      const pageSize = int('pageSize');
      return ok({ list: list.slice((pageNum - 1) * pageSize, pageNum * pageSize), total: list.length });
    };
    const required: Record<string, string[]> = {
      '/basicInfo/unitList': ['pageNum', 'pageSize'],
      '/basicInfo/depList': ['unitId', 'pageNum', 'pageSize'],
      '/basicInfo/doctorList': ['unitId', 'depId', 'pageNum', 'pageSize'],
      '/appointment/scheduleList': ['unitId', 'depId', 'doctorId', 'beginDate', 'endDate'],
      '/appointment/resourceList': ['unitId', 'scheduleId'],
    };
    if (!required[req.path]) return { status: 404, body: '<html>404</html>' };
    const absent = missing(required[req.path]);
    if (absent) return refuse(H91160_BAD_PARAM, `缺少参数${absent}`);
    for (const name of ['pageNum', 'pageSize', 'unitId', 'depId', 'doctorId'])
      if (q.has(name) && !(int(name) >= 1)) return refuse(H91160_BAD_PARAM, `参数${name}格式错误`);

    switch (req.path) {
      case '/basicInfo/unitList':
        if (this.failingPages.has(int('pageNum'))) return { status: 500, body: 'Internal Server Error' };
        return page(this.units.map((u) => ({ ...u, masterUnitId: u.unitId, unitOrg: 1 })));
      case '/basicInfo/depList':
        return page(
          this.departmentsOf(int('unitId')).map((d) => ({
            ...d,
            depIntro: `${d.depName}简介`,
            telephone: '0755-00000000',
            depClassId: '106',
            depClassName: '内科',
          })),
        );
      case '/basicInfo/doctorList':
        return page(this.doctors(int('unitId'), int('depId')));
      case '/appointment/scheduleList':
        return this.schedules(int('unitId'), int('depId'), int('doctorId'), q);
      default:
        return this.resources(int('unitId'), q.get('scheduleId') as string);
    }
  }

  private doctors(unitId: number, depId: number) {
    const dep = this.departmentsOf(unitId).find((d) => d.depId === depId);
    if (!dep) return [];
    return this.doctorIdsOf(depId).map((doctorId, k) => ({
      unitId,
      depId: String(depId),
      doctorId,
      doctorName: `医生${doctorId}`,
      image: '',
      doctorTitle: k === 0 ? '主任医师' : '主治医师',
      detail: '',
      gender: k % 2,
      expertise: '常见病',
    }));
  }

  private schedules(unitId: number, depId: number, doctorId: number, q: URLSearchParams): FakeReply {
    const begin = q.get('beginDate') as string;
    const end = q.get('endDate') as string;
    if (!DATE.test(begin) || !DATE.test(end)) return refuse(H91160_BAD_PARAM, '日期格式错误');
    if (!this.doctors(unitId, depId).some((d) => d.doctorId === doctorId)) return ok([]);
    const list = datesBetween(begin, end).flatMap((date) =>
      TIME_TYPES.map((timeType) => {
        const scheduleId = this.scheduleIdOf(doctorId, date, timeType);
        return {
          scheduleId,
          unitId,
          depId,
          doctorId,
          scheduleDate: date,
          timeType,
          timeTypeDesc: timeType === 'am' ? '上午' : '下午',
          levelCode: '1',
          levelName: '专家号',
          resourceMax: RESOURCES_PER_SCHEDULE,
          appointedNum: this.resourceIds(scheduleId).filter((r) => this.taken.has(r)).length,
          resourceFee: 25.5,
        };
      }),
    );
    return ok(list);
  }

  private resourceIds(scheduleId: string): string[] {
    return Array.from({ length: RESOURCES_PER_SCHEDULE }, (_, n) => `${scheduleId}-${n + 1}`);
  }

  /** The unit a schedule id belongs to, or undefined for ids this fake never issued. */
  private unitOfSchedule(scheduleId: string): number | undefined {
    const m = SCHEDULE_ID.exec(scheduleId);
    if (!m) return undefined;
    const doctorId = Number(m[1]);
    const depId = Math.floor(doctorId / 10);
    const unitId = Math.floor(depId / 100);
    return this.doctors(unitId, depId).some((d) => d.doctorId === doctorId) ? unitId : undefined;
  }

  private resources(unitId: number, scheduleId: string): FakeReply {
    if (this.unitOfSchedule(scheduleId) !== unitId) return ok([]);
    const [, , date, timeType] = SCHEDULE_ID.exec(scheduleId) as RegExpExecArray;
    const start = timeType === 'am' ? 8 * 60 : 14 * 60;
    const at = (minutes: number) =>
      `${date} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
    return ok(
      this.resourceIds(scheduleId).map((resourceId, n) => ({
        resourceId,
        beginTime: at(start + n * 30),
        endTime: at(start + (n + 1) * 30),
        scheduleId,
        resourceMax: 1,
        appointedNum: this.taken.has(resourceId) ? 1 : 0,
        resourceFee: 25.5,
      })),
    );
  }

  private write(req: FakeRequest): FakeReply {
    const body = jsonBody(req);
    if (!String(req.headers['content-type'] ?? '').includes('application/json'))
      return refuse(H91160_BAD_PARAM, '请求须为 JSON');
    if (!body || body.appToken !== this.appToken) return refuse(H91160_BAD_TOKEN.code, H91160_BAD_TOKEN.msg);
    if (req.path === '/appointment/order') return this.order(body);
    if (req.path === '/appointment/cancel') return this.cancel(body);
    return { status: 404, body: '<html>404</html>' };
  }

  private order(body: Record<string, unknown>): FakeReply {
    const filled = ['detlId', 'mobile', 'trueName', 'birthday', 'cardNo'];
    const present = ['clinicNo', 'address'];
    const bad =
      (typeof body.unitId !== 'number' && 'unitId') ||
      filled.find((k) => typeof body[k] !== 'string' || body[k] === '') ||
      present.find((k) => typeof body[k] !== 'string') ||
      (body.sex !== 0 && body.sex !== 1 && 'sex') ||
      (typeof body.cardType !== 'number' && 'cardType') ||
      (!DATE.test(String(body.birthday)) && 'birthday');
    if (bad) return refuse(H91160_BAD_PARAM, `参数${bad}缺失或格式错误`);
    const detlId = body.detlId as string;
    const m = RESOURCE_ID.exec(detlId);
    const offered = m && this.unitOfSchedule(m[1]) === body.unitId && Number(m[2]) <= RESOURCES_PER_SCHEDULE;
    if (!offered || this.taken.has(detlId)) return refuse(H91160_SLOT_TAKEN, '号源已约满');
    const orderId = this.nextOrderId++;
    const hisTakeNo = String(100000 + (orderId % 900000));
    this.taken.set(detlId, orderId);
    this.orders.push({ orderId, hisTakeNo, body, cancelled: false });
    return ok({ orderId, hisTakeNo });
  }

  private cancel(body: Record<string, unknown>): FakeReply {
    if (typeof body.orderId !== 'number') return refuse(H91160_BAD_PARAM, '参数orderId缺失或格式错误');
    if (typeof body.cancelReason !== 'string' || body.cancelReason === '')
      return refuse(H91160_BAD_PARAM, '参数cancelReason缺失');
    const order = this.orders.find((o) => o.orderId === body.orderId);
    if (!order) return refuse(H91160_NO_SUCH_ORDER, '订单不存在');
    if (order.cancelled) return refuse(H91160_ALREADY_CANCELLED, '订单已取消');
    order.cancelled = true;
    this.taken.delete(order.body.detlId as string);
    this.cancels.push({ orderId: order.orderId, cancelReason: body.cancelReason });
    return ok();
  }
}
