import type { Confirm, ExamResult, Leaderboard, Progress, QuizSummary, Reply, Reveal } from '../../src/core';
import { ACTION, BLOCK } from './action-values';
import {
  actions,
  button,
  context,
  type KnownBlock,
  message,
  mrkdwnSections,
  type SlackMessage,
  sections,
} from './blocks';
import { bar, escapeText, toMrkdwn } from './mrkdwn';
import { renderFeedback } from './render-feedback';
import { renderQuestion } from './render-question';

const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 100));

function domainBars(domains: Progress['domains']): string {
  return domains.map((d) => `\`${bar(d.correct, d.total)}\` ${escapeText(d.domain.name)}`).join('\n');
}

function renderSummary(s: QuizSummary): SlackMessage {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `:checkered_flag: *Quiz done: ${s.correct} of ${s.total} right.*` },
    },
  ];
  if (s.domains.length) blocks.push(...mrkdwnSections(domainBars(s.domains)));
  blocks.push(context(`+${s.pointsEarned} points (total ${s.totalPoints}) · streak ${s.streak} :fire:`));
  blocks.push(
    ...mrkdwnSections(
      s.drill.length
        ? `*Drill next:* ${s.drill.map((t) => `${escapeText(t.id)} ${escapeText(t.name)}`).join(', ')}`
        : 'Nothing to drill: well done!',
    ),
  );
  blocks.push(
    ...actions(BLOCK.actions, [
      button('Another quiz', `${ACTION.command}_1`, 'quiz', 'primary'),
      button('My progress', `${ACTION.command}_2`, 'progress'),
    ]),
  );
  return message(`Quiz done: ${s.correct} of ${s.total} right.`, blocks);
}

/** How many missed questions the result lists in full; the rest are counted (50-block limit). */
const MISSES_SHOWN = 10;

function renderExamResult(x: ExamResult): SlackMessage {
  const verdict = x.passed ? ':tada: *Passed*' : ':books: *Not passed yet*';
  const blocks: KnownBlock[] = [
    ...mrkdwnSections(
      `${verdict}: *${x.score}* of 1000 (pass at ${x.passingScore})${x.timedOut ? ', submitted when time ran out' : ''}\n` +
        `${x.earned} of ${x.possible} points · ${x.answered} of ${x.total} answered · ${x.minutes} min`,
    ),
  ];
  if (x.domains.length) blocks.push(...mrkdwnSections(`*Per domain*\n${domainBars(x.domains)}`));
  if (x.points) blocks.push(context(`+${x.points} leaderboard points`));
  if (x.misses.length) {
    blocks.push(
      { type: 'divider' },
      ...mrkdwnSections(
        `*Review of the ${x.misses.length} missed question${x.misses.length === 1 ? '' : 's'}*`,
      ),
    );
    for (const m of x.misses.slice(0, MISSES_SHOWN)) {
      const chosen = m.chosen.length
        ? m.chosen.map((o) => `${o.letter}. ${toMrkdwn(o.text)}`).join('; ')
        : '_no answer_';
      const answer = m.answer
        .map((o) => `${o.letter}. ${toMrkdwn(o.text)}`)
        .join(m.type === 'order' ? ' → ' : '; ');
      blocks.push(...sections(m.stem.trim()));
      blocks.push(
        context(
          `You: ${chosen}\nAnswer: ${answer} (${m.earned}/${m.possible})\n${toMrkdwn(m.explanation.trim())}`,
        ),
      );
    }
    if (x.misses.length > MISSES_SHOWN)
      blocks.push(context(`…and ${x.misses.length - MISSES_SHOWN} more. Practise them with \`quiz\`.`));
  }
  return message(`Mock exam: ${x.score} of 1000, ${x.passed ? 'passed' : 'not passed'}`, blocks);
}

function boardTitle(b: Leaderboard): string {
  const period =
    b.period === 'week' ? `This week (${b.week ?? ''})` : b.period === 'all' ? 'All time' : 'Current streaks';
  const scope = b.scope.kind === 'group' ? b.scope.name : 'workspace';
  return `:trophy: *Leaderboard: ${escapeText(period)} · ${escapeText(scope)}*`;
}

function renderLeaderboard(b: Leaderboard): SlackMessage {
  const unit = b.period === 'streak' ? 'days' : 'points';
  const rows = b.entries.length
    ? b.entries.map((e) => `${e.rank}. ${escapeText(e.name)}: *${e.score}* ${unit}`).join('\n')
    : '_Nobody on this board yet. Answer a question to get on it!_';
  const blocks: KnownBlock[] = [...mrkdwnSections(`${boardTitle(b)}\n${rows}`)];
  if (b.me) {
    blocks.push(
      context(
        b.me.hidden
          ? 'You are hidden from the boards. `leaderboard show` brings you back.'
          : b.me.rank
            ? `You: #${b.me.rank} with ${b.me.score} ${unit}`
            : 'You are not on this board yet.',
      ),
    );
  }
  return message(boardTitle(b), blocks);
}

/** The blocks of a progress view (also used on the App Home tab). */
export function progressBlocks(p: Progress): KnownBlock[] {
  const streak = `:fire: *Streak ${p.streak}* (best ${p.bestStreak}, ${p.freezes} freeze${p.freezes === 1 ? '' : 's'}, ${p.streakMode})${p.streakAtRisk ? ' · answer today to keep it!' : ''}`;
  const points = `*${p.points} points* (this week ${p.weekPoints})${p.rank ? ` · rank #${p.rank}` : ''}`;
  const accuracy = `Answered ${p.answered}, ${p.correct} right (${pct(p.correct, p.answered)}%) · ${p.dueReviews} review${p.dueReviews === 1 ? '' : 's'} due`;
  const exam = p.examDate ? `\n:date: Exam on ${escapeText(p.examDate)} (${p.daysToExam} days)` : '';
  const r = p.readiness;
  const readiness = `\n:dart: Readiness: about *${r.score}* ± ${r.margin} of 1000 (pass at ${r.passingScore})`;
  return [
    ...mrkdwnSections(
      `*Progress for ${escapeText(p.name)}*\n${streak}\n${points}\n${accuracy}${readiness}${exam}`,
    ),
    ...mrkdwnSections(`*Accuracy per domain*\n${domainBars(p.domains)}`),
  ];
}

function renderProgress(p: Progress): SlackMessage {
  return message(`Progress for ${p.name}: streak ${p.streak}, ${p.points} points`, progressBlocks(p));
}

function renderReveal(r: Reveal): SlackMessage {
  const answer = r.answer.map((o) => `*${o.letter}.* ${toMrkdwn(o.text)}`).join('\n');
  const share = r.answered
    ? `${r.correct} of ${r.answered} got it right (${pct(r.correct, r.answered)}%).`
    : 'Nobody answered this one.';
  const first = r.firstCorrect.length ? ` First correct: ${r.firstCorrect.map(escapeText).join(', ')}.` : '';
  const links = r.links
    .map(
      (u, i) => `<${u.replace(/[<>|]/g, encodeURIComponent)}|${i === 0 ? 'Learn more' : `source ${i + 1}`}>`,
    )
    .join(' · ');
  const blocks: KnownBlock[] = [
    ...mrkdwnSections(`:mag: *The answer*\n${answer}`),
    ...sections(r.explanation.trim()),
    context(`${share}${first}${links ? ` ${links}` : ''}`),
  ];
  return message(`The answer: ${r.answer.map((o) => o.letter).join(', ')}`, blocks);
}

function renderConfirm(c: Confirm): SlackMessage {
  return message(c.text, [
    ...sections(c.text),
    ...actions(BLOCK.actions, [
      button('Yes', ACTION.confirm, 'yes', 'danger'),
      button('No', ACTION.confirm, 'no'),
    ]),
  ]);
}

/** Renders any reply of the core as a Slack message. */
export function render(reply: Reply): SlackMessage {
  switch (reply.kind) {
    case 'text':
      return message(reply.text, sections(reply.text));
    case 'question':
      return renderQuestion(reply);
    case 'feedback':
      return renderFeedback(reply);
    case 'summary':
      return renderSummary(reply);
    case 'exam-result':
      return renderExamResult(reply);
    case 'leaderboard':
      return renderLeaderboard(reply);
    case 'progress':
      return renderProgress(reply);
    case 'reveal':
      return renderReveal(reply);
    case 'confirm':
      return renderConfirm(reply);
    case 'file':
      // Files are uploaded by the listeners (files.uploadV2); this is the inline fallback.
      return message(
        reply.name,
        mrkdwnSections(
          `*${escapeText(reply.name)}*\n\`\`\`${escapeText(reply.content.slice(0, 2800))}\`\`\``,
        ),
      );
    case 'report-ack':
      return message(
        'Thanks, your report was filed.',
        sections('Thanks, your report was filed. An organizer will look at it.'),
      );
  }
}
