import { ERROR_TABLE } from 'src/common/errors/error-codes';
import { AUTHZ_TABLE } from '../support/authz/authz-table';
import { callerOf, Column, NA, resolveRoute, RouteAuthz, tokenFor } from '../support/authz/cells';
import { OpenApiDoc, Probe, probesFor, uploadProbes } from '../support/authz/malformed';
import { RowChangeLog, RowChanges } from '../support/authz/row-changes';
import { buildWorld, World } from '../support/authz/world';
import { WECHAT_PNG } from '../support/fakes/wechat.fake';

const DOCUMENTED_CODES = new Set(Object.keys(ERROR_TABLE).map(Number));
/** Answers in WeChat Pay's shape by design (`{"code":"FAIL"}`), never the envelope. */
const WECHAT_SHAPED = 'POST /payments/wechat/notify';
/** Requests in flight together; a batch that wrote rows is re-sent one request at a time to attribute them. */
const BATCH = 8;

/** The caller whose valid request gets furthest: the owner of what it names, else the first role let in. */
function callerFor(spec: RouteAuthz): Column {
  const order: Column[] = ['owner', 'patient', 'doctor', 'assistant', 'operator', 'none'];
  return order.find((c) => {
    const cell = spec.cells[c];
    return cell !== NA && cell.status !== 401 && cell.status !== 403;
  })!;
}

interface Case {
  route: string;
  spec: RouteAuthz;
  column: Column;
  probe: Probe;
}

interface Finding {
  route: string;
  probe: string;
  status?: number;
  detail: string;
}

/** A refusal in the shape its route promises: the envelope with a documented code, or WeChat Pay's. */
function isShapedRefusal(route: string, text: string): boolean {
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (route === WECHAT_SHAPED) return answer.code === 'FAIL';
  return (
    typeof answer.error_code === 'number' &&
    answer.error_code !== 0 &&
    DOCUMENTED_CODES.has(answer.error_code) &&
    typeof answer.error_message === 'string' &&
    answer.error_message.length > 0
  );
}

/**
 * Every operation of the OpenAPI document, called by a caller it lets in with its valid request broken one part at
 * a time (test/support/authz/malformed.ts). No answer may be a 5xx; every refusal is the envelope with a documented
 * code; a refused request writes no row (counted exactly by triggers, test/support/authz/row-changes.ts).
 */
describe('malformed input', () => {
  let w: World;
  let log: RowChangeLog;
  const unknownOperations: string[] = [];
  const figures = { sent: 0, resent: 0, refused: 0, rowsByRefused: 0, bookkeeping: 0 };
  const serverErrors: Finding[] = [];
  const notEnvelope: Finding[] = [];
  const writesByRefused: Finding[] = [];

  /** The request of a case, ready to send (a route that ends the session gets a token of its own each time). */
  async function prepare({ route, spec, column, probe }: Case): Promise<[string, RequestInit]> {
    const valid = spec.request(w, callerOf(spec, column));
    const token = await tokenFor(w, spec, column);
    const [method, path] = resolveRoute(route, valid.params, probe.path);
    const query =
      probe.query ??
      new URLSearchParams(
        Object.entries(valid.query ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
    const body =
      probe.body ?? (valid.body ? { text: JSON.stringify(valid.body), type: 'application/json' } : undefined);
    const headers = {
      ...(token ? { 'X-auth-token': token } : {}),
      ...(body ? { 'Content-Type': body.type } : {}),
      ...probe.headers,
    };
    return [
      `${w.baseUrl}${path}${query ? `?${query}` : ''}`,
      { method: method.toUpperCase(), headers, body: body?.text },
    ];
  }

  const fire = async ([url, init]: [string, RequestInit]) => {
    const res = await fetch(url, init);
    return { status: res.status, text: await res.text() };
  };

  /**
   * Sends a batch together; returns the cases it refused and the rows it wrote. Only the first sending of a case
   * counts in the figures and findings; later ones only serve to attribute rows.
   */
  async function sendBatch(batch: Case[], first: boolean): Promise<{ refused: Case[]; written: RowChanges }> {
    const requests = await Promise.all(batch.map(prepare));
    await log.sinceLast(); // the tokens just minted
    const answers = await Promise.all(requests.map(fire));
    const written = await log.sinceLast();
    const refused = batch.filter((_, i) => answers[i].status >= 300);
    if (!first) {
      figures.resent += batch.length;
      return { refused, written };
    }
    figures.sent += batch.length;
    figures.refused += refused.length;
    figures.bookkeeping += written.bookkeeping;
    answers.forEach(({ status, text }, i) => {
      const finding = {
        route: batch[i].route,
        probe: batch[i].probe.label,
        status,
        detail: text.slice(0, 200),
      };
      if (status >= 500) serverErrors.push(finding);
      if (status >= 300 && !isShapedRefusal(batch[i].route, text)) notEnvelope.push(finding);
    });
    return { refused, written };
  }

  function record(c: Case, changes: RowChanges): void {
    figures.rowsByRefused += changes.data;
    writesByRefused.push({ route: c.route, probe: c.probe.label, detail: changes.tables.join(', ') });
  }

  /**
   * Sends a batch and makes sure its refused requests wrote nothing. When rows changed, the refused ones are sent
   * again together (accepted requests may write; refused ones must not), and a batch of refused requests that still
   * writes is halved until the log names the request.
   */
  async function settle(batch: Case[], first: boolean): Promise<void> {
    const { refused, written } = await sendBatch(batch, first);
    if (!written.data || !refused.length) return;
    if (refused.length < batch.length) return settle(refused, false);
    if (batch.length === 1) return record(batch[0], written);
    const before = figures.rowsByRefused;
    const half = Math.ceil(batch.length / 2);
    await settle(batch.slice(0, half), false);
    await settle(batch.slice(half), false);
    // Refused together they wrote, yet not again in halves: the rows are still theirs.
    if (figures.rowsByRefused === before)
      record({ ...batch[0], probe: { label: 'a batch of refused requests' } }, written);
  }

  beforeAll(async () => {
    w = await buildWorld();
    const doc = (await fetch(`${w.baseUrl}/docs-json`).then((r) => r.json())) as OpenApiDoc;
    log = await RowChangeLog.install(w.t.db);
    const cases: Case[] = [];
    let pagingProbed = false;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        const spec = AUTHZ_TABLE[route];
        if (!spec) {
          unknownOperations.push(route);
          continue;
        }
        const column = callerFor(spec);
        const valid = spec.request(w, callerOf(spec, column));
        const probes = [
          ...probesFor(doc, op, valid, pagingProbed),
          ...(valid.upload ? uploadProbes(WECHAT_PNG) : []),
        ];
        pagingProbed ||= (op.parameters ?? []).some((p) => p.name === 'current_page');
        cases.push(...probes.map((probe) => ({ route, spec, column, probe })));
      }
    }
    for (let i = 0; i < cases.length; i += BATCH) await settle(cases.slice(i, i + BATCH), true);
  }, 300_000);

  afterAll(async () => {
    console.log(
      `malformed input: ${figures.sent} requests (${figures.resent} sent again to attribute rows), ` +
        `${serverErrors.length} answered 5xx, ${figures.refused} refused, ${notEnvelope.length} refusals not in ` +
        `the envelope, ${figures.rowsByRefused} rows changed by refused requests ` +
        `(${figures.bookkeeping} bookkeeping rows: rate-limit counters, token expiry, SMS tries, WeChat token)`,
    );
    await w?.close();
  });

  it('knows how to call every operation of the OpenAPI document', () => {
    expect(unknownOperations).toEqual([]);
    expect(figures.sent).toBeGreaterThan(1000);
  });

  it('never answers 5xx', () => {
    expect(serverErrors).toEqual([]);
  });

  it('refuses with the envelope and a documented, non-zero error_code', () => {
    expect(notEnvelope).toEqual([]);
  });

  it('writes no row of application data for a refused request', () => {
    expect(writesByRefused).toEqual([]);
    expect(figures.rowsByRefused).toBe(0);
  });
});
