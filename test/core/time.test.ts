import { dayNumber, isoWeekKey, isTimeZone, parseDay, weekEnd, zonedTime } from '../../src/core/time';

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
});
