/** Calendar helpers in IANA time zones, on Intl only (no I/O, no libraries). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when `tz` is an IANA time zone name this runtime knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock parts of an instant in a time zone. `weekday` 1 = Monday … 7 = Sunday. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Wall-clock parts of `at` in `tz`, straight from Intl (slow: about 20 µs a call). */
function intlParts(at: Date, tz: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(at)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: weekdays[p.weekday ?? 'Mon'] ?? 1,
  };
}

/**
 * Since 1980 every zone's offset is a whole number of minutes and changes only on a
 * whole minute, so it is constant within each minute of UTC: it is asked of Intl once
 * per zone and minute, then reused (checked against Intl for every zone, 1985-2040).
 */
const MINUTE_MS = 60_000;
const CACHE_FROM_MS = Date.UTC(1980, 0, 1);
const offsets = new Map<string, number>();

function offsetMs(ms: number, tz: string): number {
  const minute = Math.floor(ms / MINUTE_MS);
  const key = `${tz}|${minute}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const start = minute * MINUTE_MS;
    const p = intlParts(new Date(start), tz);
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start;
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** Wall-clock parts of `at` in `tz`. */
export function localParts(at: Date, tz: string): LocalParts {
  const ms = at.getTime();
  if (!(ms >= CACHE_FROM_MS)) return intlParts(at, tz);
  const local = new Date(ms + offsetMs(ms, tz));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: local.getUTCDay() || 7,
  };
}

/** Days since 1970-01-01 of the local calendar date of `at` in `tz`. */
export function dayNumber(at: Date, tz: string): number {
  const p = localParts(at, tz);
  return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / 86_400_000);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number. */
export function weekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** `YYYY-MM-DD` of a day number. */
export function dayString(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Day number of a `YYYY-MM-DD` string, or undefined when it is not a real date. */
export function parseDay(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayString(ms / 86_400_000) === s ? ms / 86_400_000 : undefined;
}

/** The ISO week (Monday start) of `at` in `tz`, as `2026-W48`. */
export function isoWeekKey(at: Date, tz: string): string {
  const day = dayNumber(at, tz);
  const thursday = day - weekdayOfDay(day) + 4;
  const year = new Date(thursday * 86_400_000).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / 86_400_000;
  const week = Math.floor((thursday - jan1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The instant at which the ISO week containing `at` (in `tz`) ends. */
export function weekEnd(at: Date, tz: string): Date {
  const day = dayNumber(at, tz);
  const nextMonday = day - weekdayOfDay(day) + 8;
  return zonedTime(nextMonday, 0, 0, tz);
}

/**
 * The instant when the wall clock in `tz` shows `hour:minute` on local day `day`.
 * In a spring-forward gap the later valid instant is returned.
 */
export function zonedTime(day: number, hour: number, minute: number, tz: string): Date {
  const target = day * 86_400_000 + (hour * 60 + minute) * 60_000;
  let guess = target;
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(guess), tz);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    if (shown === target) break;
    guess += target - shown;
  }
  return new Date(guess);
}

/** Parses `HH:MM` (24-hour) into minutes after midnight, or undefined. */
export function parseClock(s: string): { hour: number; minute: number } | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

/** `HH:MM` of `at` in `tz`. */
export function clockString(at: Date, tz: string): string {
  const p = localParts(at, tz);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}
