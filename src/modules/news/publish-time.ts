import { formatDateTime, zonedInstant } from 'src/common/time';

const DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/**
 * The instant of a `YYYY-MM-DD HH:mm:ss` wall-clock time in the platform zone (TZ_NAME), or undefined when the
 * text is not one: bad format, 2月30日, 24:00:00, a time skipped by a DST change. Formatting the instant back
 * must give the same text, which is the check for all of these.
 */
export function parseDateTime(text: string): Date | undefined {
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const date = zonedInstant(m[1], m[2]);
  return formatDateTime(date) === text ? date : undefined;
}
