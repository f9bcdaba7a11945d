import { formatDateTime, setPlatformTimeZone } from 'src/common/time';
import { parseDateTime } from './publish-time';

describe('parseDateTime (platform-zone wall clock → instant)', () => {
  afterEach(() => setPlatformTimeZone('Asia/Shanghai'));

  it('reads the text in Asia/Shanghai (UTC+8) and formats back to the same text', () => {
    const d = parseDateTime('2017-02-17 13:00:00');
    expect(d?.toISOString()).toBe('2017-02-17T05:00:00.000Z');
    expect(formatDateTime(d)).toBe('2017-02-17 13:00:00');
    expect(parseDateTime('2024-01-01 00:00:00')?.toISOString()).toBe('2023-12-31T16:00:00.000Z');
  });

  it('follows the configured zone, DST included', () => {
    setPlatformTimeZone('Europe/Berlin');
    expect(parseDateTime('2024-07-01 12:00:00')?.toISOString()).toBe('2024-07-01T10:00:00.000Z');
    expect(parseDateTime('2024-01-01 12:00:00')?.toISOString()).toBe('2024-01-01T11:00:00.000Z');
    // 02:30 does not exist on the spring-forward night.
    expect(parseDateTime('2024-03-31 02:30:00')).toBeUndefined();
  });

  it.each([
    '2017-02-30 10:00:00',
    '2017-13-01 10:00:00',
    '2017-01-01 24:00:00',
    '2017-01-01 10:60:00',
    '0099-01-01 10:00:00',
    '2017-1-1 10:00:00',
    '2017-01-01T10:00:00',
    '2017-01-01',
    '',
    ' 2017-01-01 10:00:00',
  ])('refuses %p', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });
});
