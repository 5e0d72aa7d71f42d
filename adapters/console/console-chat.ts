import type { Actor, QuestionCard, Reply, StudyCore, Where } from '../../src/core';
import { render } from './render';

/**
 * The terminal chat: one local user in a DM with the bot. Lines go to the core as
 * commands; numbers answer the question on screen; an empty line after feedback
 * moves on. Kept free of readline so tests can drive it line by line.
 */
export class ConsoleChat {
  private card?: QuestionCard;
  private canGoOn = false;

  constructor(
    private readonly core: StudyCore,
    private readonly actor: Actor,
    private readonly where: Where,
    private readonly write: (text: string) => void,
  ) {}

  /** Handles one typed line; returns false when the user wants to quit. */
  async line(input: string): Promise<boolean> {
    const line = input.trim();
    if (/^(quit|exit|bye)$/i.test(line)) return false;
    if (line === '' && !this.canGoOn) return true;
    const replies = await this.core.handle(this.actor, this.where, this.intentFor(line));
    this.show(replies);
    return true;
  }

  private intentFor(line: string) {
    if (line === '' && this.card) return { kind: 'next', target: this.card.target } as const;
    const card = this.card;
    const action = card?.actions?.find((a) => a.replace('-', ' ') === line.toLowerCase());
    if (card && action) return { kind: 'navigate', target: card.target, action } as const;
    if (card && /^\d+([\s,]+\d+)*$/.test(line)) {
      const picks = line.split(/[\s,]+/).map((n) => card.options[Number(n) - 1]?.id);
      if (picks.every((p): p is string => p !== undefined)) {
        return { kind: 'answer', target: card.target, questionId: card.questionId, choice: picks } as const;
      }
    }
    return { kind: 'command', text: line } as const;
  }

  /** Prints replies and remembers the question on screen. */
  show(replies: readonly Reply[]): void {
    for (const r of replies) {
      if (r.kind === 'question') {
        this.card = r;
        this.canGoOn = false;
      }
      if (r.kind === 'feedback') {
        this.canGoOn = r.hasNext;
        if (r.note !== 'already-answered') this.card = r.hasNext ? this.card : undefined;
      }
      if (r.kind === 'summary' || r.kind === 'exam-result') this.card = undefined;
      this.write(`${render(r)}\n`);
    }
  }
}
