import { Cron } from 'croner';
import {
  cronOf,
  inQuietHours,
  nextOccurrences,
  type ScheduleRule,
} from '../../src/core/schedule/next-occurrences';
import { preparingStrategy } from '../../src/schedule/bullmq-scheduler';

const iso = (d: Date[]) => d.map((x) => x.toISOString());

describe('nextOccurrences', () => {
  it('keeps 09:00 local across the spring DST change (Europe/Berlin)', () => {
    const rule: ScheduleRule = { at: { hour: 9, minute: 0 }, tz: 'Europe/Berlin', days: 'daily' };
    expect(iso(nextOccurrences(rule, new Date('2026-03-27T12:00:00Z'), 4))).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z', // CEST from 29 March
      '2026-03-30T07:00:00.000Z',
      '2026-03-31T07:00:00.000Z',
    ]);
  });

  it('keeps 09:00 local across the autumn DST change (America/New_York)', () => {
    const rule: ScheduleRule = { at: { hour: 9, minute: 0 }, tz: 'America/New_York', days: 'daily' };
    expect(iso(nextOccurrences(rule, new Date('2026-10-31T00:00:00Z'), 2))).toEqual([
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z', // EST from 1 November
    ]);
  });

  it('skips Saturday and Sunday with weekdays', () => {
    const rule: ScheduleRule = { at: { hour: 9, minute: 30 }, tz: 'UTC', days: 'weekdays' };
    // Friday 2026-12-04 10:00: next are Monday and Tuesday.
    expect(iso(nextOccurrences(rule, new Date('2026-12-04T10:00:00Z'), 2))).toEqual([
      '2026-12-07T09:30:00.000Z',
      '2026-12-08T09:30:00.000Z',
    ]);
  });

  it('moves an occurrence inside quiet hours to the end of the window', () => {
    const rule: ScheduleRule = {
      at: { hour: 6, minute: 30 },
      tz: 'Europe/Berlin',
      days: 'daily',
      quiet: { from: { hour: 22, minute: 0 }, to: { hour: 7, minute: 0 } },
    };
    const [next] = nextOccurrences(rule, new Date('2026-06-01T00:00:00Z'));
    expect(next?.toISOString()).toBe('2026-06-01T05:00:00.000Z'); // 07:00 CEST
    expect(inQuietHours(new Date('2026-06-01T04:30:00Z'), 'Europe/Berlin', rule.quiet)).toBe(true);
    expect(inQuietHours(next as Date, 'Europe/Berlin', rule.quiet)).toBe(false);
  });

  it('moves a late-evening weekday reminder past midnight onto the next day', () => {
    const rule: ScheduleRule = {
      at: { hour: 23, minute: 0 },
      tz: 'UTC',
      days: 'weekdays',
      quiet: { from: { hour: 22, minute: 0 }, to: { hour: 7, minute: 0 } },
    };
    expect(cronOf(rule)).toEqual({ cron: '0 7 * * 2-6', tz: 'UTC' });
    // Friday's reminder arrives Saturday 07:00; nothing on Sunday or Monday morning.
    expect(iso(nextOccurrences(rule, new Date('2026-12-05T00:00:00Z'), 2))).toEqual([
      '2026-12-05T07:00:00.000Z',
      '2026-12-08T07:00:00.000Z',
    ]);
  });

  it('fires at the same instants as croner running its cron pattern', () => {
    const rules: ScheduleRule[] = [
      { at: { hour: 9, minute: 0 }, tz: 'Europe/Berlin', days: 'weekdays' },
      { at: { hour: 8, minute: 15 }, tz: 'America/New_York', days: 'daily' },
      {
        at: { hour: 23, minute: 30 },
        tz: 'Australia/Sydney',
        days: 'weekdays',
        quiet: { from: { hour: 22, minute: 0 }, to: { hour: 6, minute: 45 } },
      },
    ];
    for (const rule of rules) {
      const after = new Date('2026-03-20T00:00:00Z');
      const { cron, tz } = cronOf(rule);
      const c = new Cron(cron, { timezone: tz, paused: true });
      const expected = c.nextRuns(20, after).map((d) => d.toISOString());
      expect(iso(nextOccurrences(rule, after, 20))).toEqual(expected);
    }
  });
});

describe('the BullMQ repeat strategy of prepared daily posts', () => {
  const at = (iso: string) => Date.parse(iso);
  const rule = { pattern: '0 9 * * 1-5', tz: 'Europe/Berlin' };
  const strategy = preparingStrategy(60_000);

  it('fires a daily post a minute before each occurrence, and other jobs on it', () => {
    // Friday 27 Nov 2026, 07:00 UTC: the next 09:00 Berlin is 08:00 UTC today.
    expect(strategy(at('2026-11-27T07:00:00Z'), rule, 'daily-post')).toBe(at('2026-11-27T07:59:00Z'));
    expect(strategy(at('2026-11-27T07:00:00Z'), rule, 'reminder')).toBe(at('2026-11-27T08:00:00Z'));
  });

  it('after a firing, or inside the lead, moves on to the next occurrence (Monday after a Friday)', () => {
    expect(strategy(at('2026-11-27T07:59:00.005Z'), rule, 'daily-post')).toBe(at('2026-11-30T07:59:00Z'));
    expect(strategy(at('2026-11-27T07:59:30Z'), rule, 'daily-post')).toBe(at('2026-11-30T07:59:00Z'));
  });
});
