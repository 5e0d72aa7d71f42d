import type { Logger } from '../../../src/core';

/** One error-level line. */
export interface LoggedError {
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps error-level lines (and drops the rest), for tests that look at what failed inside. */
export class RecordingLogger implements Logger {
  readonly errors: LoggedError[] = [];
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(fields: Record<string, unknown>, msg: string): void {
    this.errors.push({ msg, fields });
  }

  /** Error lines grouped by message with a count and the first error text, most frequent first. */
  summary(): Array<{ msg: string; count: number; example: string }> {
    const by = new Map<string, { count: number; example: string }>();
    for (const e of this.errors) {
      const err = e.fields.err as { message?: string; stack?: string } | string | undefined;
      const example =
        typeof err === 'string'
          ? err
          : (err?.stack ?? err?.message ?? JSON.stringify(e.fields).slice(0, 300));
      const entry = by.get(e.msg) ?? { count: 0, example };
      entry.count += 1;
      by.set(e.msg, entry);
    }
    return [...by].map(([msg, v]) => ({ msg, ...v })).sort((a, b) => b.count - a.count);
  }
}
