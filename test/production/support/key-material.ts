import type { Item } from '../../../src/core';

/** Property names that would tell a client which options are keyed, or why. */
const MARKERS = new Set([
  'correct',
  'iscorrect',
  'key',
  'keys',
  'answer',
  'answers',
  'correctanswer',
  'solution',
  'explanation',
  'why',
]);

/** Phrases that only feedback and reveals carry. */
const FEEDBACK_PHRASES = [/correctanswer/, /correctorder/, /notquite/, /gotitright/];

/** Lower-case letters and digits only: text compared this way survives mrkdwn and card escaping. */
const letters = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A JSON-looking string (Slack button values, form-encoded blocks) parsed, else undefined. */
function embedded(s: string): unknown {
  if (!/^\s*[[{]/.test(s)) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Every object and string inside `node`, JSON strings opened. */
function walk(node: unknown, onObject: (o: Record<string, unknown>, parent?: unknown[]) => void): string[] {
  const strings: string[] = [];
  const visit = (n: unknown, parent?: unknown[]) => {
    if (typeof n === 'string') {
      strings.push(n);
      const inner = embedded(n);
      if (inner !== undefined) visit(inner);
    } else if (Array.isArray(n)) for (const x of n) visit(x, n);
    else if (n && typeof n === 'object') {
      onObject(n as Record<string, unknown>, parent);
      for (const v of Object.values(n)) visit(v);
    }
  };
  visit(node);
  return strings;
}

/** The option id an element stands for: its `value`, or the last id of a JSON-array value. */
function optionOf(o: Record<string, unknown>, ids: ReadonlySet<string>): string | undefined {
  const v = o.value;
  if (typeof v !== 'string') return undefined;
  if (ids.has(v)) return v;
  const inner = embedded(v);
  const last = Array.isArray(inner) ? inner[inner.length - 1] : undefined;
  return typeof last === 'string' && ids.has(last) ? last : undefined;
}

/**
 * What in one outgoing payload (a Slack message or response, an Adaptive Card) would let
 * a member learn an item's key before answering: a property that marks options
 * (`correct`, `key`, `isCorrect`, …), the explanation or an option's `why` text,
 * feedback phrases, or option elements that differ in shape or style between options.
 * Returns the problems found, empty when the payload is clean.
 */
export function keyLeaks(payload: unknown, item: Item): string[] {
  const problems: string[] = [];
  const ids = new Set(item.options.map((o) => o.id));
  const siblings = new Map<unknown[], Array<Record<string, unknown>>>();
  const strings = walk(payload, (o, parent) => {
    for (const name of Object.keys(o))
      if (MARKERS.has(name.toLowerCase())) problems.push(`${item.id}: property "${name}"`);
    if (parent && optionOf(o, ids)) siblings.set(parent, [...(siblings.get(parent) ?? []), o]);
  });
  const text = letters(strings.join(' '));
  const secret = [
    ['explanation', item.explanation],
    ...item.options.flatMap((o) => (o.why ? [[`why of ${o.id}`, o.why]] : [])),
  ] as const;
  for (const [what, s] of secret) {
    const probe = letters(s).slice(0, 60);
    // Short texts ("Yes", "No") say nothing on their own.
    if (probe.length >= 20 && text.includes(probe)) problems.push(`${item.id}: ${what} is shown`);
  }
  // The stem may say these words itself ("Each correct answer presents part of the solution").
  const own = [item.stem, item.parent?.text ?? ''].map(letters).filter(Boolean);
  const shown = strings.map((s) => own.reduce((t, o) => t.split(o).join(' '), letters(s)));
  for (const re of FEEDBACK_PHRASES)
    if (shown.some((s) => re.test(s))) problems.push(`${item.id}: feedback phrase ${re}`);
  // Options listed side by side must look alike: no extra field, no style on the keyed ones.
  for (const elements of siblings.values()) {
    const shape = (o: Record<string, unknown>) =>
      JSON.stringify([Object.keys(o).sort(), o.style ?? null, o.isSelected ?? null]);
    const shapes = new Set(elements.map(shape));
    if (shapes.size > 1) problems.push(`${item.id}: options differ in shape: ${[...shapes].join(' | ')}`);
  }
  return problems;
}
