/**
 * Malformed requests derived from the OpenAPI document: for each operation, its valid request (from the
 * authorization table) with one part broken at a time.
 */

interface Schema {
  type?: string;
  $ref?: string;
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** A value placed into JSON as written (`1e400`, `9223372036854775808`), which JSON.stringify cannot produce. */
export class RawJson {
  constructor(readonly text: string) {}
}

export interface Probe {
  /** What was broken, for the report. */
  label: string;
  /** Replaces the value of one path parameter (already URL-encoded). */
  path?: { name: string; value: string };
  /** The query string as sent (already URL-encoded); undefined keeps the valid request's. */
  query?: string;
  headers?: Record<string, string>;
  /** The body as sent, with its type. */
  body?: { text: string | Buffer; type: string };
}

/** Text the database or the parsers may choke on; the harmless oddities travel together in one string. */
const UNICODE_EDGES: [string, string][] = [
  ['lone surrogate', '\ud800'],
  ['NUL', 'a\u0000b'],
  ['RTL override, zero-width, emoji', '\u202eevil\u202c zero\u200bwidth\ufeff 😀👨‍👩‍👧'],
];
const INJECTIONS: [string, string][] = [
  ['SQL', "' OR 1=1; DROP TABLE app_user --"],
  ['script', '<script>alert(1)</script>'],
];
/** Over the 1 MB body limit, and just under it (so it reaches validation and the database). */
export const HUGE = 1024 * 1024 + 1;
export const UNDER_LIMIT = 1000 * 1000;
const DEPTH = 10_000;

/** Every kind of wrong value, sent to every field whatever its declared type. */
const FIELD_VALUES: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['operator object', { $gt: '' }],
  ['array of null', [null]],
  ['5,000-item array', Array.from({ length: 5000 }, () => 'a')],
  ['empty string', ''],
  ['-1', -1],
  ['1.5', 1.5],
  ['2^63', new RawJson('9223372036854775808')],
  ['1e400', new RawJson('1e400')],
  ['"NaN"', 'NaN'],
  ['"99999999999999999999"', '99999999999999999999'],
  ...UNICODE_EDGES,
  ...INJECTIONS,
  ['1 MB string', 'x'.repeat(HUGE)],
  ['1,000,000-char string', 'x'.repeat(UNDER_LIMIT)],
  ['nested arrays, depth 10,000', new RawJson('['.repeat(DEPTH) + ']'.repeat(DEPTH))],
];

/** JSON text of `body` with `RawJson` values written as they are. */
export function toJson(body: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(body, (_, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0001raw${raws.length - 1}\u0001`;
    }
    return v;
  });
  return text.replace(/"\\u0001raw(\d+)\\u0001"/g, (_, i: string) => raws[Number(i)]);
}

const QUERY_VALUES: [string, string][] = [
  ['abc', 'abc'],
  ['empty', ''],
  ['-1', '-1'],
  ['1.5', '1.5'],
  ['2^63', '9223372036854775808'],
  ['1e400', '1e400'],
  ['NaN', 'NaN'],
  ['bad percent-encoding', '%E0%A4%A'],
  ['lone surrogate (invalid UTF-8)', '%ED%A0%80'],
  ...[...UNICODE_EDGES.slice(1), ...INJECTIONS].map(([l, v]): [string, string] => [l, encodeURIComponent(v)]),
  ['8 KB string', 'x'.repeat(8 * 1024)],
];
/**
 * `current_page` and `page_size` are one shared class (`PageQuery`) on every list: the whole set runs on the first
 * operation that takes them, these on the others.
 */
const PAGE_VALUES = QUERY_VALUES.filter(([l]) => ['abc', '-1', '2^63', '1e400'].includes(l));
const PAGE_PARAMS = new Set(['current_page', 'page_size']);

const PATH_VALUES: [string, string][] = [
  ['abc', 'abc'],
  ['1.5', '1.5'],
  ['-1', '-1'],
  ['0', '0'],
  ['20 digits', '99999999999999999999'],
  ['NUL', '%00'],
  ['lone surrogate (invalid UTF-8)', '%ED%A0%80'],
  ['SQL', encodeURIComponent("1' OR '1'='1")],
  ['script', encodeURIComponent('<script>alert(1)</script>')],
];

function resolve(doc: OpenApiDoc, s: Schema): Schema {
  return s.$ref ? doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] : s;
}

/** The body's fields and required fields (a `oneOf` body: the union of its variants). */
export function bodyFields(doc: OpenApiDoc, op: Operation): { fields: string[]; required: string[] } {
  const schema = op.requestBody?.content['application/json']?.schema;
  if (!schema) return { fields: [], required: [] };
  const variants = (resolve(doc, schema).oneOf ?? [schema]).map((s) => resolve(doc, s));
  return {
    fields: [...new Set(variants.flatMap((v) => Object.keys(v.properties ?? {})))],
    required: [...new Set(variants.flatMap((v) => v.required ?? []))],
  };
}

const encodeQuery = (q: Record<string, string | number>) =>
  Object.entries(q)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');

/**
 * Broken variants of one operation's valid request: each path parameter, query parameter, header parameter and
 * body field in turn, then the body as a whole.
 */
export function probesFor(
  doc: OpenApiDoc,
  op: Operation,
  valid: { query?: Record<string, string | number>; body?: object },
  pagingProbed: boolean,
): Probe[] {
  const probes: Probe[] = [];
  const params = op.parameters ?? [];
  for (const p of params.filter((x) => x.in === 'path')) {
    for (const [label, value] of PATH_VALUES)
      probes.push({ label: `path ${p.name}: ${label}`, path: { name: p.name, value } });
  }
  const validQuery = valid.query ?? {};
  for (const p of params.filter((x) => x.in === 'query')) {
    const others = encodeQuery(Object.fromEntries(Object.entries(validQuery).filter(([k]) => k !== p.name)));
    const withOthers = (q: string) => (others ? `${others}&${q}` : q);
    for (const [label, value] of PAGE_PARAMS.has(p.name) && pagingProbed ? PAGE_VALUES : QUERY_VALUES) {
      probes.push({ label: `query ${p.name}: ${label}`, query: withOthers(`${p.name}=${value}`) });
    }
    probes.push({ label: `query ${p.name}: repeated`, query: withOthers(`${p.name}=1&${p.name}=2`) });
    probes.push({ label: `query ${p.name}: bracketed`, query: withOthers(`${p.name}[a]=1&${p.name}[]=2`) });
  }
  for (const p of params.filter((x) => x.in === 'header')) {
    for (const [label, value] of QUERY_VALUES.slice(0, 9)) {
      probes.push({ label: `header ${p.name}: ${label}`, headers: { [p.name]: value } });
    }
  }

  if (!op.requestBody?.content['application/json']) return probes;
  const json = (text: string, type = 'application/json') => ({ text, type });
  const { fields, required } = bodyFields(doc, op);
  const base = (valid.body ?? {}) as Record<string, unknown>;
  for (const field of fields) {
    for (const [label, value] of FIELD_VALUES) {
      probes.push({ label: `body ${field}: ${label}`, body: json(toJson({ ...base, [field]: value })) });
    }
  }
  for (const field of required) {
    const rest = Object.fromEntries(Object.entries(base).filter(([k]) => k !== field));
    probes.push({ label: `body ${field}: missing`, body: json(toJson(rest)) });
  }
  const wholeBody: [string, { text: string | Buffer; type: string }][] = [
    ['empty object', json('{}')],
    ['empty', json('')],
    ['array', json('[]')],
    ['string', json('"text"')],
    ['null', json('null')],
    ['truncated JSON', json(toJson(base).slice(0, -1))],
    ['not JSON', json('not json at all')],
    ['nested arrays, depth 10,000', json('['.repeat(DEPTH) + ']'.repeat(DEPTH))],
    ['nested objects, depth 10,000', json('{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH))],
    ['1 MB of JSON', json(toJson({ ...base, padding: 'x'.repeat(HUGE) }))],
    ['JSON sent as text/plain', json(toJson(base), 'text/plain')],
    ['JSON declared in another charset', json(toJson(base), 'application/json; charset=utf-16')],
    [
      'form, 2,000 parameters',
      json(Array.from({ length: 2000 }, (_, i) => `p${i}=1`).join('&'), 'application/x-www-form-urlencoded'),
    ],
    [
      'form, nested 50 deep',
      json(`${fields[0] ?? 'a'}${'[a]'.repeat(50)}=1`, 'application/x-www-form-urlencoded'),
    ],
  ];
  for (const [label, body] of wholeBody) probes.push({ label: `body: ${label}`, body });
  return probes;
}

/** A multipart body of the given parts (`name`, optional `filename` and type). */
function multipart(parts: { name: string; filename?: string; type?: string; content: Buffer | string }[]) {
  const boundary = 'sweepBoundary7MA4YWxkTrZu0gW';
  const chunks = parts.flatMap((p) => [
    `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"` +
      (p.filename !== undefined ? `; filename="${p.filename}"` : '') +
      `\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`,
    p.content,
    '\r\n',
  ]);
  return {
    text: Buffer.concat(
      [...chunks, `--${boundary}--\r\n`].map((c) => (typeof c === 'string' ? Buffer.from(c) : c)),
    ),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Broken uploads: only as much as multer needs to parse (the image checks have their own suite). */
export function uploadProbes(image: Buffer): Probe[] {
  return [
    { label: 'upload: no body', body: { text: '', type: 'multipart/form-data; boundary=x' } },
    { label: 'upload: not multipart', body: { text: '{"file":"x"}', type: 'application/json' } },
    {
      label: 'upload: broken multipart',
      body: { text: '--x\r\ngarbage', type: 'multipart/form-data; boundary=x' },
    },
    {
      label: 'upload: text as a .png',
      body: multipart([{ name: 'file', filename: 'a.png', type: 'image/png', content: 'hello' }]),
    },
    {
      label: 'upload: image in another field',
      body: multipart([{ name: 'photo', filename: 'a.png', type: 'image/png', content: image }]),
    },
    {
      label: 'upload: two files',
      body: multipart([
        { name: 'file', filename: 'a.png', type: 'image/png', content: image },
        { name: 'file', filename: 'b.png', type: 'image/png', content: image },
      ]),
    },
    {
      label: 'upload: file name traversal',
      body: multipart([{ name: 'file', filename: '../../x.png', type: 'image/png', content: image }]),
    },
    { label: 'upload: file as a plain field', body: multipart([{ name: 'file', content: 'not a file' }]) },
  ];
}
