import { type Ctx, text } from '../context';
import { checkChoice, grade } from '../grading';
import type { Item } from '../item';
import type { AnswerTarget } from '../model';
import type { Session, SessionAnswer } from '../ports';
import { newId, seededRandom, shuffled } from '../random';
import type { DomainScore, QuizSummary, Reply, Tag } from '../reply';
import { currentStreak } from '../streak';
import { dayNumber } from '../time';
import { optionOrder, optionViews, questionCard } from '../views';
import { type AnswerAhead, choiceCorrection, feedback, recordAnswer } from './record-answer';

/**
 * Draws `count` items for a practice quiz: unseen ones first, random order, optionally
 * from one domain. Series statements and case questions come with their context.
 */
export async function drawItems(ctx: Ctx, count: number, domain?: string): Promise<Item[]> {
  const pool = ctx.bank.items.filter((i) => !domain || i.domain === domain);
  const seen = await ctx.store.seenQuestions(ctx.tenant, ctx.userId);
  const random = seededRandom(`${ctx.userId}:${ctx.now().getTime()}`);
  const unseen = shuffled(
    pool.filter((i) => !seen.has(i.id)),
    random,
  );
  const rest = shuffled(
    pool.filter((i) => seen.has(i.id)),
    random,
  );
  return [...unseen, ...rest].slice(0, count);
}

/** Starts a practice quiz and shows its first question. */
export async function startQuiz(ctx: Ctx, count: number, domain?: string): Promise<Reply[]> {
  const items = await drawItems(ctx, count, domain);
  if (items.length === 0)
    return [text('There are no questions for that choice yet. Try `quiz` without a domain.')];
  const scope = domain ? ` on *${ctx.bank.domain(domain).name}*` : '';
  return startSessionWith(
    ctx,
    items,
    'quiz',
    `Quiz of ${items.length} question${items.length === 1 ? '' : 's'}${scope}. Good luck!`,
  );
}

/**
 * Opens a session over the given items (quiz, review or drill) and shows the first. The
 * id is new unless the caller derives one (a reminder's occurrence); an existing session
 * under it is overwritten, so such a caller checks for it first ({@link showSession}).
 */
export async function startSessionWith(
  ctx: Ctx,
  items: readonly Item[],
  mode: 'quiz' | 'review' | 'drill',
  intro: string,
  id = `q${newId()}`,
): Promise<Reply[]> {
  const now = ctx.now().getTime();
  const session: Session = {
    id,
    tenant: ctx.tenant,
    userId: ctx.userId,
    kind: 'quiz',
    mode,
    items: items.map((i) => i.id),
    index: 0,
    shownAt: now,
    answers: {},
    startedAt: now,
    done: false,
  };
  await ctx.store.saveSession(session, ctx.options.sessionTtlSeconds);
  await ctx.store.setActiveSession(ctx.tenant, ctx.userId, session.id);
  return showSession(ctx, session, intro);
}

/** A session as it opens: the intro and its first question (shown again when a send is retried). */
export function showSession(ctx: Ctx, session: Session, intro: string): Reply[] {
  return [text(intro), cardAt(ctx, session, 0)];
}

/** The question card at `index` of a session. */
function cardAt(ctx: Ctx, session: Session, index: number): Reply {
  const item = ctx.bank.item(session.items[index] as string);
  if (!item) throw new Error(`session ${session.id} holds unknown item ${session.items[index]}`);
  return questionCard(ctx.bank, item, { kind: 'session', id: session.id }, optionOrder(item, session.id), {
    position: { index: index + 1, total: session.items.length },
  });
}

/** Loads a session that belongs to the caller (unless `known` holds it), or explains why not. */
async function ownSession(ctx: Ctx, id: string, known?: AnswerAhead): Promise<Session | string> {
  const session = known ? known.session : await ctx.store.getSession(ctx.tenant, id);
  if (session?.kind !== 'quiz' || session.userId !== ctx.userId)
    return 'That quiz has ended. Start a new one with `quiz`.';
  return session;
}

/** The question currently awaiting an answer in the caller's active session, with its option order. */
export async function activeQuestion(
  ctx: Ctx,
): Promise<{ session: Session; item: Item; order: string[] } | undefined> {
  const id = await ctx.store.getActiveSession(ctx.tenant, ctx.userId);
  const session = id ? await ctx.store.getSession(ctx.tenant, id) : undefined;
  if (session?.kind !== 'quiz' || session.done) return undefined;
  const item = ctx.bank.item(session.items[session.index] as string);
  if (!item || session.answers[item.id]) return undefined;
  return { session, item, order: optionOrder(item, session.id) };
}

/** Grades and records an answer to a session question; returns the feedback. */
export async function answerInSession(
  ctx: Ctx,
  target: AnswerTarget,
  questionId: string,
  choice: readonly string[],
  ahead?: AnswerAhead,
): Promise<Reply[]> {
  const loaded = await ownSession(ctx, target.id, ahead);
  if (typeof loaded === 'string') return [text(loaded)];
  const session = loaded;
  const item = ctx.bank.item(questionId);
  if (!item || !session.items.includes(questionId)) return [text("That question isn't part of this quiz.")];
  const order = optionOrder(item, session.id);
  const shown = optionViews(item, order);
  const hasNext = session.items.some((id) => id !== questionId && !session.answers[id]);

  const earlier = session.answers[questionId];
  if (earlier) {
    const stats = await ctx.store.getStats(ctx.tenant, ctx.userId);
    return [
      feedback(item, target, shown, earlier.choice, earlier, {
        points: 0,
        totalPoints: stats.points,
        streak: stats.streak.streak,
        hasNext,
        note: 'already-answered',
      }),
    ];
  }
  const problem = checkChoice(item, choice);
  if (problem) return [text(choiceCorrection(problem))];
  const g = grade(item, choice);
  const shownAt = session.items[session.index] === questionId ? session.shownAt : undefined;
  const result = await recordAnswer(ctx, item, target, g, {
    award: true,
    ...(ahead ? { reads: ahead.reads } : {}),
    ...(shownAt ? { answerMs: ctx.now().getTime() - shownAt } : {}),
  });
  if (result.status === 'already-answered') {
    // A concurrent click recorded it first; show the result without changing anything.
    const stats = await ctx.store.getStats(ctx.tenant, ctx.userId);
    return [
      feedback(item, target, shown, choice, g, {
        points: 0,
        totalPoints: stats.points,
        streak: stats.streak.streak,
        hasNext,
        note: 'already-answered',
      }),
    ];
  }
  const answer: SessionAnswer = {
    choice,
    correct: g.correct,
    earned: g.earned,
    possible: g.possible,
    points: result.points,
  };
  const index = session.items[session.index] === questionId ? session.index + 1 : session.index;
  const updated: Session = { ...session, index, answers: { ...session.answers, [questionId]: answer } };
  await ctx.store.saveSession(updated, ctx.options.sessionTtlSeconds);
  const fb = feedback(item, target, shown, choice, g, {
    points: result.points,
    totalPoints: result.totalPoints,
    streak: result.streak.streak,
    hasNext,
    ...(result.firstAttempt ? {} : { note: 'repeat' as const }),
  });
  // The last answer ends the session: the summary comes right after its feedback.
  return hasNext ? [fb] : [fb, ...(await finish(ctx, updated))];
}

/** Shows the next unanswered question, or the summary when all are answered. */
export async function nextInSession(ctx: Ctx, target?: AnswerTarget): Promise<Reply[]> {
  const id = target?.id ?? (await ctx.store.getActiveSession(ctx.tenant, ctx.userId));
  if (!id) return [text('No quiz is running. Start one with `quiz` (for example `quiz pipelines 5`).')];
  const loaded = await ownSession(ctx, id);
  if (typeof loaded === 'string') return [text(loaded)];
  const next = loaded.items.findIndex((q) => !loaded.answers[q]);
  if (next < 0) return finish(ctx, loaded);
  await ctx.store.saveSession(
    { ...loaded, index: next, shownAt: ctx.now().getTime() },
    ctx.options.sessionTtlSeconds,
  );
  return [cardAt(ctx, loaded, next)];
}

/** Ends the caller's quiz now and shows the summary of what was answered. */
export async function stopSession(ctx: Ctx, target?: AnswerTarget): Promise<Reply[]> {
  const id = target?.id ?? (await ctx.store.getActiveSession(ctx.tenant, ctx.userId));
  const session = id ? await ownSession(ctx, id) : undefined;
  if (!session || typeof session === 'string') return [text('No quiz is running.')];
  return finish(ctx, session);
}

async function finish(ctx: Ctx, session: Session): Promise<Reply[]> {
  if (!session.done) await ctx.store.saveSession({ ...session, done: true }, ctx.options.sessionTtlSeconds);
  if ((await ctx.store.getActiveSession(ctx.tenant, ctx.userId)) === session.id) {
    await ctx.store.setActiveSession(ctx.tenant, ctx.userId, undefined);
  }
  return [await summary(ctx, session)];
}

/** The end-of-quiz summary: score, per domain, points, streak, and what to drill. */
async function summary(ctx: Ctx, session: Session): Promise<QuizSummary> {
  const byDomain = new Map<string, { correct: number; total: number }>();
  const missedSkills = new Map<string, number>();
  let correct = 0;
  let total = 0;
  let pointsEarned = 0;
  for (const id of session.items) {
    const a = session.answers[id];
    const item = ctx.bank.item(id);
    if (!a || !item) continue;
    total++;
    pointsEarned += a.points;
    if (a.correct) correct++;
    else missedSkills.set(item.skill, (missedSkills.get(item.skill) ?? 0) + 1);
    const d = byDomain.get(item.domain) ?? { correct: 0, total: 0 };
    byDomain.set(item.domain, { correct: d.correct + (a.correct ? 1 : 0), total: d.total + 1 });
  }
  const domains: DomainScore[] = [...byDomain].map(([id, s]) => ({ domain: tag(ctx, id), ...s }));
  const [stats, profile, tz] = await Promise.all([
    ctx.store.getStats(ctx.tenant, ctx.userId),
    ctx.profile(),
    ctx.userTz(),
  ]);
  const drill: Tag[] = [...missedSkills]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([id]) => {
      const s = ctx.bank.skill(id);
      return { id: s.id, name: s.name };
    });
  return {
    kind: 'summary',
    correct,
    total,
    domains,
    pointsEarned,
    totalPoints: stats.points,
    streak: currentStreak(stats.streak, dayNumber(ctx.now(), tz), profile.streakMode).streak,
    drill,
  };
}

function tag(ctx: Ctx, domainId: string): Tag {
  const d = ctx.bank.domain(domainId);
  return { id: d.id, name: d.name };
}
