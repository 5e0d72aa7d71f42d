/** A piece of Adaptive Card JSON (an element, an action, an input). */
export type CardElement = Record<string, unknown>;

/** An Adaptive Card 1.5, as sent to Teams. */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: '1.5';
  readonly body: CardElement[];
  readonly actions?: CardElement[];
  readonly refresh?: { readonly action: CardElement; readonly userIds?: readonly string[] };
  readonly msteams?: { readonly width: 'Full' };
}

/** The content type of an Adaptive Card attachment and of an invoke response that carries one. */
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Wraps body and actions into a card. */
export function card(
  body: CardElement[],
  actions: CardElement[] = [],
  extra: Pick<AdaptiveCard, 'refresh'> = {},
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
    ...extra,
    msteams: { width: 'Full' },
  };
}

/** A wrapping text block. */
export function textBlock(text: string, opts: CardElement = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...opts };
}

/** A bold heading. */
export function heading(text: string, opts: CardElement = {}): CardElement {
  return textBlock(text, { weight: 'Bolder', size: 'Medium', ...opts });
}

/** A quieter line (tags, counts). */
export function subtle(text: string, opts: CardElement = {}): CardElement {
  return textBlock(text, { isSubtle: true, size: 'Small', spacing: 'None', ...opts });
}

/** A fact set (title → value). */
export function facts(rows: ReadonlyArray<readonly [string, string]>): CardElement {
  return { type: 'FactSet', facts: rows.map(([title, value]) => ({ title, value })) };
}

/** The data every card action carries: the verb, then ids only (never the key). */
export type ActionData = Record<string, string | boolean> & { verb: string };

/**
 * A Universal Action (`Action.Execute`) with an `Action.Submit` fallback for clients
 * that do not support it; both carry the verb inside `data` so either arrives the same.
 */
export function execute(title: string, data: ActionData, opts: CardElement = {}): CardElement {
  return {
    type: 'Action.Execute',
    title,
    verb: data.verb,
    data,
    ...opts,
    fallback: {
      type: 'Action.Submit',
      title,
      data,
      ...(opts['associatedInputs'] ? { associatedInputs: opts['associatedInputs'] } : {}),
    },
  };
}

/** A percentage bar in text: `████░░░░░░ 40% (4/10)`. */
export function bar(correct: number, total: number, width = 10): string {
  if (total === 0) return `${'░'.repeat(width)} no answers yet`;
  const full = Math.round((correct / total) * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${Math.round((correct / total) * 100)}% (${correct}/${total})`;
}
