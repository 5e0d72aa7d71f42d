import {
  dayNumber,
  isoWeekKey,
  isTimeZone,
  localParts,
  parseDay,
  weekEnd,
  zonedTime,
} from '../../src/core/time';

describe('time zones and ISO weeks', () => {
  it('numbers local days in the given zone', () => {
    const at = new Date('2026-11-29T23:30:00Z');
    expect(dayNumber(at, 'UTC') + 1).toBe(dayNumber(at, 'Europe/Berlin'));
    expect(dayNumber(at, 'America/Los_Angeles')).toBe(dayNumber(at, 'UTC'));
  });

  it('gives ISO weeks with Monday start, across year ends', () => {
    expect(isoWeekKey(new Date('2026-11-29T12:00:00Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeekKey(new Date('2026-11-30T00:30:00+01:00'), 'Europe/Berlin')).toBe('2026-W49');
    expect(isoWeekKey(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(isoWeekKey(new Date('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
  });

  it('finds local wall-clock instants, also across daylight-saving changes', () => {
    const day = parseDay('2026-03-29') as number; // Europe switches to summer time at 02:00
    expect(zonedTime(day, 9, 0, 'Europe/Berlin').toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(zonedTime(day - 1, 9, 0, 'Europe/Berlin').toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(weekEnd(new Date('2026-11-29T12:00:00Z'), 'UTC').toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('accepts IANA names only', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('CET; DROP')).toBe(false);
    expect(parseDay('2026-02-30')).toBeUndefined();
  });

  it('gives the same wall clock as Intl, minute-cached offsets included, across DST changes', () => {
    // Zones with odd offsets or transitions: 00:01 local (St John's until 2011), 30-minute
    // DST (Lord Howe), 45-minute offsets (Kathmandu, Chatham), and the usual ones.
    const zones = [
      'America/St_Johns',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'Europe/Berlin',
      'America/New_York',
      'UTC',
    ];
    for (const tz of zones) {
      const intl = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      const from = Date.UTC(2009, 0, 1);
      // An irregular step, so that every minute and second of the hour comes up.
      for (let ms = from; ms < from + 3 * 365 * 86_400_000; ms += 7 * 3_600_000 + 13 * 60_000 + 7_000) {
        const want: Record<string, number> = {};
        for (const part of intl.formatToParts(new Date(ms))) want[part.type] = Number(part.value);
        const got = localParts(new Date(ms), tz);
        expect([tz, got.year, got.month, got.day, got.hour, got.minute, got.second]).toEqual([
          tz,
          want.year,
          want.month,
          want.day,
          want.hour,
          want.minute,
          want.second,
        ]);
      }
    }
  });
});
