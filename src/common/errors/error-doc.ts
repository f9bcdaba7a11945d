import { readFileSync, writeFileSync } from 'node:fs';
import { ERROR_TABLE, ErrorCode } from './error-codes';

const RANGES =
  'Ranges: 1xxxx common, 2xxxx auth/users, 3xxxx projects/diagnoses, 4xxxx payments, 5xxxx partners, 6xxxx chat/messages.';

/** The Markdown table in docs/error-codes.md, rendered from the one error table. */
export function renderErrorDoc(): string {
  const rows = (Object.keys(ERROR_TABLE) as unknown as ErrorCode[])
    .map(Number)
    .sort((a, b) => a - b)
    .map(
      (code: ErrorCode) =>
        `| ${code} | ${ErrorCode[code]} | ${ERROR_TABLE[code].status} | ${ERROR_TABLE[code].message || '—'} |`,
    );
  return [
    '# Error codes',
    '',
    'Every response is `{ "error_code": int, "data": any, "error_message": string }`. The HTTP status follows the',
    `class of the error; \`error_code\` is stable. ${RANGES}`,
    '',
    'Generated from `src/common/errors/error-codes.ts` by `npm run docs:errors`; a test fails when they differ.',
    '',
    '| error_code | name | HTTP | error_message (default) |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

const START = '<!-- error-codes:start -->';
const END = '<!-- error-codes:end -->';

/** README.md with the table (without the doc's heading) between its error-codes markers. */
export function readmeWithErrorTable(readme: string): string {
  const table = renderErrorDoc().slice(renderErrorDoc().indexOf('| error_code'));
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md lacks the error-codes markers');
  return `${readme.slice(0, start + START.length)}\n${table}${readme.slice(end)}`;
}

if (require.main === module) {
  writeFileSync('docs/error-codes.md', renderErrorDoc());
  writeFileSync('README.md', readmeWithErrorTable(readFileSync('README.md', 'utf8')));
}
