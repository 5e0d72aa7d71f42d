import type { ClockTime } from '../commands/command';
import { dayNumber, localParts, weekdayOfDay, zonedTime } from '../time';

/** A quiet window in local time; `from` after `to` spans midnight (22:00–07:00). */
export interface QuietHours {
  readonly from: ClockTime;
  readonly to: ClockTime;
}

/**
 * A schedule's rule: a local time of day in an IANA time zone, every day or Monday to
 * Friday, optionally kept out of quiet hours.
 *
 * Quiet hours **move** an occurrence that falls inside them to the end of the window
 * (a reminder at 06:30 with quiet hours 22:00–07:00 arrives at 07:00); they never
 * drop one. The weekday filter applies to the day the occurrence was set for, so a
 * Friday 23:00 reminder moved to 07:00 arrives on Saturday morning.
 */
export interface ScheduleRule {
  readonly at: ClockTime;
  readonly tz: string;
  readonly days: 'daily' | 'weekdays';
  readonly quiet?: QuietHours;
}

const minutes = (t: ClockTime): number => t.hour * 60 + t.minute;

/** True when local minute-of-day `m` is inside the window (start included, end excluded). */
function insideWindow(m: number, q: QuietHours): boolean {
  const from = minutes(q.from);
  const to = minutes(q.to);
  if (from === to) return false;
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/** Whether the instant `at` falls inside quiet hours `q` in time zone `tz`. */
export function inQuietHours(at: Date, tz: string, q: QuietHours | undefined): boolean {
  if (!q) return false;
  const p = localParts(at, tz);
  return insideWindow(p.hour * 60 + p.minute, q);
}

/**
 * The local time an occurrence really happens at once quiet hours are applied, and how
 * many days later than its nominal day (1 when the window's end is after midnight).
 */
export function effectiveTime(rule: ScheduleRule): { at: ClockTime; dayShift: 0 | 1 } {
  const q = rule.quiet;
  if (!q || !insideWindow(minutes(rule.at), q)) return { at: rule.at, dayShift: 0 };
  return { at: q.to, dayShift: minutes(q.to) < minutes(rule.at) ? 1 : 0 };
}

/**
 * The next `count` instants at which `rule` fires strictly after `after`. Pure: time
 * comes in as an argument (tests use a fake clock). Daylight-saving changes move no
 * occurrence: 09:00 stays 09:00 local; a time inside a spring-forward gap fires at the
 * first valid instant after it.
 */
export function nextOccurrences(rule: ScheduleRule, after: Date, count = 1): Date[] {
  const { at, dayShift } = effectiveTime(rule);
  const out: Date[] = [];
  // Start a day early: a moved occurrence of yesterday may still be ahead.
  for (let day = dayNumber(after, rule.tz) - 1; out.length < count; day++) {
    if (rule.days === 'weekdays' && weekdayOfDay(day) > 5) continue;
    const t = zonedTime(day + dayShift, at.hour, at.minute, rule.tz);
    if (t.getTime() > after.getTime()) out.push(t);
  }
  return out;
}

/**
 * The rule as a 5-field cron pattern in its time zone, for engines that take cron
 * (BullMQ job schedulers, croner). Fires at the same instants as {@link nextOccurrences}.
 */
export function cronOf(rule: ScheduleRule): { readonly cron: string; readonly tz: string } {
  const { at, dayShift } = effectiveTime(rule);
  const days = rule.days === 'daily' ? '*' : dayShift ? '2-6' : '1-5';
  return { cron: `${at.minute} ${at.hour} * * ${days}`, tz: rule.tz };
}

/** `HH:MM` of a clock time. */
export function clockOf(t: ClockTime): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}
