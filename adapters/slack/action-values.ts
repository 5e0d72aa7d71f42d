import { z } from 'zod';
import type { AnswerTarget, NavAction, ReportReason } from '../../src/core';

/**
 * Action ids of every interactive element the adapter renders. Bolt listeners match
 * them; block ids that carry state (checkboxes, ordering selects) are fixed too.
 */
export const ACTION = {
  /** One button per option (single answer, yes/no); the value carries the choice. */
  answer: 'sc_answer',
  /** Checkboxes (multiple answer) and ordering selects: state only, read on submit. */
  pick: 'sc_pick',
  orderStep: 'sc_step',
  submit: 'sc_submit',
  next: 'sc_next',
  stop: 'sc_stop',
  report: 'sc_report',
  /** Buttons that run a command line (home tab, summary), `sc_cmd_<n>`: the value is the command. */
  command: 'sc_cmd',
  confirm: 'sc_confirm',
  /** Mock exam moves (skip, back, flag, review, next section, submit). */
  navigate: 'sc_nav',
} as const;

/** Block ids whose `state.values` are read when a multiple or ordering answer is submitted. */
export const BLOCK = { pick: 'sc_pick', order: 'sc_order', actions: 'sc_actions', home: 'sc_home' } as const;

const targetKind = z.enum(['s', 'p', 'e']);
const id = z.string().min(1).max(200);

/**
 * An answer value: `[target kind, target id, question id, ...option ids]`, ids only
 * (no letter, no text, never the key). Kept as a JSON array: compact and unambiguous.
 */
const answerValue = z.tuple([targetKind, id, id]).rest(id);
const targetValue = z.tuple([targetKind, id]);
const reasons = { w: 'wrong-key', u: 'unclear', o: 'outdated' } as const satisfies Record<
  string,
  ReportReason
>;
const reportValue = z.tuple([id, z.enum(['w', 'u', 'o'])]);

const navAction = z.enum(['skip', 'back', 'flag', 'review', 'next-section', 'submit']);
const navValue = z.tuple([targetKind, id, navAction]);
const KINDS = { s: 'session', p: 'post', e: 'exam' } as const;

const kindOf = (t: AnswerTarget) => (t.kind === 'post' ? 'p' : t.kind === 'exam' ? 'e' : 's');
const targetOf = (k: keyof typeof KINDS, targetId: string): AnswerTarget => ({
  kind: KINDS[k],
  id: targetId,
});

function parseJson(value: string | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The value of an answer button (with a choice) or of a submit button (choice read from state). */
export function encodeAnswer(
  target: AnswerTarget,
  questionId: string,
  choice: readonly string[] = [],
): string {
  return JSON.stringify([kindOf(target), target.id, questionId, ...choice]);
}

/** Reads an answer or submit value; undefined for anything malformed. */
export function decodeAnswer(
  value: string | undefined,
): { target: AnswerTarget; questionId: string; choice: string[] } | undefined {
  const r = answerValue.safeParse(parseJson(value));
  if (!r.success) return undefined;
  const [k, targetId, questionId, ...choice] = r.data;
  return { target: targetOf(k, targetId), questionId, choice };
}

/** The value of a Next or Stop button. */
export function encodeTarget(target: AnswerTarget): string {
  return JSON.stringify([kindOf(target), target.id]);
}

export function decodeTarget(value: string | undefined): AnswerTarget | undefined {
  const r = targetValue.safeParse(parseJson(value));
  return r.success ? targetOf(r.data[0], r.data[1]) : undefined;
}

/** The value of one "Report" overflow option. */
export function encodeReport(questionId: string, reason: ReportReason): string {
  const code =
    (Object.keys(reasons) as Array<keyof typeof reasons>).find((k) => reasons[k] === reason) ?? 'u';
  return JSON.stringify([questionId, code]);
}

export function decodeReport(
  value: string | undefined,
): { questionId: string; reason: ReportReason } | undefined {
  const r = reportValue.safeParse(parseJson(value));
  return r.success ? { questionId: r.data[0], reason: reasons[r.data[1]] } : undefined;
}

/** The value of a mock-exam navigation button. */
export function encodeNavigate(target: AnswerTarget, action: NavAction): string {
  return JSON.stringify([kindOf(target), target.id, action]);
}

export function decodeNavigate(
  value: string | undefined,
): { target: AnswerTarget; action: NavAction } | undefined {
  const r = navValue.safeParse(parseJson(value));
  return r.success ? { target: targetOf(r.data[0], r.data[1]), action: r.data[2] } : undefined;
}
