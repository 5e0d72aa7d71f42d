import { memo } from '../../src/core';
import { LIMITS } from './limits';

/** Slack's special sequences that must survive escaping: mentions, channels, broadcasts. */
const SLACK_TOKEN = /^<([@#!][^<>\s]+)>/;

/**
 * Escapes `&`, `<` and `>` as Slack requires, keeping Slack's own `<@U123>`, `<#C1>` and
 * `<!here>` sequences (the core writes mentions that way).
 */
export function escapeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '<') {
      const m = SLACK_TOKEN.exec(text.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
      out += '&lt;';
    } else if (c === '>') out += '&gt;';
    else if (c === '&') out += '&amp;';
    else out += c;
  }
  return out;
}

/**
 * The core's CommonMark subset → Slack mrkdwn: `**b**` → `*b*`, `*i*`/`_i_` → `_i_`,
 * `[t](u)` → `<u|t>`, `- ` lists → `•`; code spans are left untouched (only escaped).
 */
export function toMrkdwn(markdown: string): string {
  // Split off code spans first so that nothing inside them is converted.
  return memo(converted, markdown, () =>
    markdown
      .split(/(`[^`\n]+`)/)
      .map((part, i) => (i % 2 === 1 ? escapeText(part) : convertProse(part)))
      .join(''),
  );
}

/** Conversions already made: most texts are the pack's stems and explanations, again and again. */
const converted = new Map<string, string>();
const plained = new Map<string, string>();

function convertProse(text: string): string {
  const links: string[] = [];
  let s = text.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (_, t: string, u: string) => {
    links.push(`<${u.replace(/[<>|]/g, encodeURIComponent)}|${escapeText(t).replace(/\|/g, '¦')}>`);
    return `\uE000${links.length - 1}\uE000`;
  });
  s = escapeText(s);
  // Bold first into a placeholder, so that the single-star italics rule cannot touch it.
  s = s.replace(/\*\*([^*\n]+)\*\*/g, '\uE001$1\uE001');
  s = s.replace(/(^|[^\w*])\*([^*\n]+)\*(?=[^\w*]|$)/g, '$1_$2_');
  s = s.replace(/\uE001/g, '*');
  s = s.replace(/^(\s*)[-*] /gm, '$1• ');
  return s.replace(/\uE000(\d+)\uE000/g, (_, n: string) => links[Number(n)] ?? '');
}

/** Shortens `text` to `max` characters, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * Splits text into pieces of at most `max` characters, preferring paragraph, then line,
 * then word boundaries, so long stems and scenarios fit into several sections.
 */
export function chunk(text: string, max: number = LIMITS.sectionText): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 2) cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = max;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/** Plain text for `plain_text` fields and notification fallbacks: markup dropped, clipped. */
export function plain(markdown: string, max: number): string {
  return memo(plained, `${max}|${markdown}`, () => plainText(markdown, max));
}

function plainText(markdown: string, max: number): string {
  const s = markdown
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, '$1')
    .replace(/\*\*([^*\n]+)\*\*/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return clip(s, max);
}

/** A percentage bar in text: `████░░░░ 52%`. */
export function bar(correct: number, total: number, width = 10): string {
  if (total === 0) return `${'░'.repeat(width)} no answers yet`;
  const share = correct / total;
  const full = Math.round(share * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${Math.round(share * 100)}% (${correct}/${total})`;
}
