/**
 * `make()`'s result for `key`, kept in `cache`, which is emptied when it holds `max`
 * entries. For pure conversions of texts that come again and again (a pack's stems,
 * options and explanations rendered for each platform).
 */
export function memo<T>(cache: Map<string, T>, key: string, make: () => T, max = 5000): T {
  let out = cache.get(key);
  if (out === undefined) {
    out = make();
    if (cache.size >= max) cache.clear();
    cache.set(key, out);
  }
  return out;
}
