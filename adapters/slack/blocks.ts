import type { types } from '@slack/bolt';
import { LIMITS } from './limits';
import { chunk, clip, escapeText, plain, toMrkdwn } from './mrkdwn';

export type KnownBlock = types.KnownBlock;
export type ActionsElement = types.ActionsBlockElement;
export type Button = types.Button;
export type PlainOption = types.PlainTextOption;

/** A rendered Slack message: blocks plus the notification fallback text. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** Sections for CommonMark text, split to respect the 3,000-character section limit. */
export function sections(markdown: string): KnownBlock[] {
  return chunk(toMrkdwn(markdown), LIMITS.sectionText).map((t) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: t },
  }));
}

/** Sections for text that is already mrkdwn. */
export function mrkdwnSections(mrkdwn: string): KnownBlock[] {
  return chunk(mrkdwn, LIMITS.sectionText).map((t) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: t },
  }));
}

/** A context block (small grey text); long text becomes several elements, at most ten. */
export function context(mrkdwn: string): KnownBlock {
  const parts = chunk(mrkdwn, LIMITS.contextText).slice(0, LIMITS.contextElements);
  return { type: 'context', elements: parts.map((t) => ({ type: 'mrkdwn', text: t })) };
}

/** A button; text and value are clipped to Block Kit's limits by construction. */
export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  if (value.length > LIMITS.buttonValue)
    throw new Error(`button value longer than ${LIMITS.buttonValue} characters`);
  return {
    type: 'button',
    text: { type: 'plain_text', text: plain(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** A plain-text option for checkboxes, selects and overflows. */
export function option(text: string, value: string): PlainOption {
  if (value.length > LIMITS.optionValue)
    throw new Error(`option value longer than ${LIMITS.optionValue} characters`);
  return { text: { type: 'plain_text', text: plain(text, LIMITS.optionText), emoji: true }, value };
}

/** Actions blocks holding `elements`, 25 per block. */
export function actions(blockId: string, elements: ActionsElement[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.actionsElements) {
    out.push({
      type: 'actions',
      block_id: i === 0 ? blockId : `${blockId}_${i}`,
      elements: elements.slice(i, i + LIMITS.actionsElements),
    });
  }
  return out;
}

/** A message from blocks, with a fallback text clipped for notifications; at most 50 blocks. */
export function message(fallback: string, blocks: KnownBlock[]): SlackMessage {
  if (blocks.length > LIMITS.blocksPerMessage) {
    const kept = blocks.slice(0, LIMITS.blocksPerMessage - 1);
    kept.push(context('_(shortened: the full text did not fit in one Slack message)_'));
    blocks = kept;
  }
  return { text: escapeText(plain(fallback, LIMITS.fallbackText)) || 'Study Companion', blocks };
}

export { clip };
