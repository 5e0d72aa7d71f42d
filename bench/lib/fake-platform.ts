/**
 * A fake platform API for `npm run bench:fanout`, run as a process of its own (the real
 * platforms are remote: their work is not the engine's). `POST /post` takes one message
 * `{ tenant, conversation, sendKey }` and enforces token buckets per tenant and per
 * conversation (429 with Retry-After when empty), with a share of 429s injected at
 * random. `GET /stats` returns what was accepted (counts per send key and times) and the
 * most injected 429s one message got, `GET /count` the number of distinct send keys only.
 * Env: PORT (0), LIMITS (JSON PlatformLimits), INJECT_429 (0.01). Prints its port.
 */
import { createServer } from 'node:http';
import type { PlatformLimits } from '../../src/schedule/rate-limits';

type Limit = { capacity: number; perSecond: number };

class Bucket {
  private tokens: number;
  private at = Date.now();
  constructor(private readonly limit: Limit) {
    this.tokens = limit.capacity;
  }
  /** Takes a token, or returns ms until one exists. */
  take(): number {
    const now = Date.now();
    this.tokens = Math.min(
      this.limit.capacity,
      this.tokens + ((now - this.at) / 1000) * this.limit.perSecond,
    );
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.limit.perSecond) * 1000);
  }
}

const limits = JSON.parse(process.env.LIMITS ?? '{}') as PlatformLimits;
const inject = Number(process.env.INJECT_429 ?? 0.01);
const buckets = new Map<string, Bucket>();
const bucket = (k: string, l: Limit) => {
  let b = buckets.get(k);
  if (!b) {
    b = new Bucket(l);
    buckets.set(k, b);
  }
  return b;
};
const accepted: Record<string, number> = {};
const injectedPerKey = new Map<string, number>();
const stats = { accepted: 0, limited: 0, injected: 0, mostInjected: 0, first: 0, last: 0 };

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    // `/count` is polled while sends go on: a few bytes, not every key.
    if (req.url === '/count') res.end(JSON.stringify({ distinct: Object.keys(accepted).length }));
    else res.end(JSON.stringify({ ...stats, keys: accepted }));
    return;
  }
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    const m = JSON.parse(body) as { tenant: string; conversation: string; sendKey: string };
    const reply429 = (ms: number) => {
      const seconds = Math.max(1, Math.ceil(ms / 1000));
      res.writeHead(429, { 'retry-after': String(seconds) });
      res.end('{"ok":false,"error":"ratelimited"}');
      return seconds;
    };
    if (Math.random() < inject) {
      stats.injected++;
      const n = (injectedPerKey.get(m.sendKey) ?? 0) + 1;
      injectedPerKey.set(m.sendKey, n);
      stats.mostInjected = Math.max(stats.mostInjected, n);
      reply429(1000);
      return;
    }
    const wait = Math.max(
      bucket(`t:${m.tenant}`, limits.tenant).take(),
      bucket(`c:${m.conversation}`, limits.conversation).take(),
    );
    if (wait > 0) {
      stats.limited++;
      reply429(wait);
      return;
    }
    stats.accepted++;
    stats.first ||= Date.now();
    stats.last = Date.now();
    accepted[m.sendKey] = (accepted[m.sendKey] ?? 0) + 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, id: `${stats.accepted}` }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const a = server.address();
  console.log(JSON.stringify({ port: typeof a === 'object' && a ? a.port : 0 }));
});
process.once('SIGTERM', () => process.exit(0));
