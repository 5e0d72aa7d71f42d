/**
 * Reading `GET /metrics` in tests: the value of one series of the Prometheus text format,
 * found by name and a subset of its labels (0 when the series does not exist yet).
 */
export async function scrape(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

/** Sum of the series of `name` whose labels include all of `labels`. */
export function seriesValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? ([^ ]+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

/** Polls `/metrics` until `ready(text)` holds (work that ends after the HTTP answer); fails after 5 s. */
export async function scrapeUntil(baseUrl: string, ready: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = await scrape(baseUrl);
    if (ready(text)) return text;
    if (Date.now() > deadline) throw new Error(`metrics never reached the expected state:\n${text}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
