import type { Feedback, OptionView } from '../../../src/core';
import {
  type AdaptiveCard,
  type CardElement,
  card,
  execute,
  facts,
  heading,
  subtle,
  textBlock,
} from './card';
import { markdownBlocks, plain } from './markdown';

/** Input id of the report reason on the feedback card. */
export const INPUT_REASON = 'reason';

const verdicts: Record<NonNullable<Feedback['note']>, string> = {
  'already-answered': 'You already answered this one: nothing changed.',
  late: 'Answered after the reveal: no points, but it still trains your review card.',
  repeat: 'You had answered this question before: no points this time.',
};

const letters = (options: readonly OptionView[], sep: string) =>
  options.map((o) => `${o.letter}. ${plain(o.text)}`).join(sep) || '(none)';

function linkLine(links: readonly string[]): string {
  return `Learn more: ${links.map((l, i) => `[${links.length > 1 ? `link ${i + 1}` : hostOf(l)}](${l})`).join(' · ')}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'documentation';
  }
}

/** The "Report" action: a reason, sent with the question id only. */
export function reportAction(questionId: string): CardElement {
  return {
    type: 'Action.ShowCard',
    title: 'Report',
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.ChoiceSet',
          id: INPUT_REASON,
          label: 'What is wrong with this question?',
          style: 'expanded',
          isRequired: true,
          errorMessage: 'Choose a reason.',
          value: 'unclear',
          choices: [
            { title: 'The key is wrong', value: 'wrong-key' },
            { title: 'It is unclear', value: 'unclear' },
            { title: 'It is outdated', value: 'outdated' },
          ],
        },
      ],
      actions: [execute('Send report', { verb: 'report', q: questionId })],
    },
  };
}

/**
 * Feedback for the person who answered: right or wrong, chosen against correct
 * (letters as shown), the explanation, why the wrong choices are wrong, links,
 * points and streak, then "Next" when the session goes on and "Report".
 */
export function renderFeedback(
  f: Feedback,
  extra: { status?: string; actions?: CardElement[] } = {},
): AdaptiveCard {
  const partial = !f.correct && f.possible > 1 ? ` (${f.earned} of ${f.possible} parts right)` : '';
  const verdict =
    f.note === 'already-answered' ? 'Your answer' : f.correct ? '✅ Correct!' : `❌ Not quite${partial}`;
  const sep = f.type === 'order' ? ' → ' : '; ';
  const body: CardElement[] = [
    heading(verdict, f.note === 'already-answered' ? {} : { color: f.correct ? 'Good' : 'Attention' }),
    ...(f.note ? [textBlock(verdicts[f.note], { isSubtle: true })] : []),
    subtle(plain(f.stem).slice(0, 300)),
    facts([
      ['Your answer', letters(f.chosen, sep)],
      [f.type === 'order' ? 'Correct order' : 'Correct answer', letters(f.answer, sep)],
    ]),
    ...markdownBlocks(f.explanation),
  ];
  if (f.whyWrong.length) {
    body.push(
      textBlock('**Why not your choice**'),
      textBlock(f.whyWrong.map((w) => `- **${w.option.letter}.** ${w.why}`).join('\n')),
    );
  }
  if (f.links.length) body.push(textBlock(linkLine(f.links), { size: 'Small' }));
  const gained =
    f.note === 'already-answered' ? '' : f.points > 0 ? `+${f.points} points · ` : 'no points · ';
  body.push(textBlock(`${gained}total ${f.totalPoints} · streak ${f.streak} 🔥`, { weight: 'Bolder' }));
  if (extra.status) body.push(textBlock(extra.status, { isSubtle: true }));
  const actions: CardElement[] = [];
  if (f.hasNext)
    actions.push(
      execute(
        'Next',
        { verb: 'next', t: f.target.kind, id: f.target.id },
        { style: 'positive', associatedInputs: 'none' },
      ),
    );
  actions.push(reportAction(f.questionId), ...(extra.actions ?? []));
  return card(body, actions);
}
