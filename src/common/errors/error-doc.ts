import { writeFileSync } from 'node:fs';
import { ERROR_TABLE, ErrorCode } from './error-codes';

const RANGES = 'Ranges: 1xxxx common, 2xxxx auth/users, 3xxxx projects/diagnoses, 4xxxx payments, 5xxxx partners, 6xxxx chat/messages.';

/** The Markdown table in docs/error-codes.md, rendered from the one error table. */
export function renderErrorDoc(): string {
  const rows = (Object.keys(ERROR_TABLE) as unknown as ErrorCode[])
    .map(Number)
    .sort((a, b) => a - b)
    .map((code: ErrorCode) => `| ${code} | ${ErrorCode[code]} | ${ERROR_TABLE[code].status} | ${ERROR_TABLE[code].message || '—'} |`);
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

if (require.main === module) {
  writeFileSync('docs/error-codes.md', renderErrorDoc());
}
