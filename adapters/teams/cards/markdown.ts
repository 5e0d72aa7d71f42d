import { type CardElement, textBlock } from './card';

/**
 * The core's CommonMark subset in an Adaptive Card TextBlock. Bold, `_italics_`, links
 * and "- " lists are native there; inline code is not, so it keeps its backticks, which
 * read fine. Paragraphs become separate blocks, because a TextBlock collapses blank lines.
 */
export function markdownBlocks(text: string, opts: CardElement = {}): CardElement[] {
  return text
    .replace(/\r\n/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => textBlock(p.trim(), opts));
}

/** Plain text for places that render no Markdown (choice titles, fallbacks). */
export function plain(text: string): string {
  return text
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|\W)_([^_]+)_(?=\W|$)/g, '$1$2')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/\s+/g, ' ')
    .trim();
}
