import { readFileSync } from 'node:fs';
import { ERROR_TABLE, ErrorCode } from './error-codes';
import { readmeWithErrorTable, renderErrorDoc } from './error-doc';

describe('error-code table', () => {
  it('docs/error-codes.md is the rendering of the table (run `npm run docs:errors` after adding a code)', () => {
    expect(readFileSync('docs/error-codes.md', 'utf8')).toBe(renderErrorDoc());
  });

  it('README.md shows the same table', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readmeWithErrorTable(readme)).toBe(readme);
  });

  it('every code has a 4xx/5xx status (0 excepted) and a message, and lies in its range', () => {
    for (const code of Object.values(ErrorCode).filter((v): v is ErrorCode => typeof v === 'number')) {
      const spec = ERROR_TABLE[code];
      if (code === ErrorCode.OK) continue;
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.message.length).toBeGreaterThan(0);
      expect(code).toBeGreaterThanOrEqual(10000);
      expect(code).toBeLessThan(70000);
    }
  });
});
