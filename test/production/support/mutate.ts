import type { Prng } from './prng';

/**
 * Hostile values a field may be given: unicode that breaks naive code (RTL override,
 * emoji, NUL, lone surrogates, zero-width and combining marks), key and markup syntax,
 * numbers in strings. None is a URL, so no mutation can make the service call out.
 */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c',
  '\u200f\u05e9\u05dc\u05d5\u05dd\u200e',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '👩🏽‍💻🔥🚀',
  'Z\u0351\u0352\u0353\u0354\u0355',
  '\u200b\u200c\u200d\ufeff',
  '\r\n\t',
  'quiz 5',
  'quiz 99999999999999999999',
  'leaderboard week 👩🏽‍💻',
  'group create \u202ealpha',
  'timezone Mars/Olympus_Mons',
  'remind 25:61',
  'plan 2026-02-30',
  '<@U123|x>',
  '<!channel>',
  '*_~`>',
  '{tenant}',
  '}{',
  "'; return redis.call('FLUSHALL') --",
  'sc:{slack:T1}:user:U1:stats',
  '%00%ff',
  '../../etc/passwd',
  '-1',
  'NaN',
  '1e309',
  'true',
  'null',
  '[]',
  '{}',
  '["s"]',
  '["p","x","fx-single-1","a","b","c","d","e"]',
  '["e","","",""]',
];

/** A value of another type than the field had. */
export function wrongType(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => rng.int(-1e9, 1e9),
    () => rng.next() * 1e308,
    () => -0,
    () => rng.chance(0.5),
    () => [],
    () => [rng.pick(NASTY_STRINGS), rng.int(0, 9), null],
    () => ({}),
    () => ({ id: rng.pick(NASTY_STRINGS) }),
    () => rng.pick(NASTY_STRINGS),
  ])();
}

/** A string: short random, nasty, or long (up to `maxLength`). */
export function fuzzString(rng: Prng, maxLength = 2000): string {
  const r = rng.next();
  if (r < 0.45) return rng.pick(NASTY_STRINGS);
  if (r < 0.8) return rng.chars(rng.int(1, 40));
  if (r < 0.95) return rng.pick(NASTY_STRINGS).repeat(rng.int(2, 200)).slice(0, maxLength);
  // Long strings repeat a random block: drawing every character would cost more than the request.
  const block = rng.chars(256, 'ab\u00e9\u4e2d😀 ');
  const length = rng.int(1000, Math.max(1000, maxLength));
  return block.repeat(Math.ceil(length / block.length)).slice(0, length);
}

/** Every path (list of keys) to a value inside a JSON tree, the root excluded. */
function paths(node: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  if (Array.isArray(node))
    node.forEach((v, i) => {
      out.push([...prefix, i]);
      paths(v, [...prefix, i], out);
    });
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      out.push([...prefix, k]);
      paths(v, [...prefix, k], out);
    }
  return out;
}

/** Keys whose values are URLs the service calls: mutated only to values that cannot reach anywhere. */
const URL_KEY = /url/i;
const DEAD_URLS = ['', 'not a url', 'http://127.0.0.1:1/', 'ftp://127.0.0.1/', 'http://[::1]:1/x'];

/**
 * Mutates a JSON tree in place a few times: drops fields, swaps types, puts nasty or
 * long strings in, adds unknown fields. URL fields only ever get dead local URLs.
 */
export function mutate(
  root: Record<string, unknown>,
  rng: Prng,
  times = rng.int(1, 4),
  maxString = 2000,
): void {
  for (let n = 0; n < times; n++) {
    const all = paths(root);
    if (all.length === 0) return;
    const path = rng.pick(all);
    const key = path[path.length - 1] as string | number;
    let parent: unknown = root;
    for (const k of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[k];
    const p = parent as Record<string | number, unknown>;
    if (URL_KEY.test(String(key))) {
      p[key] = rng.pick(DEAD_URLS);
      continue;
    }
    const op = rng.int(0, 9);
    if (op <= 1) {
      if (Array.isArray(p)) p.splice(Number(key), 1);
      else delete p[key];
    } else if (op <= 4) p[key] = wrongType(rng);
    else if (op <= 7) p[key] = fuzzString(rng, maxString);
    else if (op === 8) p[`x_${rng.chars(5)}`] = wrongType(rng);
    else if (Array.isArray(p[key])) {
      const arr = p[key] as unknown[];
      const first = arr[0];
      p[key] = Array.from({ length: rng.int(2, 300) }, () => JSON.parse(JSON.stringify(first ?? null)));
    } else p[key] = [p[key], p[key]];
  }
}
