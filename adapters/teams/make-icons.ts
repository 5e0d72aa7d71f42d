import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng, type Rgba } from './png';

/**
 * Draws the app icons Teams requires: a 192×192 colour icon and a 32×32 outline icon
 * (white on transparent). A ring with a check mark: "practice, then get it right".
 * Run once with `npx tsx adapters/teams/make-icons.ts`; the PNGs are committed.
 */
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];
const ACCENT: Rgba = [0x46, 0x4e, 0xb8, 255];

/** Distance from point p to the segment a–b. */
function segment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** True where the mark (ring + check) is, in a unit square [0,1]². */
function mark(u: number, v: number, stroke: number): boolean {
  const r = Math.hypot(u - 0.5, v - 0.5);
  const ring = Math.abs(r - 0.36) < stroke / 2;
  const check =
    segment(u, v, 0.32, 0.52, 0.45, 0.65) < stroke / 2 || segment(u, v, 0.45, 0.65, 0.7, 0.38) < stroke / 2;
  return ring || check;
}

export function colorIcon(): Buffer {
  const n = 192;
  return encodePng(n, n, (x, y) => (mark((x + 0.5) / n, (y + 0.5) / n, 0.08) ? WHITE : ACCENT));
}

export function outlineIcon(): Buffer {
  const n = 32;
  return encodePng(n, n, (x, y) => (mark((x + 0.5) / n, (y + 0.5) / n, 0.1) ? WHITE : CLEAR));
}

if (require.main === module) {
  const dir = join(__dirname, 'manifest');
  writeFileSync(join(dir, 'color.png'), colorIcon());
  writeFileSync(join(dir, 'outline.png'), outlineIcon());
  console.log(`wrote ${join(dir, 'color.png')} and ${join(dir, 'outline.png')}`);
}
