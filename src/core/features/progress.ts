import type { Ctx } from '../context';
import { readiness } from '../learning/readiness';
import type { Progress, Reply } from '../reply';
import { currentStreak } from '../streak';
import { dayNumber, isoWeekKey, parseDay } from '../time';

/** The caller's own figures; in a channel they are shown to the caller only. */
export async function progress(ctx: Ctx): Promise<Reply[]> {
  const [stats, profile, tz, wsTz] = await Promise.all([
    ctx.store.getStats(ctx.tenant, ctx.userId),
    ctx.profile(),
    ctx.userTz(),
    ctx.workspaceTz(),
  ]);
  const today = dayNumber(ctx.now(), tz);
  const streak = currentStreak(stats.streak, today, profile.streakMode);
  const [all, week, due] = await Promise.all([
    ctx.store.leaderboard(ctx.tenant, { period: 'all' }, ctx.userId, 0),
    ctx.store.leaderboard(ctx.tenant, { period: 'week', week: isoWeekKey(ctx.now(), wsTz) }, ctx.userId, 0),
    ctx.store.dueCount(ctx.tenant, ctx.userId, ctx.now().getTime()),
  ]);
  const ready = readiness(ctx.bank, stats.domains);
  const domains = ctx.bank.manifest.domains.map((d) => ({
    domain: { id: d.id, name: d.name },
    correct: stats.domains[d.id]?.correct ?? 0,
    total: stats.domains[d.id]?.total ?? 0,
  }));
  const examDay = profile.examDate ? parseDay(profile.examDate) : undefined;
  const view: Progress = {
    kind: 'progress',
    name: ctx.actor.name,
    streak: streak.streak,
    bestStreak: stats.streak.best,
    freezes: streak.freezes,
    streakMode: profile.streakMode,
    streakAtRisk: streak.atRisk,
    points: stats.points,
    weekPoints: week.myScore,
    rank: profile.hidden ? null : all.myRank,
    answered: stats.answered,
    correct: stats.correct,
    domains,
    dueReviews: due,
    readiness: {
      score: ready.score,
      margin: ready.margin,
      passingScore: ctx.bank.manifest.format.passingScore,
    },
    ...(profile.examDate && examDay !== undefined
      ? { examDate: profile.examDate, daysToExam: examDay - today }
      : {}),
  };
  return [ctx.inChannel ? { ...view, audience: 'private' } : view];
}
