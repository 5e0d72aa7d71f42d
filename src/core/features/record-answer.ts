import type { Ctx } from '../context';
import type { Grade } from '../grading';
import type { Item } from '../item';
import { packCard, ratingFor, retentionFor, reviewCard, unpackCard } from '../learning/cards';
import type { AnswerTarget } from '../model';
import type { AnySession, ChannelPost, Group, RecordResult, UserProfile } from '../ports';
import type { Feedback, OptionView } from '../reply';
import { dayNumber, isoWeekKey, parseDay, weekEnd } from '../time';
import { viewsOf } from '../views';

const FIVE_WEEKS_MS = 35 * 86_400_000;

/**
 * What recording an answer reads first: the user's settings, time zones, groups and review
 * card; and the channel post, when one was asked for.
 */
export interface RecordReads {
  readonly profile: UserProfile;
  readonly tz: string;
  readonly wsTz: string;
  readonly groupIds: string[];
  readonly packed: string | undefined;
  readonly post?: ChannelPost | undefined;
}

/**
 * The reads of {@link recordAnswer}, in one store call (`answerReads`); with `postId`, that
 * channel post too, so that answering a post reads everything in one round trip. A caller
 * passes them on to `recordAnswer`.
 */
export async function readForRecord(ctx: Ctx, questionId: string, postId?: string): Promise<RecordReads> {
  const r = await ctx.store.answerReads(ctx.tenant, ctx.userId, questionId, postId);
  ctx.seed(r.profile, r.workspaceTz);
  const [profile, tz, wsTz] = await Promise.all([ctx.profile(), ctx.userTz(), ctx.workspaceTz()]);
  return { profile, tz, wsTz, groupIds: r.groupIds, packed: r.packed, post: r.post };
}

/**
 * What an answer reads first, when its caller starts the reads early (with the rate-limit
 * token): the record's reads and, for an answer in a session, the session.
 */
export interface AnswerAhead {
  readonly reads: RecordReads;
  readonly session?: AnySession | undefined;
}

/** An answer to a channel post: the channel group it joins, and what its result keeps. */
interface PostAnswer {
  readonly group: Group;
  readonly choice: readonly string[];
  readonly late: boolean;
}

/**
 * Records one graded answer in one store call: the attempt, points (first attempt
 * only), streak, boards of the workspace and of the user's groups, the post's tally.
 * Everything the store needs (local day, ISO week, groups) is computed here first, from
 * `opts.reads` when the caller started them (for this item), else read now.
 */
export async function recordAnswer(
  ctx: Ctx,
  item: Item,
  target: AnswerTarget,
  g: Grade,
  opts: { award: boolean; post?: PostAnswer; answerMs?: number; reads?: RecordReads },
): Promise<RecordResult> {
  const now = ctx.now();
  const reads = opts.reads ?? (await readForRecord(ctx, item.id));
  const { profile, tz, wsTz, packed } = reads;
  const groupIds = [...reads.groupIds];
  const examDay = profile.examDate ? parseDay(profile.examDate) : undefined;
  const today = dayNumber(now, tz);
  const card = reviewCard(
    unpackCard(packed),
    now,
    ratingFor(g.correct, opts.answerMs),
    retentionFor(examDay === undefined ? undefined : examDay - today),
  );
  const post = target.kind === 'post' ? opts.post : undefined;
  if (post && !groupIds.includes(post.group.id)) groupIds.push(post.group.id);
  return ctx.store.recordAnswer({
    tenant: ctx.tenant,
    userId: ctx.userId,
    name: ctx.actor.name,
    attempt: `${target.kind}:${target.id}:${item.id}`,
    questionId: item.id,
    domain: item.domain,
    skill: item.skill,
    correct: g.correct,
    award: opts.award ? ctx.options.pointsPerCorrect : 0,
    day: today,
    streakMode: profile.streakMode,
    week: isoWeekKey(now, wsTz),
    weekExpiresAt: weekEnd(now, wsTz).getTime() + FIVE_WEEKS_MS,
    groups: groupIds,
    // A post lists its answerers by the id their platform addresses them with (see Actor.aliases).
    ...(post ? { post: { id: target.id, ...post, address: ctx.actor.aliases?.[0] ?? ctx.userId } } : {}),
    card: { packed: packCard(card), due: card.due.getTime() },
    at: now.getTime(),
  });
}

/** Builds the feedback a user sees after answering. */
export function feedback(
  item: Item,
  target: AnswerTarget,
  shown: readonly OptionView[],
  choice: readonly string[],
  g: Grade,
  figures: { points: number; totalPoints: number; streak: number; hasNext: boolean; note?: Feedback['note'] },
): Feedback {
  const chosen = viewsOf(choice, shown);
  const key = new Set(item.key);
  const whyWrong = chosen
    .filter((o) => !key.has(o.id))
    .map((option) => ({ option, why: item.options.find((x) => x.id === option.id)?.why ?? '' }))
    .filter((w) => w.why !== '');
  return {
    kind: 'feedback',
    target,
    questionId: item.id,
    type: item.type,
    stem: item.stem,
    correct: g.correct,
    earned: g.earned,
    possible: g.possible,
    chosen,
    answer: viewsOf(item.key, shown),
    explanation: item.explanation,
    whyWrong: item.type === 'yesno' ? [] : whyWrong,
    links: item.links,
    points: figures.points,
    totalPoints: figures.totalPoints,
    streak: figures.streak,
    hasNext: figures.hasNext,
    ...(figures.note ? { note: figures.note } : {}),
  };
}

/** A friendly correction for a choice of the wrong shape. */
export function choiceCorrection(problem: import('../grading').ChoiceProblem): string {
  switch (problem.problem) {
    case 'unknown-option':
      return "That option isn't part of this question. Pick one of the letters shown.";
    case 'repeated-option':
      return 'Each option can be chosen only once.';
    case 'wrong-count':
      return problem.expected === 1
        ? 'Choose exactly one option.'
        : `Choose exactly ${problem.expected} options (you chose ${problem.got}).`;
  }
}
