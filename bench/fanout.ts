/**
 * `npm run bench:fanout`: 2,000 Slack channels over 20 workspaces and 2,000 Teams
 * conversations over 20 tenants, all due at the same instant, delivered through the real
 * engine (BullMQ on Redis, the core's daily-post job, SendOnceMessenger's Redis token
 * buckets) to local fake platform APIs that enforce the limits that bind and inject
 * 429s. The messenger is minimal (one HTTP call per post), not the full adapters.
 * Prints time to deliver all against the bound computed from the limits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNet } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import {
  type Actor,
  type DailySchedule,
  DeliveryError,
  type MessageRef,
  type Messenger,
  type Platform,
  type Reply,
  StudyCore,
  systemClock,
  type Where,
} from '../src/core';
import { silentLogger } from '../src/core/ports/logger.port';
import { loadPack } from '../src/packs/load-pack';
import { BullMqScheduler, BullMqWorker } from '../src/schedule/bullmq-scheduler';
import type { PlatformLimits } from '../src/schedule/rate-limits';
import { SendOnceMessenger } from '../src/schedule/send-once';
import { RedisStore } from '../src/store/redis/redis-store';

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 2000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 20);
const INJECT_429 = Number(process.env.BENCH_429_RATE ?? 0.01);

/** The fake platforms' limits: Slack 1/s per channel, 300/min per workspace (burst 10); Teams 7/s per conversation, 50/s per tenant. */
const LIMITS: Record<'slack' | 'teams', PlatformLimits> = {
  slack: { conversation: { capacity: 1, perSecond: 1 }, tenant: { capacity: 10, perSecond: 5 } },
  teams: { conversation: { capacity: 7, perSecond: 7 }, tenant: { capacity: 50, perSecond: 50 } },
};

class Bucket {
  private tokens: number;
  private at = Date.now();
  constructor(private readonly limit: { capacity: number; perSecond: number }) {
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

/** A fake platform API: one POST route, limits per conversation and per tenant, 429s injected. */
function fakeApi(limits: PlatformLimits) {
  const buckets = new Map<string, Bucket>();
  const bucket = (k: string, l: { capacity: number; perSecond: number }) => {
    let b = buckets.get(k);
    if (!b) {
      b = new Bucket(l);
      buckets.set(k, b);
    }
    return b;
  };
  const accepted = new Map<string, number>();
  const stats = { accepted: 0, limited: 0, injected: 0, last: 0 };
  const server = createHttp((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const m = JSON.parse(body) as { tenant: string; conversation: string; sendKey: string };
      const reply429 = (ms: number) => {
        res.writeHead(429, { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) });
        res.end('{"ok":false,"error":"ratelimited"}');
      };
      if (Math.random() < INJECT_429) {
        stats.injected++;
        return reply429(1000);
      }
      const wait = Math.max(
        bucket(`t:${m.tenant}`, limits.tenant).take(),
        bucket(`c:${m.conversation}`, limits.conversation).take(),
      );
      if (wait > 0) {
        stats.limited++;
        return reply429(wait);
      }
      stats.accepted++;
      stats.last = Date.now();
      accepted.set(m.sendKey, (accepted.get(m.sendKey) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, id: `${stats.accepted}` }));
    });
  });
  return { server, accepted, stats };
}

/** A minimal Messenger: one POST per message; 429 becomes DeliveryError('rate-limited', Retry-After). */
function httpMessenger(url: string): Messenger {
  return {
    async post(where: Where, _reply: Reply, options?: { thread?: MessageRef; sendKey?: string }) {
      const res = await fetch(url, {
        method: 'POST',
        body: JSON.stringify({
          tenant: where.tenant,
          conversation: where.id,
          sendKey: options?.sendKey ?? '',
        }),
      });
      if (res.status === 429)
        throw new DeliveryError(
          'rate-limited',
          'HTTP 429',
          Number(res.headers.get('retry-after') ?? 1) * 1000,
        );
      const json = (await res.json()) as { id: string };
      return { where, id: json.id };
    },
    async update() {},
    async postPrivate() {},
    async openDirect(a: Pick<Actor, 'platform' | 'tenant' | 'userId'>) {
      return { platform: a.platform, tenant: a.tenant, id: `dm-${a.userId}`, kind: 'dm' as const };
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNet();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function redisUrl(): Promise<{ url: string; child?: ChildProcess }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL };
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const r = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, retryStrategy: () => null });
  r.on('error', () => {}); // refused while redis-server starts
  for (let i = 0; i < 100; i++) {
    try {
      await r.connect();
      break;
    } catch {
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  r.disconnect();
  return { url: `redis://127.0.0.1:${port}`, child };
}

/** The lower bound on the time to deliver `n` messages per tenant through its bucket. */
const bound = (perTenant: number, l: PlatformLimits) =>
  Math.max(0, (perTenant - l.tenant.capacity) / l.tenant.perSecond, (1 - l.conversation.capacity) / 1);

async function main(): Promise<void> {
  const { url, child } = await redisUrl();
  const run = Math.random().toString(36).slice(2, 8);
  const store = new RedisStore(new Redis(url), { clock: systemClock, prefix: `bench${run}` });
  const apis = { slack: fakeApi(LIMITS.slack), teams: fakeApi(LIMITS.teams) };
  const ports: Record<string, number> = {};
  for (const [name, api] of Object.entries(apis)) {
    await new Promise<void>((r) => api.server.listen(0, '127.0.0.1', () => r()));
    ports[name] = (api.server.address() as { port: number }).port;
  }
  const router: Messenger = {
    post: (w, r, o) => wrapped[w.platform as 'slack' | 'teams'].post(w, r, o),
    update: async () => {},
    postPrivate: async () => {},
    openDirect: async (a) => ({ platform: a.platform, tenant: a.tenant, id: `dm-${a.userId}`, kind: 'dm' }),
  };
  const wrapped = {
    slack: new SendOnceMessenger(httpMessenger(`http://127.0.0.1:${ports.slack}/chat.postMessage`), {
      store,
      logger: silentLogger,
      limits: LIMITS.slack,
    }),
    teams: new SendOnceMessenger(httpMessenger(`http://127.0.0.1:${ports.teams}/v3/conversations`), {
      store,
      logger: silentLogger,
      limits: LIMITS.teams,
    }),
  };
  const bank = loadPack(join(__dirname, '..', 'test', 'fixtures', 'pack-core'));
  const core = new StudyCore({ bank, store, clock: systemClock, logger: silentLogger, messenger: router });
  const options = {
    redisUrl: url,
    queueName: `bench${run}`,
    logger: silentLogger,
    clock: systemClock,
    store,
    graceMs: 3600_000,
    lockDurationMs: 30_000,
    stalledIntervalMs: 30_000,
    concurrency: 200,
  };
  const scheduler = new BullMqScheduler(options);
  core.attach({ scheduler });

  const platforms = (process.env.BENCH_PLATFORMS ?? 'slack,teams').split(',') as Array<'slack' | 'teams'>;
  for (const platform of platforms) {
    for (let i = 0; i < CHANNELS; i++) {
      const tenant = `${platform}:W${i % TENANTS}`;
      const s: DailySchedule = {
        tenant,
        where: { platform: platform as Platform, tenant, id: `C${i}`, kind: 'channel' },
        at: { hour: 9, minute: 0 },
        tz: 'UTC',
        days: 'daily',
        enabled: true,
        organizer: 'U1',
        updatedAt: 0,
      };
      await store.saveDailySchedule(s);
    }
  }
  const workers = [1, 2].map(() => new BullMqWorker((job) => core.runJob(job), options));
  const expected = CHANNELS;
  const started: Record<string, number> = {};
  // One platform at a time: each gets the engine's whole throughput.
  for (const platform of platforms) {
    const due = new Date(Date.now() + 1500);
    started[platform] = due.getTime();
    await scheduler.queue.addBulk(
      Array.from({ length: CHANNELS }, (_, i) => ({
        name: 'daily-post',
        data: {
          job: { name: 'daily-post' as const, tenant: `${platform}:W${i % TENANTS}`, channelId: `C${i}` },
          due: due.getTime(),
        },
        opts: {
          jobId: `d-${platform}-${i}`,
          delay: due.getTime() - Date.now(),
          attempts: 8,
          backoff: { type: 'exponential', delay: 1000 },
        },
      })),
    );
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && apis[platform].accepted.size < expected)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000)); // late duplicates would show here
  }

  const perTenant = CHANNELS / TENANTS;
  const lines = [
    '| platform | delivered / expected | duplicates | time to deliver all | bound | ratio | 429 injected | 429 from limits |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const p of platforms) {
    const api = apis[p];
    const dups = [...api.accepted.values()].filter((n) => n > 1).length;
    const took = (api.stats.last - (started[p] ?? 0)) / 1000;
    const b = bound(perTenant, LIMITS[p]);
    lines.push(
      `| ${p} | ${api.accepted.size} / ${expected} | ${dups} | ${took.toFixed(2)} s | ${b.toFixed(2)} s | ${(took / b).toFixed(3)} | ${api.stats.injected} | ${api.stats.limited} |`,
    );
  }
  console.log(
    `fan-out: ${CHANNELS} channels over ${TENANTS} workspaces per platform, due at the same instant; ` +
      `Slack ${LIMITS.slack.tenant.perSecond * 60}/min per workspace (burst ${LIMITS.slack.tenant.capacity}), 1/s per channel; ` +
      `Teams ${LIMITS.teams.tenant.perSecond}/s per tenant, ${LIMITS.teams.conversation.perSecond}/s per conversation; ${INJECT_429 * 100}% 429s injected (Retry-After 1 s).`,
  );
  console.log(lines.join('\n'));
  await Promise.all(workers.map((w) => w.close()));
  await scheduler.queue.obliterate({ force: true });
  await scheduler.close();
  await store.close();
  for (const api of Object.values(apis)) api.server.close();
  child?.kill();
  const ok = platforms.every(
    (p) => apis[p].accepted.size === expected && [...apis[p].accepted.values()].every((n) => n === 1),
  );
  process.exit(ok ? 0 : 1);
}

void main();
