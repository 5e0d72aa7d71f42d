import type { NavAction, OptionView, QuestionCard } from '../../src/core';
import { ACTION, BLOCK, encodeAnswer, encodeNavigate, encodeTarget } from './action-values';
import {
  type ActionsElement,
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
import { LIMITS } from './limits';
import { clip, escapeText, toMrkdwn } from './mrkdwn';

/** Scenarios longer than this are collapsed to a summary, with the full text below in small print. */
const LONG_CONTEXT = 700;
const SUMMARY = 280;

const optionLine = (o: OptionView) => `*${o.letter}.* ${toMrkdwn(o.text.trim())}`;
const optionLabel = (o: OptionView) => `${o.letter}. ${o.text}`;

/** The series goal or case-study scenario shown above the stem. */
function contextBlocks(card: QuestionCard): KnownBlock[] {
  if (!card.context) return [];
  const label = card.context.kind === 'case' ? 'Case study' : 'Series';
  const title = `*${label}: ${escapeText(clip(card.context.title.trim(), 300))}*`;
  const body = card.context.text.trim();
  if (body.length <= LONG_CONTEXT) {
    return [
      { type: 'section', text: { type: 'mrkdwn', text: `${title}\n${toMrkdwn(body)}` } },
      { type: 'divider' },
    ];
  }
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${title}\n${toMrkdwn(clip(body.replace(/\s+/g, ' '), SUMMARY))}` },
    },
    context(`*Full scenario*\n${toMrkdwn(body)}`),
    { type: 'divider' },
  ];
}

const NAV_LABELS: Record<NavAction, string> = {
  skip: 'Skip',
  back: 'Back',
  flag: 'Flag for review',
  review: 'Review flagged',
  'next-section': 'Next section',
  submit: 'Submit exam',
};

function header(card: QuestionCard): string {
  const where = card.position ? `Question ${card.position.index} of ${card.position.total}` : 'Question';
  const tags = `*${where}* · ${escapeText(card.domain.name)} · ${escapeText(card.skill.id)} ${escapeText(card.skill.name)}`;
  if (!card.exam) return tags;
  const x = card.exam;
  return `${tags}\n:stopwatch: ${x.minutesLeft} min left · ${x.answered} of ${x.total} answered${x.flagged ? ' · :triangular_flag_on_post: flagged' : ''}`;
}

function howTo(card: QuestionCard): string {
  switch (card.type) {
    case 'multiple':
      return `Choose ${card.choose ?? 2}, then press *Submit*.`;
    case 'order':
      return `Pick the ${card.choose ?? card.options.length} steps in order (step 1 first), then press *Submit*.`;
    case 'yesno':
      return 'Does the solution meet the goal?';
    default:
      return 'Choose one answer.';
  }
}

/** The interactive elements: letter buttons, checkboxes + submit, or ordered selects + submit. */
function answerBlocks(card: QuestionCard): KnownBlock[] {
  const submitValue = encodeAnswer(card.target, card.questionId);
  const chosen = new Set(card.exam?.chosen ?? []);
  const nav = (card.actions ?? []).map((a) =>
    button(
      a === 'flag' && card.exam?.flagged ? 'Unflag' : NAV_LABELS[a],
      `${ACTION.navigate}_${a}`,
      encodeNavigate(card.target, a),
      a === 'submit' ? 'danger' : undefined,
    ),
  );
  const extra: ActionsElement[] =
    card.target.kind === 'session' ? [button('Stop quiz', ACTION.stop, encodeTarget(card.target))] : nav;
  if (card.type === 'multiple') {
    return [
      {
        type: 'actions',
        block_id: BLOCK.pick,
        elements: [
          {
            type: 'checkboxes',
            action_id: ACTION.pick,
            options: card.options.slice(0, LIMITS.checkboxOptions).map((o) => option(optionLabel(o), o.id)),
            ...(chosen.size
              ? {
                  initial_options: card.options
                    .filter((o) => chosen.has(o.id))
                    .map((o) => option(optionLabel(o), o.id)),
                }
              : {}),
          },
        ],
      },
      ...actions(BLOCK.actions, [button('Submit', ACTION.submit, submitValue, 'primary'), ...extra]),
    ];
  }
  if (card.type === 'order') {
    const steps = card.choose ?? card.options.length;
    const earlier = card.exam?.chosen ?? [];
    const selects: ActionsElement[] = Array.from({ length: steps }, (_, i) => {
      const pre = card.options.find((o) => o.id === earlier[i]);
      return {
        type: 'static_select',
        action_id: `${ACTION.orderStep}_${i + 1}`,
        placeholder: { type: 'plain_text', text: `Step ${i + 1}` },
        options: card.options.slice(0, LIMITS.selectOptions).map((o) => option(optionLabel(o), o.id)),
        ...(pre ? { initial_option: option(optionLabel(pre), pre.id) } : {}),
      };
    });
    return [
      ...actions(BLOCK.order, selects),
      ...actions(BLOCK.actions, [button('Submit', ACTION.submit, submitValue, 'primary'), ...extra]),
    ];
  }
  // In a mock exam the current choice is highlighted; it can still be changed until the section is left.
  const answerButtons = card.options.map((o, i) =>
    button(
      card.type === 'yesno' ? o.text : o.letter,
      `${ACTION.answer}_${i}`,
      encodeAnswer(card.target, card.questionId, [o.id]),
      chosen.has(o.id) ? 'primary' : undefined,
    ),
  );
  return actions(BLOCK.actions, [...answerButtons, ...extra]);
}

/** Footer of a shared channel card: reveal time, tally, closed state. Never who chose what. */
function postFooter(card: QuestionCard): string | undefined {
  const parts: string[] = [];
  if (card.closed) parts.push('*Closed*: the answer is in the thread');
  else if (card.answerBy)
    parts.push(`Answer by *${escapeText(card.answerBy)}*; you alone see whether you were right`);
  if (card.tally !== undefined) parts.push(`${card.tally} answered`);
  return parts.length ? parts.join(' · ') : undefined;
}

/**
 * A question card: context (series goal / case scenario), header, stem, lettered options
 * in text, then the controls for the question type. Closed cards have no controls. The
 * card carries option ids only: the key is not part of a {@link QuestionCard} at all.
 */
export function renderQuestion(card: QuestionCard): SlackMessage {
  const blocks: KnownBlock[] = [...contextBlocks(card), context(header(card)), ...sections(card.stem.trim())];
  // Yes/no statements need no option list: the buttons say Yes and No.
  if (card.type !== 'yesno') blocks.push(...mrkdwnSections(card.options.map(optionLine).join('\n')));
  const footer = postFooter(card);
  if (!card.closed) {
    blocks.push(context(howTo(card)));
    blocks.push(...answerBlocks(card));
  }
  if (footer) blocks.push(context(footer));
  return message(card.stem, blocks);
}
