import { memo } from '../../../src/core';
import { type CardElement, textBlock } from './card';

/** Conversions already made: most texts are the pack's stems, options and explanations, again and again. */
const paragraphs = new Map<string, readonly string[]>();
const plained = new Map<string, string>();

/**
 * The core's CommonMark subset in an Adaptive Card TextBlock. Bold, `_italics_`, links
 * and "- " lists are native there; inline code is not, so it keeps its backticks, which
 * read fine. Paragraphs become separate blocks, because a TextBlock collapses blank lines.
 */
export function markdownBlocks(text: string, opts: CardElement = {}): CardElement[] {
  const parts = memo(paragraphs, text, () =>
    text
      .replace(/\r\n/g, '\n')
      .trim()
      .split(/\n{2,}/)
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  );
  return parts.map((p) => textBlock(p, opts));
}

/** Plain text for places that render no Markdown (choice titles, fallbacks). */
export function plain(text: string): string {
  return memo(plained, text, () =>
    text
      .replace(/\*\*([^*]+)\*\*/g, '$1')
      .replace(/(^|\W)_([^_]+)_(?=\W|$)/g, '$1$2')
      .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}
