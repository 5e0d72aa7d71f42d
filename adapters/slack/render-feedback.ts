import type { Feedback, OptionView } from '../../src/core';
import { ACTION, BLOCK, encodeReport, encodeTarget } from './action-values';
import {
  actions,
  button,
  context,
  type KnownBlock,
  message,
  mrkdwnSections,
  option,
  type SlackMessage,
  sections,
} from './blocks';
import { toMrkdwn } from './mrkdwn';

const REPORT_OPTIONS = [
  ['Report: wrong answer key', 'wrong-key'],
  ['Report: unclear', 'unclear'],
  ['Report: outdated', 'outdated'],
] as const;

function verdict(f: Feedback): string {
  const partial = !f.correct && f.possible > 1 ? ` (${f.earned} of ${f.possible} parts right)` : '';
  const head = f.correct ? ':white_check_mark: *Correct!*' : `:x: *Not quite.*${partial}`;
  const note =
    f.note === 'already-answered'
      ? ' You already answered this one; nothing changed.'
      : f.note === 'late'
        ? ' Answered after the reveal: it trains your cards but earns no points.'
        : f.note === 'repeat'
          ? " You've answered this question before: no points this time."
          : f.points > 0
            ? ` *+${f.points} points*`
            : '';
  return `${head}${note}`;
}

function list(options: readonly OptionView[], ordered: boolean): string {
  if (options.length === 0) return '_nothing_';
  return ordered
    ? options.map((o, i) => `${i + 1}. *${o.letter}.* ${toMrkdwn(o.text)}`).join('\n')
    : options.map((o) => `*${o.letter}.* ${toMrkdwn(o.text)}`).join('\n');
}

function linkLine(links: readonly string[]): string {
  return links
    .map(
      (u, i) => `<${u.replace(/[<>|]/g, encodeURIComponent)}|${i === 0 ? 'Learn more' : `source ${i + 1}`}>`,
    )
    .join(' · ');
}

/**
 * Feedback for the person who answered: right or wrong, their choice and the correct
 * answer with letters, the explanation, why their wrong options are wrong, the links,
 * points and streak, a "Report" menu, and "Next" while the session continues.
 */
export function renderFeedback(f: Feedback): SlackMessage {
  const ordered = f.type === 'order';
  const report: KnownBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: verdict(f) },
    accessory: {
      type: 'overflow',
      action_id: ACTION.report,
      options: REPORT_OPTIONS.map(([t, r]) => option(t, encodeReport(f.questionId, r))),
    },
  };
  const blocks: KnownBlock[] = [
    report,
    ...mrkdwnSections(`*Your answer*\n${list(f.chosen, ordered)}`),
    ...mrkdwnSections(`*Correct answer*\n${list(f.answer, ordered)}`),
    ...sections(f.explanation.trim()),
  ];
  if (f.whyWrong.length > 0) {
    blocks.push(
      ...mrkdwnSections(
        `*Why not your choice*\n${f.whyWrong.map((w) => `*${w.option.letter}.* ${toMrkdwn(w.why.trim())}`).join('\n')}`,
      ),
    );
  }
  const figures = `${f.totalPoints} points in total · streak ${f.streak} :fire:`;
  blocks.push(context(f.links.length ? `${linkLine(f.links)} · ${figures}` : figures));
  if (f.hasNext) {
    blocks.push(
      ...actions(BLOCK.actions, [
        button('Next question', ACTION.next, encodeTarget(f.target), 'primary'),
        button('Stop quiz', ACTION.stop, encodeTarget(f.target)),
      ]),
    );
  }
  const fallback = `${f.correct ? 'Correct!' : 'Not quite.'} ${f.stem}`;
  return message(fallback, blocks);
}
