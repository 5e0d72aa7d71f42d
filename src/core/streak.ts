import { weekdayOfDay } from './time';

/** A user's streak as stored. `lastDay` is a local day number, -1 before the first answer. */
export interface StreakState {
  readonly streak: number;
  readonly best: number;
  readonly freezes: number;
  readonly lastDay: number;
}

/** Streak mode: every day counts, or only Monday to Friday. */
export type StreakMode = 'daily' | 'weekdays';

export const MAX_FREEZES = 2;
export const FREEZE_EVERY = 7;
export const emptyStreak: StreakState = { streak: 0, best: 0, freezes: 0, lastDay: -1 };

/** Days strictly between `from` and `to` that the mode requires (weekends excluded for `weekdays`). */
export function requiredDaysBetween(from: number, to: number, mode: StreakMode): number {
  if (to - from <= 1) return 0;
  if (mode === 'daily') return to - from - 1;
  let n = 0;
  for (let d = from + 1; d < to; d++) if (weekdayOfDay(d) <= 5) n++;
  return n;
}

/**
 * The streak after an answer on local day `today` (PRODUCT.md): the first answer of a
 * day extends the streak; missed required days each use a held freeze, and the streak
 * restarts at 1 when there are not enough; a freeze is earned per 7-day run (at most 2
 * held). With `weekdays`, Saturday and Sunday neither count nor break. RedisStore's Lua
 * script implements the same rule; the store contract suite holds them together.
 */
export function applyAnswerDay(
  s: StreakState,
  today: number,
  mode: StreakMode,
): StreakState & { usedFreezes: number } {
  if (s.lastDay === today || (mode === 'weekdays' && weekdayOfDay(today) > 5) || today < s.lastDay) {
    return { ...s, usedFreezes: 0 };
  }
  let streak: number;
  let freezes = s.freezes;
  let usedFreezes = 0;
  if (s.lastDay < 0 || s.streak === 0) {
    streak = 1;
  } else {
    const missed = requiredDaysBetween(s.lastDay, today, mode);
    usedFreezes = Math.min(missed, freezes);
    freezes -= usedFreezes;
    streak = missed <= usedFreezes ? s.streak + 1 : 1;
  }
  if (streak % FREEZE_EVERY === 0) freezes = Math.min(MAX_FREEZES, freezes + 1);
  return { streak, best: Math.max(s.best, streak), freezes, lastDay: today, usedFreezes };
}

/**
 * The streak as it stands on `today` without a new answer: what `progress` and the
 * streak board show. Days missed beyond the held freezes mean the streak is 0.
 */
export function currentStreak(
  s: StreakState,
  today: number,
  mode: StreakMode,
): { streak: number; freezes: number; atRisk: boolean } {
  if (s.lastDay < 0 || s.streak === 0) return { streak: 0, freezes: s.freezes, atRisk: false };
  const missed = requiredDaysBetween(s.lastDay, today, mode);
  if (missed > s.freezes) return { streak: 0, freezes: 0, atRisk: false };
  const todayRequired = mode === 'daily' || weekdayOfDay(today) <= 5;
  return { streak: s.streak, freezes: s.freezes - missed, atRisk: s.lastDay < today && todayRequired };
}
