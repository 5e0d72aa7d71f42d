/**
 * `npm run bench:store`: what one answer click costs Redis, and the leaderboard read.
 *
 * 1. Round trips per answer click: the whole service takes a small batch of answer clicks
 *    on a channel question, one at a time, first Slack (signed, against the fake Web API),
 *    then Teams (invokes, against the fake connector), while a MONITOR connection records
 *    every command Redis executes. Commands are grouped by connection (the store's,
 *    BullMQ's) and by name, scripts by name; commands run inside Lua scripts are listed
 *    apart (they are not round trips). The sequential round trips are the store
 *    connection's socket writes, counted inside the service (bench/lib/redis-writes.cjs):
 *    ioredis writes each flush of its auto-pipeline at once. Checks that each click runs
 *    exactly one EVALSHA of the RECORD_ANSWER script. Use an otherwise idle Redis: the
 *    script starts its own unless REDIS_URL is set.
 * 2. `RECORD_ANSWER` in Redis: BENCH_RECORDS answers through `RedisStore.recordAnswer`
 *    with nothing else running; the script's time, the commands it runs and Redis's CPU
 *    per answer, from Redis's own counters (see `recordCost`).
 * 3. Leaderboard: top 10 plus own rank on a board of 100,000 users, through
 *    `RedisStore.leaderboard` (one Lua script that also skips hidden users and adds
 *    names) against a bare ioredis pipeline of ZREVRANGE 0 9 WITHSCORES + ZREVRANK on
 *    the same data; sequential calls, the two sides alternating call by call; p50 and p99
 *    of each.
 *
 * Env: BENCH_LB_USERS (100000), BENCH_LB_CALLS (20000 per side), BENCH_RT_CLICKS (20),
 * BENCH_RECORDS (4000).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { AnswerRecord } from '../src/core';
import { RedisStore } from '../src/store/redis/redis-store';
import * as scripts from '../src/store/redis/scripts';
import { autocannon } from './lib/autocannon';
import { type Classify, type Click, ClickGateway } from './lib/click-gateway';
import { machine } from './lib/machine';
import { benchRedis } from './lib/redis-server';
import { startServiceProcess } from './lib/service-process';
import { SlackClicks, type SlackPost } from './lib/slack-clicks';
import { fixed, percentile } from './lib/stats';
import { TeamsClicks, type TeamsPost } from './lib/teams-clicks';

const LB_USERS = Number(process.env.BENCH_LB_USERS ?? 100_000);
const LB_CALLS = Number(process.env.BENCH_LB_CALLS ?? 20_000);
const RT_CLICKS = Number(process.env.BENCH_RT_CLICKS ?? 20);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 4000);

interface Seen {
  readonly args: string[];
  readonly source: string;
}

/** Script names by SHA1, for the store's scripts. */
const SCRIPT_NAMES = new Map(
  Object.entries(scripts).map(([name, lua]) => [createHash('sha1').update(lua).digest('hex'), name]),
);
const RECORD_SHA = createHash('sha1').update(scripts.RECORD_ANSWER).digest('hex');

function commandName(args: readonly string[]): string {
  const name = (args[0] ?? '').toLowerCase();
  if (name !== 'evalsha' && name !== 'eval') return name;
  const sha =
    name === 'eval'
      ? createHash('sha1')
          .update(args[1] ?? '')
          .digest('hex')
      : (args[1] ?? '');
  return `${name} ${SCRIPT_NAMES.get(sha) ?? `${sha.slice(0, 8)}… (BullMQ)`}`;
}

/** A platform's clicks for the round-trip count: posts made through the service, clicks on one. */
interface RoundTripRig {
  readonly name: string;
  post(serviceUrl: string, channel: string): Promise<unknown>;
  clicks(post: unknown, users: readonly string[]): Click[];
  readonly classify: Classify;
}

async function roundTrips(redisUrl: string): Promise<void> {
  const gateway = new ClickGateway();
  const gatewayUrl = await gateway.start();
  const slack = await SlackClicks.start(gateway);
  const teams = await TeamsClicks.start();
  const writesFile = join(tmpdir(), `bench-redis-writes-${process.pid}.json`);
  const service = await startServiceProcess({
    redisUrl,
    slackApiUrl: slack.fake.apiUrl,
    nodeArgs: ['--require', join(__dirname, 'lib', 'redis-writes.cjs')],
    env: { BENCH_REDIS_WRITES_FILE: writesFile },
  });
  /** The service's socket writes to Redis so far, by the connection's local port. */
  const redisWrites = async (): Promise<Record<string, number>> => {
    rmSync(writesFile, { force: true });
    service.child.kill('SIGUSR2');
    for (let i = 0; i < 200 && !existsSync(writesFile); i++) await new Promise((r) => setTimeout(r, 10));
    return JSON.parse(readFileSync(writesFile, 'utf8')) as Record<string, number>;
  };
  const rigs: RoundTripRig[] = [
    {
      name: 'Slack',
      post: (url, channel) => slack.post(url, channel),
      clicks: (post, users) => slack.clicks([post as SlackPost], users),
      classify: SlackClicks.classify,
    },
    {
      name: 'Teams',
      post: (url, channel) => teams.post(url, channel),
      clicks: (post, users) => teams.clicks([post as TeamsPost], users),
      classify: TeamsClicks.classify,
    },
  ];
  const monitorClient = new Redis(redisUrl);
  try {
    for (const rig of rigs) {
      console.log(`\n## Redis commands per answer click (${rig.name}, channel question, whole service)`);
      const users = Array.from({ length: RT_CLICKS * 2 }, (_, i) => `URT${i}`);
      const warmPost = await rig.post(service.url, `CRT0-${rig.name}`);
      const post = await rig.post(service.url, `CRT1-${rig.name}`);
      // Warm-up on another post: profiles cached, scripts loaded on every connection.
      gateway.load(service.url, rig.clicks(warmPost, users), rig.classify);
      await autocannon(gatewayUrl, { connections: 1, seconds: 0, amount: users.length });

      const monitor = await monitorClient.monitor();
      const seen: Seen[] = [];
      monitor.on('monitor', (_time: string, args: string[], source: string) => seen.push({ args, source }));
      // Background traffic (BullMQ's worker polling) over a quiet second, for reference.
      await new Promise((r) => setTimeout(r, 1000));
      const idle = seen.length;
      seen.length = 0;
      const before = await redisWrites();
      const started = Date.now();
      gateway.load(service.url, rig.clicks(post, users.slice(0, RT_CLICKS)), rig.classify);
      await autocannon(gatewayUrl, { connections: 1, seconds: 0, amount: RT_CLICKS });
      const seconds = (Date.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 200));
      const after = await redisWrites();
      monitor.disconnect();
      if ((gateway.counts.feedback ?? 0) !== RT_CLICKS)
        throw new Error(`not every click got feedback: ${JSON.stringify(gateway.counts)}`);
      report(seen, { idle, seconds, before, after });
    }
  } finally {
    monitorClient.disconnect();
    await service.stop();
    await gateway.stop();
    await slack.close();
    await teams.close();
  }
}

/** Commands and round trips per click, from what MONITOR saw and the service's socket writes. */
function report(
  seen: Seen[],
  o: { idle: number; seconds: number; before: Record<string, number>; after: Record<string, number> },
): void {
  const outside = seen.filter((s) => s.source !== 'lua');
  const isRecord = (s: Seen) => s.args[0]?.toLowerCase() === 'evalsha' && s.args[1] === RECORD_SHA;
  // The store's connection is the one that records the answers.
  const storeSource = outside.find(isRecord)?.source;
  const groups = new Map<string, number>();
  for (const s of outside) {
    const who = s.source === storeSource ? 'store' : 'other (BullMQ)';
    const key = `${who.padEnd(15)} ${commandName(s.args)}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const perClick = (n: number) => fixed(n / RT_CLICKS, 2);
  console.log(`${RT_CLICKS} clicks, one at a time; commands per click, by connection:`);
  for (const [key, n] of [...groups].sort((a, b) => a[0].localeCompare(b[0])))
    console.log(`  ${key.padEnd(60)} ${perClick(n)}`);
  const store = outside.filter((s) => s.source === storeSource).length;
  const storePort = storeSource?.split(':').pop() ?? '';
  const flushes = (o.after[storePort] ?? 0) - (o.before[storePort] ?? 0);
  const records = outside.filter(isRecord);
  console.log(
    `commands per click: ${perClick(outside.length)} in all, ${perClick(store)} on the store's connection, ` +
      `${perClick(outside.length - store)} on BullMQ's (background while idle: ${o.idle} commands/s, ` +
      `≈ ${fixed((o.idle * o.seconds) / RT_CLICKS, 2)} per click in this window)`,
  );
  console.log(
    `sequential round trips per click on the store's connection: ${perClick(flushes)} ` +
      '(its socket writes, counted in the service: one per flush of the auto-pipeline)',
  );
  console.log(
    `EVALSHA RECORD_ANSWER per click: ${perClick(records.length)} (${
      records.length === RT_CLICKS ? 'exactly one each' : 'NOT one each'
    }); commands run inside scripts: ${perClick(seen.length - outside.length)} per click`,
  );
  if (records.length !== RT_CLICKS) process.exitCode = 1;
}

/**
 * What one `RECORD_ANSWER` costs Redis, apart from the service: RECORDS answers through
 * `RedisStore.recordAnswer`, 8 at a time, by 500 members on channel posts, each member in
 * three groups besides the post's channel (so four board scopes), about a third of them
 * correct. Reported from Redis's own counters: the time in the script (`EVALSHA` in
 * `INFO commandstats`, the commands it runs included), the commands it runs, and the
 * server's CPU per answer (parsing and the network included). Nothing else runs meanwhile,
 * so these hold still from run to run, unlike times taken while the service shares the
 * machine.
 */
async function recordCost(redisUrl: string): Promise<void> {
  console.log(`\n## RECORD_ANSWER in Redis, ${RECORDS} answers`);
  const tenant = `bench:rec-${Date.now().toString(36)}`;
  const store = await RedisStore.connect(redisUrl);
  const admin = new Redis(redisUrl);
  const members = 500;
  const record = (u: number, p: number): AnswerRecord => ({
    tenant,
    userId: `U${u}`,
    name: `Member ${u}`,
    attempt: `post:p${p}:q${p}`,
    questionId: `q${p}`,
    domain: 'd1',
    skill: 'd1.s1',
    correct: (u + p) % 3 === 0,
    award: 10,
    day: 20_000 + Math.floor(p / 5),
    streakMode: 'daily',
    week: '2026-W48',
    weekExpiresAt: Date.now() + 40 * 86_400_000,
    groups: ['g1', 'g2', 'g3'],
    post: {
      id: `p${p}`,
      group: { id: `ch${p % 4}`, name: `#c${p % 4}`, kind: 'channel', members: 0 },
      choice: ['a'],
      late: false,
      address: `29:U${u}`,
    },
    card: { packed: 'x'.repeat(40), due: Date.now() + 86_400_000 },
    at: Date.now(),
  });
  const counters = async () => {
    const info = (await admin.info('cpu')) + (await admin.info('commandstats'));
    const calls = new Map<string, { calls: number; usec: number }>();
    for (const m of info.matchAll(/^cmdstat_(\w+):calls=(\d+),usec=(\d+)/gm))
      calls.set(m[1] ?? '', { calls: Number(m[2]), usec: Number(m[3]) });
    const cpu = (f: string) => Number(new RegExp(`^${f}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    return { cpu: cpu('used_cpu_user') + cpu('used_cpu_sys'), calls };
  };
  // Every member answers once first: their keys exist, as for a member who has played before.
  for (let u = 0; u < members; u++) await store.recordAnswer(record(u, 0));
  const before = await counters();
  for (let i = 0; i < RECORDS; i += 8)
    await Promise.all(
      Array.from({ length: 8 }, (_, k) =>
        store.recordAnswer(record((i + k) % members, 1 + Math.floor((i + k) / members))),
      ),
    );
  const after = await counters();
  const delta = (name: string, f: 'calls' | 'usec') =>
    (after.calls.get(name)?.[f] ?? 0) - (before.calls.get(name)?.[f] ?? 0);
  let inner = 0;
  for (const name of after.calls.keys())
    if (!['evalsha', 'info', 'config'].includes(name)) inner += delta(name, 'calls');
  console.log(
    `per answer: ${fixed(delta('evalsha', 'usec') / delta('evalsha', 'calls'), 1)} µs in the script, ` +
      `${fixed(inner / RECORDS, 1)} commands run by it, ` +
      `${fixed(((after.cpu - before.cpu) * 1e6) / RECORDS, 0)} µs of Redis CPU`,
  );
  for (let cursor = '0'; ; ) {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `sc:{${tenant}}:*`, 'COUNT', 1000);
    if (keys.length) await admin.del(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  admin.disconnect();
  await store.close();
}

async function leaderboard(redisUrl: string): Promise<void> {
  console.log(`\n## Leaderboard: top 10 + own rank, ${LB_USERS.toLocaleString('en')} users`);
  const tenant = `bench:lb-${Date.now().toString(36)}`;
  const board = `sc:{${tenant}}:board:ws:all`;
  const names = `sc:{${tenant}}:names`;
  const hidden = `sc:{${tenant}}:hidden`;
  const fill = new Redis(redisUrl);
  for (let i = 0; i < LB_USERS; i += 1000) {
    const p = fill.pipeline();
    const zadd: Array<string | number> = [];
    const hset: string[] = [];
    for (let u = i; u < Math.min(LB_USERS, i + 1000); u++) {
      zadd.push(Math.floor(Math.random() * 5000), `U${u}`);
      hset.push(`U${u}`, `Member ${u}`);
    }
    p.zadd(board, ...zadd).hset(names, ...hset);
    await p.exec();
  }
  const store = await RedisStore.connect(redisUrl);
  const bare = new Redis(redisUrl);
  const someone = () => `U${Math.floor(Math.random() * LB_USERS)}`;
  const time = async (fn: () => Promise<unknown>) => {
    const t = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const viaStore = () => store.leaderboard(tenant, { period: 'all' }, someone(), 10);
  const viaPipeline = () =>
    bare.pipeline().zrevrange(board, 0, 9, 'WITHSCORES').zrevrank(board, someone()).exec();

  const run = async (label: string) => {
    const s: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 200; i++) await Promise.all([viaStore(), viaPipeline()]); // warm-up
    // Call by call, alternating which side goes first: a slow moment of the machine (the
    // p99 of a 0.1 ms call is mostly that) falls on both sides alike.
    for (let i = 0; i < LB_CALLS; i++) {
      const sides = i % 2 ? [b, s] : [s, b];
      for (const side of sides) side.push(await time(side === s ? viaStore : viaPipeline));
    }
    const [sp50, sp99, bp50, bp99] = [
      percentile(s, 50),
      percentile(s, 99),
      percentile(b, 50),
      percentile(b, 99),
    ];
    console.log(`${label}:`);
    console.log(`  RedisStore.leaderboard     p50 ${fixed(sp50, 3)} ms  p99 ${fixed(sp99, 3)} ms`);
    console.log(`  bare pipeline (2 commands) p50 ${fixed(bp50, 3)} ms  p99 ${fixed(bp99, 3)} ms`);
    console.log(`  p99 ratio ${fixed(sp99 / bp99)}× (target ≤ 1.50), p50 ratio ${fixed(sp50 / bp50)}×`);
  };
  await run('no hidden users');
  await fill.sadd(hidden, ...Array.from({ length: 10 }, (_, i) => `U${i * 997}`));
  await run('10 hidden users');
  await fill.del(board, names, hidden);
  fill.disconnect();
  bare.disconnect();
  await store.close();
}

async function main(): Promise<void> {
  console.log('# Store: Redis per answer click, leaderboard reads');
  console.log(`machine: ${machine()}`);
  const redis = await benchRedis();
  try {
    if (!redis.own) console.log(`using REDIS_URL: round-trip counts assume nothing else uses that server`);
    await roundTrips(redis.url);
    await recordCost(redis.url);
    await leaderboard(redis.url);
  } finally {
    await redis.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
