import type { Command } from './command';
import { commandTable, type ParseContext } from './command-table';

/** The outcome of parsing one line. */
export type ParseResult =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly message: string };

/** Edit distance between two short words. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

const words = commandTable.map((c) => c.word);

/** Command words are short: a longer typed word is compared (and echoed) by its start only. */
const MAX_WORD = 32;

/** The declared command word closest to `word`. */
export function closestCommand(word: string): string {
  let best = 'help';
  let bestD = Number.POSITIVE_INFINITY;
  // The edit distance costs the product of both lengths: a pasted essay must not cost seconds of CPU.
  const start = word.slice(0, MAX_WORD);
  for (const w of words) {
    const d = w.startsWith(start) && start.length >= 2 ? 0 : distance(start, w);
    if (d < bestD) {
      best = w;
      bestD = d;
    }
  }
  return best;
}

/**
 * Parses a command line ("quiz pipelines 10"). Case and extra spaces do not matter; a
 * leading "/study" is dropped. Unknown words get a short correction naming the closest
 * command; bad arguments get the command's usage.
 */
export function parseCommand(line: string, ctx: ParseContext): ParseResult {
  const tokens = line
    .trim()
    .replace(/^\/study\b/i, '')
    .split(/\s+/)
    .filter(Boolean);
  const [first, ...rest] = tokens;
  if (!first) return { ok: true, command: { name: 'help' } };
  const word = first.toLowerCase();
  const args = rest.map((a) => (/^(<@|@)/.test(a) || a.includes('/') ? a : a.toLowerCase()));
  const spec = commandTable.find((c) => c.word === word);
  if (!spec) {
    const near = closestCommand(word);
    const usage = commandTable.find((c) => c.word === near)?.usages[0]?.usage ?? near;
    return {
      ok: false,
      message: `I don't know "${first.length > MAX_WORD ? `${first.slice(0, MAX_WORD)}…` : first}". Did you mean \`${usage}\`? Type \`help\` for everything I can do.`,
    };
  }
  const parsed = spec.parse(args, ctx);
  return typeof parsed === 'string' ? { ok: false, message: parsed } : { ok: true, command: parsed };
}
