import request from 'supertest';
import { ERROR_TABLE, ErrorCode } from 'src/common/errors/error-codes';
import { AppRole, mintToken, World } from './world';

/** Who calls: the columns of the authorization matrix. */
export const COLUMNS = [
  'none',
  'expired',
  'disabled',
  'patient',
  'doctor',
  'assistant',
  'owner',
  'stranger',
  'operator',
] as const;
export type Column = (typeof COLUMNS)[number];

/** What else an answer must show, e.g. a list that holds (or does not hold) the owner's record. */
export interface Check {
  what: string;
  holds(res: Answer, w: World): boolean;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * The expected answer of one cell: HTTP status and `error_code` of the envelope. `code` is left out only for the
 * few answers that are not the envelope by design (an image, WeChat Pay's shape); `check` then says what they are.
 */
export interface Outcome {
  status: number;
  code?: number;
  check?: Check;
}

/** The cell does not apply: the route names nobody's resource (it acts on the caller's own or on shared data). */
export const NA = null;
export type Cells = Record<Column, Outcome | typeof NA>;

export const ok = (check?: Check): Outcome => ({ status: 200, code: ErrorCode.OK, check });

/** A failure; its status must be the one the error table gives the code (checked when the table loads). */
export function err(status: number, code: ErrorCode): Outcome {
  if (ERROR_TABLE[code].status !== status) {
    throw new Error(`error ${code} is HTTP ${ERROR_TABLE[code].status} in the error table, not ${status}`);
  }
  return { status, code };
}

export const NO_TOKEN = err(401, ErrorCode.TOKEN_MISSING);
export const EXPIRED = err(401, ErrorCode.TOKEN_INVALID);
export const DISABLED = err(403, ErrorCode.ACCOUNT_DISABLED);
export const FORBIDDEN = err(403, ErrorCode.ROLE_FORBIDDEN);
/** The three columns every guarded route answers the same way. */
export const TOKEN_CELLS = { none: NO_TOKEN, expired: EXPIRED, disabled: DISABLED } as const;

/** Operator routes (DESIGN §9): app accounts of every role are refused; no app account owns anything there. */
export const operatorOnly = (o: Outcome = ok()): Cells => ({
  ...TOKEN_CELLS,
  patient: FORBIDDEN,
  doctor: FORBIDDEN,
  assistant: FORBIDDEN,
  owner: NA,
  stranger: NA,
  operator: o,
});

/** Patient routes: other roles and operators are refused; owner and stranger cells where a record is named. */
export const patientOnly = (
  patient: Outcome,
  owner: Outcome | typeof NA = NA,
  stranger: Outcome | typeof NA = NA,
): Cells => ({
  ...TOKEN_CELLS,
  patient,
  doctor: FORBIDDEN,
  assistant: FORBIDDEN,
  owner,
  stranger,
  operator: FORBIDDEN,
});

const items = (body: Record<string, unknown>): { id?: unknown }[] => {
  const data = body.data as { list?: unknown } | unknown[] | undefined;
  if (Array.isArray(data)) return data as { id?: unknown }[];
  return Array.isArray(data?.list) ? (data.list as { id?: unknown }[]) : [];
};

/** The answer's list (`data.list`, or `data` itself) holds the record `id` names. */
export const holds = (what: string, id: (w: World) => number): Check => ({
  what: `lists ${what}`,
  holds: (res, w) => items(res.body).some((i) => Number(i.id) === id(w)),
});

/** The answer's list leaves the record `id` names out. */
export const omits = (what: string, id: (w: World) => number): Check => ({
  what: `leaves out ${what}`,
  holds: (res, w) => !items(res.body).some((i) => Number(i.id) === id(w)),
});

/** Who a request is built for: the column, and the app role of its account (operators aside). */
export interface Caller {
  column: Column;
  role: AppRole | 'operator';
}

export interface AuthzRequest {
  /** Values of the route's `:params`. */
  params?: Record<string, number | string>;
  query?: Record<string, string | number>;
  body?: object;
  /** A multipart upload of one file in the `file` field. */
  upload?: { filename: string; contentType: string; content: Buffer };
}

export interface RouteAuthz {
  /** The role of the account owning what the request names; `owner` and `stranger` are accounts of that role. */
  owner?: AppRole;
  /** The route revokes the caller's token: each cell calls with a token of its own. */
  endsSession?: boolean;
  request(w: World, caller: Caller): AuthzRequest;
  cells: Cells;
}

export type Method = 'get' | 'post' | 'put' | 'delete';

/**
 * `GET /diagnoses/:id` with `{ id: 7 }` → `['get', '/diagnoses/7']`. `raw` puts one parameter in as written
 * (already encoded, or deliberately not), as the malformed-input sweep does.
 */
export function resolveRoute(
  route: string,
  params: AuthzRequest['params'] = {},
  raw?: { name: string; value: string },
): [Method, string] {
  const [method, pattern] = route.split(' ');
  const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
    if (raw?.name === name) return raw.value;
    if (params[name] === undefined) throw new Error(`${route}: no value for :${name}`);
    return encodeURIComponent(String(params[name]));
  });
  return [method.toLowerCase() as Method, path];
}

type Subject = { userId: number } | { operatorId: number };

/** The token a column calls with (undefined: none); a route that ends the session gets a new one each time. */
export async function tokenFor(w: World, route: RouteAuthz, column: Column): Promise<string | undefined> {
  const account = (token: string, subject: Subject) => ({ token, subject });
  const who = ((): { token: string; subject?: Subject } | undefined => {
    switch (column) {
      case 'none':
        return undefined;
      case 'expired':
        return { token: w.expiredToken };
      case 'disabled':
        return { token: w.disabled.token };
      case 'patient':
      case 'doctor':
      case 'assistant':
        return account(w.role[column].token, { userId: w.role[column].id });
      case 'owner':
      case 'stranger': {
        if (!route.owner) throw new Error('an owner cell on a route without an owner');
        const a = (column === 'owner' ? w.owner : w.stranger)[route.owner];
        return account(a.token, { userId: a.id });
      }
      case 'operator':
        return account(w.operator.token, { operatorId: w.operator.id });
    }
  })();
  return route.endsSession && who?.subject ? mintToken(w.t, who.subject) : who?.token;
}

export function callerOf(route: RouteAuthz, column: Column): Caller {
  switch (column) {
    case 'patient':
    case 'doctor':
    case 'assistant':
      return { column, role: column };
    case 'owner':
    case 'stranger':
      return { column, role: route.owner ?? 'patient' };
    case 'operator':
      return { column, role: 'operator' };
    case 'none':
    case 'expired':
    case 'disabled':
      // The expired and the disabled token belong to patients; without a token, a patient's request is sent.
      return { column, role: 'patient' };
  }
}

/** Sends one request of the matrix against the running app. */
export function send(w: World, route: string, req: AuthzRequest, token: string | undefined) {
  const [method, path] = resolveRoute(route, req.params);
  let r = request(w.baseUrl)[method](path);
  if (token) r = r.set('X-auth-token', token);
  if (req.query) r = r.query(req.query);
  if (req.upload) {
    r = r.attach('file', req.upload.content, {
      filename: req.upload.filename,
      contentType: req.upload.contentType,
    });
  } else if (req.body) r = r.send(req.body);
  return r;
}

/** What went wrong with one cell, or undefined when the answer is the expected one. */
export function mismatch(expected: Outcome, res: Answer, w: World): string | undefined {
  if (res.status !== expected.status) return `HTTP ${res.status} (expected ${expected.status})`;
  if (expected.code !== undefined && res.body.error_code !== expected.code)
    return `error_code ${String(res.body.error_code)} (expected ${expected.code})`;
  if (expected.check && !expected.check.holds(res, w))
    return `the answer does not hold: ${expected.check.what}`;
  return undefined;
}
