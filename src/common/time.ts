/** The platform's time zone (TZ_NAME); set once from configuration at start-up. */
let zone = 'Asia/Shanghai';

export function setPlatformTimeZone(tz: string): void {
  new Intl.DateTimeFormat('en', { timeZone: tz }); // throws RangeError on an unknown zone
  zone = tz;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    // sv-SE renders "YYYY-MM-DD HH:mm:ss"
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    formatters.set(tz, f);
  }
  return f;
}

/** `YYYY-MM-DD HH:mm:ss` in the platform zone; "" for no date. */
export function formatDateTime(date: Date | null | undefined): string {
  return date ? formatter(zone).format(date).replace('T', ' ') : '';
}

/** Today's `YYYY-MM-DD` in the platform zone. */
export function today(now: Date = new Date()): string {
  return formatDateTime(now).slice(0, 10);
}

/** Whole years between a `YYYY-MM-DD` birthday and today in the platform zone. */
export function ageOn(birthday: string | null | undefined, now: Date = new Date()): number {
  if (!birthday) return 0;
  const [by, bm, bd] = birthday.split('-').map(Number);
  const [ty, tm, td] = today(now).split('-').map(Number);
  const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
  return Math.max(0, age);
}

/** The instant of a wall-clock `YYYY-MM-DD` + `HH:mm:ss` in the platform zone. */
export function zonedInstant(date: string, time: string): Date {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s ?? 0);
  // The zone's offset at that moment: format a guess back into wall time and correct by the difference
  // (twice, so a daylight-saving change between guess and answer settles).
  let instant = wall;
  for (let i = 0; i < 2; i += 1) {
    const shown = formatDateTime(new Date(instant));
    const [sd, st] = shown.split(' ');
    const [sy, smo, sdd] = sd.split('-').map(Number);
    const [sh, smi, ss] = st.split(':').map(Number);
    instant += wall - Date.UTC(sy, smo - 1, sdd, sh, smi, ss);
  }
  return new Date(instant);
}

/** Whether a `YYYY-MM-DD` names a real calendar day. */
export function isCalendarDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
