/**
 * `npm run bench:fanout`: 2,000 Slack channels over 20 workspaces and 2,000 Teams
 * conversations over 20 tenants, all due at the same second, delivered through the real
 * engine: a BullMQ job scheduler per channel (as `daily on` registers it) fires
 * BENCH_LEAD_MS (20 s) early to prepare each post, then one batch job per workspace sends
 * at the due second through SendOnceMessenger's Redis token buckets, to local fake platform
 * APIs (bench/lib/fake-platform.ts, a process each, as the real platforms are remote) that
 * enforce the limits that bind and inject 429s. The engine runs in bench/lib/fanout-replica.ts
 * (in this process, or BENCH_REPLICAS child processes). Prints the time to deliver all
 * against the bound computed from the rate limits, and against that bound plus the
 * Retry-Afters of injected 429s: the last message may be refused too, and cannot arrive
 * before its Retry-After (one, or as many as the most injected refusals one message got:
 * a retry is refused again 1 time in 100). Env: BENCH_CHANNELS, BENCH_TENANTS, BENCH_429_RATE
 * (0.01), BENCH_PLATFORMS (slack,teams), BENCH_LEAD_MS, BENCH_REPLICAS (1).
 */
import { type DailySchedule, type Platform, systemClock } from '../src/core';
import { BullMqScheduler } from '../src/schedule/bullmq-scheduler';
import type { PlatformLimits } from '../src/schedule/rate-limits';
import { RedisStore } from '../src/store/redis/redis-store';
import { call, engineOptions, LIMITS, type ReplicaConfig, startReplica } from './lib/fanout-replica';
import { startNode } from './lib/processes';
import { benchRedis } from './lib/redis-server';

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 2000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 20);
const INJECT_429 = Number(process.env.BENCH_429_RATE ?? 0.01);
/** The Retry-After of an injected 429, in seconds (bench/lib/fake-platform.ts). */
const RETRY_AFTER_S = 1;
/** How long before the due time the daily posts' schedulers fire to prepare them. */
const LEAD_MS = Number(process.env.BENCH_LEAD_MS ?? 20_000);
/** Engine replicas: 1 runs in this process; more run as child processes, as a service scales out. */
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 1);

interface ApiStats {
  readonly accepted: number;
  readonly limited: number;
  readonly injected: number;
  /** The most injected 429s one message got. */
  readonly mostInjected: number;
  readonly last: number;
  readonly keys: Record<string, number>;
}

/** A fake platform API in a process of its own (bench/lib/fake-platform.ts). */
async function fakeApi(
  limits: PlatformLimits,
): Promise<{ url: string; stats(): Promise<ApiStats>; count(): Promise<number> }> {
  const child = startNode(
    'bench/lib/fake-platform.ts',
    {
      LIMITS: JSON.stringify(limits),
      INJECT_429: String(INJECT_429),
    },
    [],
    'pipe',
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`fake platform exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => JSON.parse((await call(`${url}/stats`)).body) as ApiStats,
    count: async () => (JSON.parse((await call(`${url}/count`)).body) as { distinct: number }).distinct,
  };
}

/** A replica in a child process (bench/lib/fanout-replica.ts); `close` ends it. */
async function replicaProcess(config: ReplicaConfig): Promise<{ close(): Promise<void> }> {
  const child = startNode('bench/lib/fanout-replica.ts', { FANOUT: JSON.stringify(config) }, [], 'pipe');
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
  });
  return {
    close: async () => {
      child.kill('SIGTERM');
    },
  };
}

/** The lower bound on the time to deliver `n` messages per tenant through its bucket. */
const bound = (perTenant: number, l: PlatformLimits) =>
  Math.max(0, (perTenant - l.tenant.capacity) / l.tenant.perSecond, (1 - l.conversation.capacity) / 1);

async function main(): Promise<void> {
  const redis = await benchRedis();
  const url = redis.url;
  const run = Math.random().toString(36).slice(2, 8);
  const apis = { slack: await fakeApi(LIMITS.slack), teams: await fakeApi(LIMITS.teams) };
  const config: ReplicaConfig = {
    redisUrl: url,
    run,
    leadMs: LEAD_MS,
    apis: { slack: apis.slack.url, teams: apis.teams.url },
  };
  // This process registers the schedules and watches; the replicas run the jobs.
  const store = await RedisStore.connect(url, { clock: systemClock, prefix: `bench${run}` });
  const scheduler = new BullMqScheduler(engineOptions(config, store));
  const replicas =
    REPLICAS <= 1
      ? [await startReplica(config)]
      : await Promise.all(Array.from({ length: REPLICAS }, () => replicaProcess(config)));
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
  const expected = CHANNELS;
  const started: Record<string, number> = {};
  const results: Partial<Record<'slack' | 'teams', ApiStats>> = {};
  // One platform at a time: each gets the engine's whole throughput. Every channel gets a
  // job scheduler (as `daily on` registers it) for the same second, far enough ahead for
  // the registrations and the lead.
  const prepared: Record<string, number> = {};
  for (const platform of platforms) {
    const due = new Date(Math.ceil((Date.now() + LEAD_MS + 15_000) / 1000) * 1000);
    started[platform] = due.getTime();
    const cron = `${due.getUTCSeconds()} ${due.getUTCMinutes()} ${due.getUTCHours()} * * *`;
    for (let i = 0; i < CHANNELS; i += 100)
      await Promise.all(
        Array.from({ length: Math.min(100, CHANNELS - i) }, (_, j) => {
          const tenant = `${platform}:W${(i + j) % TENANTS}`;
          const job = { name: 'daily-post' as const, tenant, channelId: `C${i + j}` };
          return scheduler.every({ cron, tz: 'UTC' }, job, `daily:${tenant}:C${i + j}`);
        }),
      );
    // The posts prepared ahead: every channel joined its workspace's batch.
    const lists = Array.from({ length: TENANTS }, (_, w) => `${platform}:W${w}`);
    for (;;) {
      const joined = await Promise.all(lists.map((t) => store.listGet(t, `daily-batch:${due.getTime()}`)));
      if (joined.reduce((n, l) => n + l.length, 0) >= CHANNELS || Date.now() > due.getTime()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    prepared[platform] = (Date.now() - (due.getTime() - LEAD_MS)) / 1000;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && (await apis[platform].count()) < expected)
      await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 1000)); // late duplicates would show here
    results[platform] = await apis[platform].stats();
  }

  const perTenant = CHANNELS / TENANTS;
  const lines = [
    '| platform | prepared ahead | delivered / expected | duplicates | time to deliver all | bound from rates | bound with injected 429s | ratio | 429 injected | 429 from limits |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const outcome = platforms.map((p) => {
    const api = results[p] as ApiStats;
    const start = started[p] ?? 0;
    const delivered = Object.keys(api.keys).length;
    const dups = Object.values(api.keys).filter((n) => n > 1).length;
    const took = (api.last - start) / 1000;
    const rates = bound(perTenant, LIMITS[p]);
    // With 429s injected, the last message may be refused too (as often as one message was):
    // it cannot arrive before its Retry-Afters.
    const withInjected = rates + api.mostInjected * RETRY_AFTER_S;
    lines.push(
      `| ${p} | in ${(prepared[p] ?? 0).toFixed(1)} s of the ${LEAD_MS / 1000} s lead | ${delivered} / ${expected} | ${dups} | ${took.toFixed(2)} s | ${rates.toFixed(2)} s | ${withInjected.toFixed(2)} s | ${(took / withInjected).toFixed(3)} | ${api.injected}${api.mostInjected > 1 ? ` (${api.mostInjected} on one message)` : ''} | ${api.limited} |`,
    );
    return delivered === expected && dups === 0;
  });
  console.log(
    `fan-out: ${CHANNELS} channels over ${TENANTS} workspaces per platform, due at the same instant; ` +
      `Slack ${LIMITS.slack.tenant.perSecond * 60}/min per workspace (burst ${LIMITS.slack.tenant.capacity}), 1/s per channel; ` +
      `Teams ${LIMITS.teams.tenant.perSecond}/s per tenant, ${LIMITS.teams.conversation.perSecond}/s per conversation; ${INJECT_429 * 100}% 429s injected (Retry-After 1 s).`,
  );
  console.log(lines.join('\n'));
  await Promise.all(replicas.map((r) => r.close()));
  await scheduler.queue.obliterate({ force: true });
  await scheduler.close();
  await store.close();
  await redis.stop();
  process.exit(outcome.every(Boolean) ? 0 : 1);
}

void main();
