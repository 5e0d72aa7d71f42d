import type {
  Confirm,
  ExamResult,
  FileReply,
  Leaderboard,
  Progress,
  QuizSummary,
  ReportAck,
  Reveal,
  Text,
} from '../../../src/core';
import {
  type AdaptiveCard,
  bar,
  type CardElement,
  card,
  execute,
  facts,
  heading,
  subtle,
  textBlock,
} from './card';
import { markdownBlocks, plain } from './markdown';

/** End of a practice quiz: score, per-domain bars, points, streak and what to drill. */
export function renderSummary(s: QuizSummary): AdaptiveCard {
  const body: CardElement[] = [
    heading(`Quiz done: ${s.correct} of ${s.total} right`),
    facts(s.domains.map((d) => [d.domain.name, bar(d.correct, d.total)])),
    textBlock(`+${s.pointsEarned} points (total ${s.totalPoints}) · streak ${s.streak} 🔥`, {
      weight: 'Bolder',
    }),
    textBlock(
      s.drill.length
        ? `Drill next: ${s.drill.map((t) => `**${t.id}** ${t.name}`).join(', ')}`
        : 'Nothing to drill: well done!',
    ),
  ];
  return card(body);
}

const periodTitle = (b: Leaderboard) =>
  b.period === 'week'
    ? `This week${b.week ? ` (${b.week})` : ''}`
    : b.period === 'all'
      ? 'All time'
      : 'Current streaks';

/** A leaderboard: the top rows as a three-column table, then the caller's own rank. */
export function renderLeaderboard(b: Leaderboard): AdaptiveCard {
  const scope = b.scope.kind === 'group' ? b.scope.name : 'everyone here';
  const column = (items: CardElement[], width: string, align = 'Left') => ({
    type: 'Column',
    width,
    horizontalAlignment: align,
    items,
  });
  const rows: CardElement[] = b.entries.map((e, i) => ({
    type: 'ColumnSet',
    spacing: i === 0 ? 'Medium' : 'Small',
    columns: [
      column([textBlock(`${e.rank}.`)], 'auto'),
      column([textBlock(plain(e.name))], 'stretch'),
      column([textBlock(String(e.score), { weight: 'Bolder' })], 'auto', 'Right'),
    ],
  }));
  const me = b.me
    ? b.me.hidden
      ? 'You are hidden from the boards (`leaderboard show` to rejoin).'
      : b.me.rank
        ? `You: #${b.me.rank} with ${b.me.score}`
        : 'You are not on this board yet.'
    : '';
  return card([
    heading(`Leaderboard · ${periodTitle(b)}`),
    subtle(scope),
    ...(rows.length ? rows : [textBlock('Nobody on this board yet.', { isSubtle: true })]),
    ...(me ? [textBlock(me, { spacing: 'Medium' })] : []),
  ]);
}

/** A user's own figures, with text bars per domain. */
export function renderProgress(p: Progress): AdaptiveCard {
  const streak = `${p.streak} 🔥 (best ${p.bestStreak}, ${p.freezes} freeze${p.freezes === 1 ? '' : 's'}, ${p.streakMode})`;
  const rows: Array<[string, string]> = [
    ['Streak', streak],
    ['Points', `${p.points} (this week ${p.weekPoints})${p.rank ? ` · rank #${p.rank}` : ''}`],
    ['Answered', `${p.answered}, ${p.correct} right`],
    [
      'Readiness',
      `${p.readiness.score} ± ${p.readiness.margin} (pass at ${p.readiness.passingScore}, our estimate)`,
    ],
    ['Due reviews', String(p.dueReviews)],
  ];
  if (p.examDate) rows.push(['Exam', `${p.examDate} (${p.daysToExam ?? '?'} days)`]);
  const body: CardElement[] = [heading(`Progress for ${plain(p.name)}`), facts(rows)];
  if (p.streakAtRisk)
    body.push(textBlock('Answer a question today to keep your streak!', { color: 'Attention' }));
  if (p.domains.length)
    body.push(
      textBlock('**Accuracy per domain**'),
      facts(p.domains.map((d) => [d.domain.name, bar(d.correct, d.total)])),
    );
  return card(body);
}

/** The reveal of a channel question, posted in its thread. */
export function renderReveal(r: Reveal): AdaptiveCard {
  const share = r.answered ? ` (${Math.round((r.correct / r.answered) * 100)}%)` : '';
  const body: CardElement[] = [
    heading('The answer'),
    subtle(plain(r.stem).slice(0, 300)),
    textBlock(r.answer.map((o) => `**${o.letter}.** ${o.text}`).join(r.answer.length > 1 ? '\n\n' : '')),
    ...markdownBlocks(r.explanation),
    textBlock(`${r.correct} of ${r.answered} got it right${share}.`, { weight: 'Bolder' }),
  ];
  if (r.firstCorrect.length) body.push(textBlock(`First right: ${r.firstCorrect.map(plain).join(', ')} 🎉`));
  if (r.links.length)
    body.push(
      textBlock(`Learn more: ${r.links.map((l, i) => `[link ${i + 1}](${l})`).join(' · ')}`, {
        size: 'Small',
      }),
    );
  return card(body);
}

/** Text in the CommonMark subset. */
export function renderText(t: Text): AdaptiveCard {
  return card(markdownBlocks(t.text));
}

/** A yes/no question. */
export function renderConfirm(c: Confirm): AdaptiveCard {
  return card(markdownBlocks(c.text), [
    execute(
      'Yes',
      { verb: 'confirm', action: c.action, yes: true },
      { style: 'destructive', associatedInputs: 'none' },
    ),
    execute('No', { verb: 'confirm', action: c.action, yes: false }, { associatedInputs: 'none' }),
  ]);
}

/** A filed report. */
export function renderReportAck(_r: ReportAck): AdaptiveCard {
  return card([textBlock('Thanks, your report was filed. The organizers will look at it.')]);
}

const MISSES_PER_CARD = 6;

/**
 * A submitted mock exam: score, pass or fail, per-domain bars, then every miss with
 * its explanation. Misses are spread over several cards, since Teams refuses a
 * message above about 28 KB.
 */
export function renderExamResult(r: ExamResult): AdaptiveCard[] {
  const head = card([
    heading(`Mock exam: ${r.score} / 1000 · ${r.passed ? 'PASS ✅' : 'not yet ❌'}`, {
      color: r.passed ? 'Good' : 'Attention',
    }),
    subtle(
      `Passing score ${r.passingScore} (our estimate) · ${r.earned} of ${r.possible} points · ${r.answered} of ${r.total} answered in ${r.minutes} min${r.timedOut ? ' · submitted at time-out' : ''}`,
    ),
    facts(r.domains.map((d) => [d.domain.name, bar(d.correct, d.total)])),
    textBlock(
      `+${r.points} leaderboard points · ${r.misses.length ? `${r.misses.length} to review below` : 'no misses: well done!'}`,
      { weight: 'Bolder' },
    ),
  ]);
  const cards = [head];
  for (let i = 0; i < r.misses.length; i += MISSES_PER_CARD) {
    const chunk = r.misses.slice(i, i + MISSES_PER_CARD);
    const body: CardElement[] = [heading(`Review ${i + 1}–${i + chunk.length} of ${r.misses.length}`)];
    for (const m of chunk) {
      body.push(
        {
          type: 'Container',
          separator: true,
          spacing: 'Medium',
          items: [textBlock(plain(m.stem).slice(0, 400), { weight: 'Bolder' })],
        },
        facts([
          ['Your answer', m.chosen.map((o) => `${o.letter}. ${plain(o.text)}`).join('; ') || '(skipped)'],
          [
            'Correct',
            m.answer.map((o) => `${o.letter}. ${plain(o.text)}`).join(m.type === 'order' ? ' → ' : '; '),
          ],
          ['Points', `${m.earned} of ${m.possible}`],
        ]),
        textBlock(m.explanation.slice(0, 1200)),
        ...(m.links[0] ? [textBlock(`[Learn more](${m.links[0]})`, { size: 'Small' })] : []),
      );
    }
    cards.push(card(body));
  }
  return cards;
}

const FILE_CHARS_PER_CARD = 20_000;

/**
 * A file for the user (e.g. `export`), shown inline: a bot cannot attach a file
 * without the file-consent flow, so the content goes into monospace blocks, spread
 * over as many cards as Teams' message size allows.
 */
export function renderFile(f: FileReply): AdaptiveCard[] {
  const parts: string[] = [];
  for (let i = 0; i < f.content.length || parts.length === 0; i += FILE_CHARS_PER_CARD)
    parts.push(f.content.slice(i, i + FILE_CHARS_PER_CARD));
  return parts.map((part, i) =>
    card([
      heading(parts.length > 1 ? `${f.name} (part ${i + 1} of ${parts.length})` : f.name),
      subtle(`${f.mime} · copy the text below`),
      // A TextRun is not Markdown: underscores and asterisks in the data stay as they are.
      {
        type: 'RichTextBlock',
        inlines: [{ type: 'TextRun', text: part, fontType: 'Monospace', size: 'Small' }],
      },
    ]),
  );
}
