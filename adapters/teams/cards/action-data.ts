import { z } from 'zod';
import type { Intent } from '../../../src/core';
import { INPUT_REASON } from './render-feedback';
import { INPUT_CHOICE } from './render-question';

const id = z.string().min(1).max(200);
const target = { t: z.enum(['session', 'exam', 'post']), id };
const nav = z.enum(['skip', 'back', 'flag', 'review', 'next-section', 'submit']);

/**
 * The data of a card action (Action.Execute `data`, or the `value` of an Action.Submit
 * message): our verbs with ids, plus the card's inputs merged in by the client.
 */
const actionSchema = z.discriminatedUnion('verb', [
  z.looseObject({
    verb: z.literal('answer'),
    ...target,
    q: id,
    [INPUT_CHOICE]: z.string().max(2000).optional(),
  }),
  z.looseObject({ verb: z.literal('next'), ...target }),
  z.looseObject({ verb: z.literal('stop'), ...target }),
  z.looseObject({ verb: z.literal('navigate'), ...target, nav }),
  z.looseObject({ verb: z.literal('refresh'), t: z.literal('post'), id }),
  z.looseObject({
    verb: z.literal('report'),
    q: id,
    [INPUT_REASON]: z.enum(['wrong-key', 'unclear', 'outdated']).optional(),
  }),
  z.looseObject({
    verb: z.literal('confirm'),
    action: z.literal('forget-me'),
    yes: z.union([z.boolean(), z.enum(['true', 'false'])]),
  }),
]);

/** What a card action asks for: a core intent, or a channel card's per-user refresh. */
export type CardAction =
  | { readonly kind: 'intent'; readonly intent: Intent }
  | { readonly kind: 'refresh'; readonly postId: string };

/** The chosen option ids: one radio value, comma-separated checkboxes, or Step 1…N selects in order. */
function choiceOf(data: Record<string, unknown>): string[] {
  const raw = data[INPUT_CHOICE];
  if (typeof raw === 'string' && raw !== '')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const steps: string[] = [];
  for (let n = 1; n <= 10; n++) {
    const v = data[`step${n}`];
    if (typeof v !== 'string' || v === '') break;
    steps.push(v);
  }
  return steps;
}

/** Reads card action data; undefined when it is not one of ours (then the caller says so). */
export function parseCardAction(data: unknown): CardAction | undefined {
  const parsed = actionSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  switch (d.verb) {
    case 'answer':
      return {
        kind: 'intent',
        intent: { kind: 'answer', target: { kind: d.t, id: d.id }, questionId: d.q, choice: choiceOf(d) },
      };
    case 'next':
      return { kind: 'intent', intent: { kind: 'next', target: { kind: d.t, id: d.id } } };
    case 'stop':
      return { kind: 'intent', intent: { kind: 'stop', target: { kind: d.t, id: d.id } } };
    case 'navigate':
      return { kind: 'intent', intent: { kind: 'navigate', target: { kind: d.t, id: d.id }, action: d.nav } };
    case 'refresh':
      return { kind: 'refresh', postId: d.id };
    case 'report':
      return {
        kind: 'intent',
        intent: { kind: 'report', questionId: d.q, reason: d[INPUT_REASON] ?? 'unclear' },
      };
    case 'confirm':
      return {
        kind: 'intent',
        intent: { kind: 'confirm', action: 'forget-me', yes: d.yes === true || d.yes === 'true' },
      };
  }
}
