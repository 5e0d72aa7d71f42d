import { type Ctx, text } from '../context';
import { checkChoice, grade } from '../grading';
import { drawExam } from '../learning/exam-draw';
import { type ExamScore, scoreExam } from '../learning/exam-score';
import type { AnswerTarget, NavAction } from '../model';
import type { ExamSession } from '../ports';
import { newId } from '../random';
import type { ExamResult, Reply } from '../reply';
import { optionOrder, optionViews, questionCard, viewsOf } from '../views';
import { choiceCorrection, recordAnswer } from './record-answer';

const KEEP_AFTER_SECONDS = 14 * 86_400;

/** All item ids of an exam in the order taken. */
const allItems = (x: ExamSession) => x.sections.flatMap((s) => s.items);

async function loadExam(ctx: Ctx, id: string): Promise<ExamSession | undefined> {
  const x = await ctx.store.getSession(ctx.tenant, id);
  return x && x.kind === 'exam' && x.userId === ctx.userId ? x : undefined;
}

async function save(ctx: Ctx, x: ExamSession): Promise<void> {
  const ttl = Math.max(60, Math.ceil((x.deadline - ctx.now().getTime()) / 1000)) + KEEP_AFTER_SECONDS;
  await ctx.store.saveSession(x, ttl);
}

/**
 * `exam [n]`: resumes the open mock exam, or starts one drawn to the pack's weights with
 * the pack's time limit (scaled to `n`) as a wall-clock deadline.
 */
export async function startExam(ctx: Ctx, count?: number): Promise<Reply[]> {
  const open = await openExam(ctx);
  if (open) {
    if (ctx.now().getTime() >= open.deadline) return submit(ctx, open, true);
    const answered = Object.keys(open.answers).length;
    const minutes = Math.ceil((open.deadline - ctx.now().getTime()) / 60_000);
    return [
      text(
        `Resuming your mock exam: ${answered} of ${allItems(open).length} answered, ${minutes} minutes left.`,
      ),
      card(ctx, open),
    ];
  }
  const format = ctx.bank.manifest.format;
  const n = count ?? format.questions;
  const id = `x${newId()}`;
  const sections = drawExam(ctx.bank, n, id);
  const total = sections.reduce((s, x) => s + x.items.length, 0);
  if (total === 0) return [text('The question pack has no questions for a mock exam yet.')];
  const minutes = Math.max(5, Math.ceil((format.minutes * total) / format.questions));
  const now = ctx.now().getTime();
  const exam: ExamSession = {
    id,
    tenant: ctx.tenant,
    userId: ctx.userId,
    kind: 'exam',
    sections,
    section: 0,
    index: 0,
    answers: {},
    flagged: [],
    startedAt: now,
    deadline: now + minutes * 60_000,
  };
  await save(ctx, exam);
  await ctx.store.setActiveSession(ctx.tenant, ctx.userId, id, 'exam');
  await ctx.scheduler?.at(
    new Date(exam.deadline),
    {
      name: 'exam-deadline',
      tenant: ctx.tenant,
      userId: ctx.userId,
      examId: id,
      platform: ctx.actor.platform,
    },
    `exam:${id}`,
  );
  const special = sections
    .filter((s) => s.kind !== 'main')
    .map((s) =>
      s.kind === 'series'
        ? `a yes/no series of ${s.items.length} (no going back)`
        : `a case study of ${s.items.length} questions (locked once you leave it)`,
    );
  return [
    text(
      `**Mock exam**: ${total} questions, ${minutes} minutes (the clock keeps running if you step away). ` +
        `Skip, flag and come back freely in the first section${special.length ? `; then ${special.join(', then ')}` : ''}. ` +
        `No feedback until you submit. Scored out of 1000; ${format.passingScore} passes (our estimate of Microsoft's scale).`,
    ),
    card(ctx, exam),
  ];
}

async function openExam(ctx: Ctx): Promise<ExamSession | undefined> {
  const id = await ctx.store.getActiveSession(ctx.tenant, ctx.userId, 'exam');
  const x = id ? await loadExam(ctx, id) : undefined;
  return x && !x.submittedAt ? x : undefined;
}

/** The card of the current item. */
function card(ctx: Ctx, x: ExamSession): Reply {
  const section = x.sections[x.section];
  const id = section?.items[x.index];
  const item = id ? ctx.bank.item(id) : undefined;
  if (!section || !item) throw new Error(`exam ${x.id} points at no item`);
  const all = allItems(x);
  const actions: NavAction[] = ['skip', 'flag'];
  if (section.kind !== 'series' && x.index > 0) actions.push('back');
  if (section.kind !== 'series') actions.push('review');
  if (x.section < x.sections.length - 1) actions.push('next-section');
  actions.push('submit');
  return questionCard(ctx.bank, item, { kind: 'exam', id: x.id }, optionOrder(item, x.id), {
    position: { index: all.indexOf(item.id) + 1, total: all.length },
    exam: {
      section: section.kind,
      minutesLeft: Math.max(0, Math.ceil((x.deadline - ctx.now().getTime()) / 60_000)),
      chosen: x.answers[item.id] ?? [],
      flagged: x.flagged.includes(item.id),
      answered: Object.keys(x.answers).length,
      total: all.length,
    },
    actions,
  });
}

/** Moves to the next item of the section, or to the section's end prompt. */
function advance(ctx: Ctx, x: ExamSession): { exam: ExamSession; replies: Reply[] } {
  const section = x.sections[x.section];
  if (section && x.index < section.items.length - 1) {
    const next = { ...x, index: x.index + 1 };
    return { exam: next, replies: [card(ctx, next)] };
  }
  const open = section ? section.items.filter((i) => !x.answers[i] || x.flagged.includes(i)).length : 0;
  const last = x.section === x.sections.length - 1;
  const leaving =
    section?.kind === 'main' || section?.kind === 'case'
      ? ' Once you move on you cannot come back to this section.'
      : '';
  const msg = `End of this section${open ? `: ${open} question${open === 1 ? '' : 's'} unanswered or flagged` : ''}.${last ? ' Submit when you are ready.' : leaving}`;
  return { exam: x, replies: [text(msg), card(ctx, x)] };
}

/** An answer to an exam item: kept, not graded, no feedback. */
export async function answerInExam(
  ctx: Ctx,
  target: AnswerTarget,
  questionId: string,
  choice: readonly string[],
): Promise<Reply[]> {
  const x = await loadExam(ctx, target.id);
  if (!x) return [text('That mock exam has ended. Start a new one with `exam`.')];
  if (x.submittedAt) return [text('This mock exam is already submitted.')];
  if (ctx.now().getTime() >= x.deadline) return submit(ctx, x, true);
  const section = x.sections[x.section];
  const item = ctx.bank.item(questionId);
  if (!section || !item || !section.items.includes(questionId)) {
    return [
      text('That question belongs to a section you have left; it can no longer be changed.'),
      card(ctx, x),
    ];
  }
  const problem = checkChoice(item, choice);
  if (problem) return [text(choiceCorrection(problem))];
  const at = section.items.indexOf(questionId);
  const updated: ExamSession = { ...x, index: at, answers: { ...x.answers, [questionId]: [...choice] } };
  const { exam, replies } = advance(ctx, updated);
  await save(ctx, exam);
  return replies;
}

/** Skip, back, flag, review, next section, submit. */
export async function navigateExam(ctx: Ctx, target: AnswerTarget, action: NavAction): Promise<Reply[]> {
  const x = await loadExam(ctx, target.id);
  if (!x) return [text('That mock exam has ended. Start a new one with `exam`.')];
  if (x.submittedAt) return [text('This mock exam is already submitted.')];
  if (action === 'submit' || ctx.now().getTime() >= x.deadline) return submit(ctx, x, action !== 'submit');
  const section = x.sections[x.section];
  if (!section) throw new Error(`exam ${x.id} has no section ${x.section}`);
  let next: ExamSession = x;
  let replies: Reply[];
  switch (action) {
    case 'skip':
      ({ exam: next, replies } = advance(ctx, x));
      break;
    case 'back':
      if (section.kind === 'series')
        return [text('Statements of a yes/no series cannot be revisited.'), card(ctx, x)];
      next = { ...x, index: Math.max(0, x.index - 1) };
      replies = [card(ctx, next)];
      break;
    case 'flag': {
      const id = section.items[x.index] as string;
      const flagged = x.flagged.includes(id) ? x.flagged.filter((f) => f !== id) : [...x.flagged, id];
      next = { ...x, flagged };
      replies = [card(ctx, next)];
      break;
    }
    case 'review': {
      const open = section.items.findIndex((i) => !x.answers[i] || x.flagged.includes(i));
      if (open < 0)
        return [text('Everything in this section is answered and nothing is flagged.'), card(ctx, x)];
      next = { ...x, index: open };
      replies = [card(ctx, next)];
      break;
    }
    case 'next-section':
      if (x.section >= x.sections.length - 1)
        return [text('This is the last section: submit when you are ready.'), card(ctx, x)];
      next = { ...x, section: x.section + 1, index: 0 };
      replies = [card(ctx, next)];
      break;
  }
  await save(ctx, next);
  return replies;
}

/**
 * Scores and closes the exam; its points land now, once (a first correct answer to a
 * question earns its points as anywhere else), and every answer trains its card.
 */
export async function submit(ctx: Ctx, x: ExamSession, timedOut: boolean): Promise<Reply[]> {
  const claimed = await ctx.store.claimOnce(`exam-submit:${ctx.tenant}:${x.id}`, KEEP_AFTER_SECONDS);
  if (!claimed) return [text('This mock exam is already submitted.')];
  const now = ctx.now().getTime();
  const ids = allItems(x);
  const score = scoreExam(ctx.bank, ids, x.answers);
  let points = 0;
  for (const r of score.items) {
    if (!r.choice) continue;
    const result = await recordAnswer(ctx, r.item, { kind: 'exam', id: x.id }, grade(r.item, r.choice), {
      award: true,
    });
    if (result.status === 'recorded') points += result.points;
  }
  await save(ctx, { ...x, submittedAt: now });
  await ctx.store.setActiveSession(ctx.tenant, ctx.userId, undefined, 'exam');
  await ctx.scheduler?.cancel(`exam:${x.id}`);
  return [result(ctx, x, score, points, timedOut, now)];
}

function result(
  ctx: Ctx,
  x: ExamSession,
  score: ExamScore,
  points: number,
  timedOut: boolean,
  now: number,
): ExamResult {
  return {
    kind: 'exam-result',
    score: score.score,
    passingScore: ctx.bank.manifest.format.passingScore,
    passed: score.passed,
    earned: score.earned,
    possible: score.possible,
    answered: Object.keys(x.answers).length,
    total: score.items.length,
    minutes: Math.round((Math.min(now, x.deadline) - x.startedAt) / 60_000),
    timedOut,
    points,
    domains: score.domains.map((d) => {
      const dom = ctx.bank.domain(d.domain);
      return { domain: { id: dom.id, name: dom.name }, correct: d.earned, total: d.possible };
    }),
    misses: score.items
      .filter((r) => !r.correct)
      .map((r) => {
        const shown = optionViews(r.item, optionOrder(r.item, x.id));
        return {
          questionId: r.item.id,
          type: r.item.type,
          stem: r.item.stem,
          chosen: r.choice ? viewsOf(r.choice, shown) : [],
          answer: viewsOf(r.item.key, shown),
          earned: r.earned,
          possible: r.possible,
          explanation: r.item.explanation,
          links: r.item.links,
        };
      }),
  };
}

/** The scheduled deadline: submits an exam still open and sends the result to the user's DM. */
export async function examDeadline(ctx: Ctx, examId: string): Promise<Reply[]> {
  const x = await loadExam(ctx, examId);
  if (!x || x.submittedAt) return [];
  return submit(ctx, x, true);
}
