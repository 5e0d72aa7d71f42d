import type { NavAction, OptionView, QuestionCard } from '../../../src/core';
import {
  type ActionData,
  type AdaptiveCard,
  type CardElement,
  card,
  execute,
  heading,
  subtle,
  textBlock,
} from './card';
import { markdownBlocks, plain } from './markdown';

/** Input ids on a question card; {@link ./action-data} reads them back. */
export const INPUT_CHOICE = 'choice';
export const stepInput = (n: number) => `step${n}`;

const choices = (options: readonly OptionView[]) =>
  options.map((o) => ({ title: `${o.letter}. ${plain(o.text)}`, value: o.id }));

const navTitles: Record<NavAction, string> = {
  skip: 'Skip',
  back: 'Back',
  flag: 'Flag for review',
  review: 'Review flagged',
  'next-section': 'Next section',
  submit: 'Submit exam',
};

/** The answer data of a card: target and question ids only. */
export function answerData(q: Pick<QuestionCard, 'target' | 'questionId'>): ActionData {
  return { verb: 'answer', t: q.target.kind, id: q.target.id, q: q.questionId };
}

/** Series goal shown above the stem; a case study's scenario behind a toggle, since it is long. */
function contextBlocks(q: QuestionCard): CardElement[] {
  if (!q.context) return [];
  if (q.context.kind === 'series') {
    return [
      {
        type: 'Container',
        style: 'emphasis',
        items: [textBlock(q.context.title, { weight: 'Bolder' }), ...markdownBlocks(q.context.text)],
      },
    ];
  }
  const id = `scenario-${q.questionId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return [
    textBlock(`Case study: **${q.context.title}**`),
    {
      type: 'ActionSet',
      actions: [
        { type: 'Action.ToggleVisibility', title: 'Show or hide the scenario', targetElements: [id] },
      ],
    },
    { type: 'Container', id, isVisible: false, style: 'emphasis', items: markdownBlocks(q.context.text) },
  ];
}

/** The inputs that collect an answer: radio buttons, checkboxes, or one select per step. */
function inputs(q: QuestionCard): CardElement[] {
  if (q.type === 'order') {
    const steps = q.choose ?? q.options.length;
    const list = textBlock(q.options.map((o) => `- **${o.letter}.** ${o.text}`).join('\n'));
    const selects = Array.from({ length: steps }, (_, i) => ({
      type: 'Input.ChoiceSet',
      id: stepInput(i + 1),
      label: `Step ${i + 1}`,
      style: 'compact',
      placeholder: 'Choose a step',
      isRequired: true,
      errorMessage: `Choose the step that comes ${i + 1}${['st', 'nd', 'rd'][i] ?? 'th'}.`,
      choices: choices(q.options),
      ...(q.exam?.chosen[i] ? { value: q.exam.chosen[i] } : {}),
    }));
    return [textBlock(`Put ${steps} steps in order, first to last:`, { weight: 'Bolder' }), list, ...selects];
  }
  const multiple = q.type === 'multiple';
  return [
    {
      type: 'Input.ChoiceSet',
      id: INPUT_CHOICE,
      label: multiple ? `Choose ${q.choose ?? 2}` : 'Your answer',
      style: 'expanded',
      isMultiSelect: multiple,
      isRequired: true,
      errorMessage: multiple ? `Choose ${q.choose ?? 2} options.` : 'Choose an option.',
      wrap: true,
      choices: choices(q.options),
      ...(q.exam?.chosen.length ? { value: q.exam.chosen.join(',') } : {}),
    },
  ];
}

/** Header lines: position or "Daily question", then domain and sub-skill. */
function header(q: QuestionCard): CardElement[] {
  const title = q.position
    ? `Question ${q.position.index} of ${q.position.total}`
    : q.target.kind === 'post'
      ? 'Question of the day'
      : 'Question';
  const lines = [
    heading(q.exam ? `Mock exam · ${title}` : title),
    subtle(`${q.domain.name} · ${q.skill.id} ${q.skill.name}`),
  ];
  if (q.exam) {
    const section =
      q.exam.section === 'main'
        ? ''
        : q.exam.section === 'series'
          ? ' · yes/no series (no going back once left)'
          : ' · case study (no going back once left)';
    lines.push(
      textBlock(
        `⏱ ${q.exam.minutesLeft} min left · ${q.exam.answered} of ${q.exam.total} answered${q.exam.flagged ? ' · 🚩 flagged' : ''}${section}`,
        { isSubtle: true },
      ),
    );
  }
  return lines;
}

/** The channel line: reveal time and live tally (never who chose what). */
function postStatus(q: QuestionCard): CardElement[] {
  if (q.target.kind !== 'post') return [];
  const tally = `${q.tally ?? 0} answered`;
  if (q.closed)
    return [textBlock(`Answers are closed · ${tally}. The answer is in the thread.`, { isSubtle: true })];
  return [
    textBlock(`Answer by ${q.answerBy ?? 'the reveal'} · ${tally} · only you see your result`, {
      isSubtle: true,
    }),
  ];
}

/**
 * A question card. It carries option ids and the question id, never the key: the
 * answer is graded on the server. A closed channel card shows the options without inputs.
 */
export function renderQuestion(q: QuestionCard, extraActions: CardElement[] = []): AdaptiveCard {
  const body = [...header(q), ...contextBlocks(q), ...markdownBlocks(q.stem)];
  if (q.closed) {
    body.push(textBlock(q.options.map((o) => `- **${o.letter}.** ${o.text}`).join('\n')), ...postStatus(q));
    return card(body, extraActions);
  }
  body.push(...inputs(q), ...postStatus(q));
  const actions = [execute(q.exam ? 'Save answer' : 'Submit', answerData(q), { style: 'positive' })];
  for (const nav of q.actions ?? []) {
    actions.push(
      execute(
        navTitles[nav],
        { verb: 'navigate', t: q.target.kind, id: q.target.id, nav },
        { associatedInputs: 'none' },
      ),
    );
  }
  if (q.target.kind === 'session') {
    actions.push(
      execute('Stop quiz', { verb: 'stop', t: q.target.kind, id: q.target.id }, { associatedInputs: 'none' }),
    );
  }
  return card(body, [...actions, ...extraActions]);
}
