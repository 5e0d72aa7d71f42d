import { applyAnswerDay, currentStreak, emptyStreak, type StreakState } from '../../src/core/streak';
import { dayNumber } from '../../src/core/time';

const answerOn = (s: StreakState, day: number, mode: 'daily' | 'weekdays' = 'daily') => {
  const { usedFreezes: _, ...next } = applyAnswerDay(s, day, mode);
  return next;
};

describe('streak rules', () => {
  it('counts consecutive days and earns a freeze per 7-day run, at most 2 held', () => {
    let s = emptyStreak;
    for (let d = 100; d < 121; d++) s = answerOn(s, d);
    expect(s.streak).toBe(21);
    expect(s.freezes).toBe(2);
    expect(s.best).toBe(21);
  });

  it('counts a day once however many answers it has', () => {
    const s = answerOn(answerOn(answerOn(emptyStreak, 100), 100), 100);
    expect(s.streak).toBe(1);
  });

  it('keeps the streak with a freeze across a missed day in the user time zone', () => {
    // A Berlin user answers every evening; on day 8 they miss; they hold one freeze after day 7.
    const tz = 'Europe/Berlin';
    let s = emptyStreak;
    const start = Date.parse('2026-03-01T20:00:00Z');
    for (let i = 0; i < 7; i++) s = answerOn(s, dayNumber(new Date(start + i * 86_400_000), tz));
    expect(s).toMatchObject({ streak: 7, freezes: 1 });
    // Day 9, at 23:30 UTC, is already day 10 in Berlin (00:30 local): two local days missed → break.
    const lateNight = new Date(start + 8 * 86_400_000 + 3.5 * 3_600_000);
    expect(dayNumber(lateNight, tz)).toBe(dayNumber(new Date(start), tz) + 9);
    const broken = applyAnswerDay(s, dayNumber(lateNight, tz), 'daily');
    expect(broken).toMatchObject({ streak: 1, freezes: 0, usedFreezes: 1 });
    // The same instant in New York is still day 9 locally: one missed day, covered by the freeze.
    const ny = 'America/New_York';
    let t = emptyStreak;
    for (let i = 0; i < 7; i++) t = answerOn(t, dayNumber(new Date(start + i * 86_400_000), ny));
    const kept = applyAnswerDay(t, dayNumber(lateNight, ny), 'daily');
    expect(kept).toMatchObject({ streak: 8, freezes: 0, usedFreezes: 1 });
  });

  it('breaks the streak without a freeze', () => {
    let s = emptyStreak;
    for (let d = 200; d < 205; d++) s = answerOn(s, d);
    expect(s.freezes).toBe(0);
    expect(currentStreak(s, 205, 'daily')).toEqual({ streak: 5, freezes: 0, atRisk: true });
    expect(currentStreak(s, 206, 'daily').streak).toBe(0);
    expect(answerOn(s, 206).streak).toBe(1);
  });

  it('ignores weekends in weekdays mode', () => {
    // Day 20454 is Friday 2026-01-02; 20457 is Monday 2026-01-05.
    const friday = 20455;
    expect(new Date(friday * 86_400_000).getUTCDay()).toBe(5);
    let s = answerOn(answerOn(emptyStreak, friday - 1, 'weekdays'), friday, 'weekdays');
    const saturday = answerOn(s, friday + 1, 'weekdays');
    expect(saturday).toEqual(s);
    s = answerOn(s, friday + 3, 'weekdays');
    expect(s.streak).toBe(3);
    expect(currentStreak(s, friday + 4, 'weekdays').atRisk).toBe(true);
    // Daily mode would have broken it.
    expect(answerOn(answerOn(answerOn(emptyStreak, friday - 1), friday), friday + 3).streak).toBe(1);
  });
});
