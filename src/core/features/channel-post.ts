import { type Ctx, text } from '../context';
import { checkChoice, type Grade, grade } from '../grading';
import type { Item } from '../item';
import type { Where } from '../model';
import type { ChannelPost, Group, Messenger, PostResult } from '../ports';
import { newId } from '../random';
import type { Feedback, Reply, Reveal } from '../reply';
import { clockString, dayNumber, zonedTime } from '../time';
import { optionOrder, optionViews, questionCard, viewsOf } from '../views';
import { pickForGroup } from './group-choice';
import { choiceCorrection, feedback, type RecordReads, readForRecord, recordAnswer } from './record-answer';

/** The study group of a channel, which members join by answering its questions. */
export function channelGroup(where: Where): Omit<Group, 'members'> {
  return {
    id: `ch-${where.id.toLowerCase()}`,
    name: where.name ? `#${where.name.replace(/^#/, '')}` : 'this channel',
    kind: 'channel',
  };
}

/**
 * When a post is revealed: the given local reveal time if it is still ahead today, else
 * `afterHours` after the post, but no later than 23:59 local.
 */
export function revealTime(
  postedAt: Date,
  tz: string,
  afterHours: number,
  revealAt?: { hour: number; minute: number },
): Date {
  const day = dayNumber(postedAt, tz);
  if (revealAt) {
    const t = zonedTime(day, revealAt.hour, revealAt.minute, tz);
    if (t.getTime() > postedAt.getTime()) return t;
  }
  const later = postedAt.getTime() + afterHours * 3_600_000;
  const latest = zonedTime(day, 23, 59, tz).getTime();
  return new Date(Math.max(postedAt.getTime() + 60_000, Math.min(later, latest)));
}

function requireMessenger(ctx: { messenger?: Messenger }): Messenger {
  if (!ctx.messenger) throw new Error('channel questions need a Messenger: this surface has none');
  return ctx.messenger;
}

/** Posts one question in a channel and schedules its reveal. */
export async function postChannelQuestion(
  ctx: Pick<Ctx, 'bank' | 'store' | 'clock' | 'messenger' | 'scheduler' | 'options'>,
  where: Where,
  tz: string,
  revealAt?: { hour: number; minute: number },
): Promise<ChannelPost> {
  const messenger = requireMessenger(ctx);
  const now = ctx.clock.now();
  const id = `p${newId()}`;
  const item = await pickForGroup(ctx.store, ctx.bank, where, channelGroup(where).id, id);
  const reveal = revealTime(now, tz, ctx.options.revealAfterHours, revealAt);
  const order = optionOrder(item, id);
  const answerBy = clockString(reveal, tz);
  const base: ChannelPost = {
    id,
    tenant: where.tenant,
    where,
    questionId: item.id,
    order,
    postedAt: now.getTime(),
    revealAt: reveal.getTime(),
    answerBy,
    revealed: false,
  };
  await ctx.store.createGroup(where.tenant, channelGroup(where));
  await ctx.store.savePost(base);
  const message = await messenger.post(
    where,
    questionCard(ctx.bank, item, { kind: 'post', id }, order, { answerBy, tally: 0 }),
    {
      sendKey: `post:${id}`,
    },
  );
  const post = { ...base, message };
  await ctx.store.savePost(post);
  await ctx.scheduler?.at(reveal, { name: 'reveal', tenant: where.tenant, postId: id }, `reveal:${id}`);
  return post;
}

/** The shared card of a post as it stands (tally, closed after the reveal). */
export async function postCard(
  ctx: Pick<Ctx, 'bank' | 'store'>,
  post: ChannelPost,
  closed: boolean,
): Promise<Reply> {
  const item = ctx.bank.item(post.questionId);
  if (!item) throw new Error(`post ${post.id} holds unknown item ${post.questionId}`);
  const answers = await ctx.store.postAnswers(post.tenant, post.id);
  return questionCard(ctx.bank, item, { kind: 'post', id: post.id }, post.order, {
    answerBy: post.answerBy,
    tally: answers.answered,
    closed,
  });
}

/**
 * A member answers a channel post: graded, recorded (joining the channel's group),
 * feedback for that member only. After the reveal, the answer trains but scores 0.
 */
export async function answerPost(
  ctx: Ctx,
  postId: string,
  questionId: string,
  choice: readonly string[],
  ahead?: RecordReads,
): Promise<Reply[]> {
  // What recording reads does not depend on the post (the question id came with the
  // click, and must be the post's): both are read in one round trip, `ahead` when the
  // caller started it.
  const reads = ahead ?? (await readForRecord(ctx, questionId, postId));
  const post = reads.post;
  const item = post ? ctx.bank.item(post.questionId) : undefined;
  if (!post || !item || questionId !== post.questionId)
    return [text('That question is no longer available.', 'private')];
  const problem = checkChoice(item, choice);
  if (problem) return [text(choiceCorrection(problem), 'private')];
  const g = grade(item, choice);
  const late = post.revealed || ctx.now().getTime() >= post.revealAt;
  const group = { ...channelGroup(post.where), members: 0 };
  const result = await recordAnswer(ctx, item, { kind: 'post', id: postId }, g, {
    award: !late,
    post: { group, choice, late },
    reads,
  });
  const shown = optionViews(item, post.order);
  if (result.status === 'already-answered') {
    const stats = await ctx.store.getStats(ctx.tenant, ctx.userId);
    return [
      {
        ...feedback(item, { kind: 'post', id: postId }, shown, choice, g, {
          points: 0,
          totalPoints: stats.points,
          streak: stats.streak.streak,
          hasNext: false,
          note: 'already-answered',
        }),
        audience: 'private',
      },
    ];
  }
  if (!late) await scheduleTally(ctx, post);
  const { points, totalPoints, firstAttempt } = result;
  const figures = { choice, points, totalPoints, streak: result.streak.streak, firstAttempt, late };
  return [{ ...postFeedback(item, post, g, figures), audience: 'private' }];
}

/**
 * A member's own result on a post, rebuilt from what was recorded: the feedback they got
 * when they answered, or undefined when they have not answered it.
 */
export async function postResult(ctx: Ctx, postId: string): Promise<Feedback | undefined> {
  const [post, result] = await Promise.all([
    ctx.store.getPost(ctx.tenant, postId),
    ctx.store.postResult(ctx.tenant, postId, ctx.userId),
  ]);
  const item = post ? ctx.bank.item(post.questionId) : undefined;
  if (!post || !item || !result) return undefined;
  return postFeedback(item, post, grade(item, result.choice), result);
}

/** The feedback on an answer to a post, from its grade and its recorded figures. */
function postFeedback(item: Item, post: ChannelPost, g: Grade, r: Omit<PostResult, 'correct'>): Feedback {
  const note = r.late ? ('late' as const) : r.firstAttempt ? undefined : ('repeat' as const);
  return feedback(item, { kind: 'post', id: post.id }, optionViews(item, post.order), r.choice, g, {
    points: r.points,
    totalPoints: r.totalPoints,
    streak: r.streak,
    hasNext: false,
    ...(note ? { note } : {}),
  });
}

/** Coalesces tally edits: one job per post per window, whatever the number of answers. */
async function scheduleTally(ctx: Ctx, post: ChannelPost): Promise<void> {
  if (!ctx.scheduler || !post.message) return;
  const every = ctx.options.tallyEverySeconds * 1000;
  const slot = Math.floor(ctx.now().getTime() / every);
  await ctx.scheduler.at(
    new Date((slot + 1) * every),
    { name: 'tally', tenant: post.tenant, postId: post.id },
    `tally:${post.id}:${slot}`,
  );
}

/** Edits the shared card with the current tally (a scheduled, coalesced job). */
export async function updateTally(
  ctx: Pick<Ctx, 'bank' | 'store' | 'messenger'>,
  tenant: string,
  postId: string,
): Promise<void> {
  const post = await ctx.store.getPost(tenant, postId);
  if (!post?.message || post.revealed) return;
  await requireMessenger(ctx).update(post.message, await postCard(ctx, post, false));
}

/**
 * Reveals a post once: the answer, the explanation, the share who got it right and the
 * first correct answerers, in the card's thread; then closes the card's buttons. The
 * post is marked revealed last, so a job retried after a failed send (rate limit, a
 * worker that died) reveals again; the send key keeps the thread message single.
 */
export async function reveal(
  ctx: Pick<Ctx, 'bank' | 'store' | 'messenger'>,
  tenant: string,
  postId: string,
  at?: number,
): Promise<Reveal | undefined> {
  const post = await ctx.store.getPost(tenant, postId);
  // A post prepared ahead but never sent (the schedule was turned off in between): nothing to reveal.
  if (!post || post.revealed || !post.message) return undefined;
  // A job for a reveal time the post no longer has: it was sent late, with a later reveal.
  if (at !== undefined && at !== post.revealAt) return undefined;
  const item = ctx.bank.item(post.questionId);
  if (!item) throw new Error(`post ${postId} holds unknown item ${post.questionId}`);
  const answers = await ctx.store.postAnswers(tenant, postId);
  const names = await ctx.store.names(tenant, answers.firstCorrect);
  const shown = optionViews(item, post.order);
  const body: Reveal = {
    kind: 'reveal',
    postId,
    stem: item.stem,
    answer: viewsOf(item.key, shown),
    explanation: item.explanation,
    links: item.links,
    answered: answers.answered,
    correct: answers.correct,
    firstCorrect: answers.firstCorrect.map((u) => names[u] ?? u),
  };
  const messenger = requireMessenger(ctx);
  await messenger.post(post.where, body, {
    // An empty id: the card's send could not be confirmed (Teams), so no thread to reply in.
    ...(post.message?.id ? { thread: post.message } : {}),
    sendKey: `reveal:${postId}`,
  });
  if (post.message?.id)
    await messenger.update(post.message, await postCard(ctx, { ...post, revealed: true }, true));
  if (!(await ctx.store.markRevealed(tenant, postId))) return undefined;
  return body;
}
