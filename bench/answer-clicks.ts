/**
 * `npm run bench:clicks`: answer clicks through the whole service against a bare
 * baseline, in the same run, on the same machine.
 *
 * - Slack: signed `block_actions` clicks on channel questions to `/slack/events`; a click
 *   counts once its feedback (`respond` to the `response_url`) reaches the fake Slack
 *   API. Baseline: a Bolt app on restify whose action handler acks and sends one
 *   ephemeral message (bench/baseline/slack-bolt.ts).
 * - Teams: `adaptiveCard/action` invokes to `/api/messages`; a click counts once the
 *   invoke response (the member's result card) is back. Baseline: an anonymous
 *   CloudAdapter bot that returns a fixed card (bench/baseline/teams-bot.ts).
 *
 * The service is the built `dist/src/main.js` (as deployed; the npm script builds it
 * first) in its own process with the real RedisStore and BullMQ (REDIS_URL, or a
 * redis-server this script starts). Every click is a distinct attempt
 * (a distinct member on each post, posts created before each round) and is checked to
 * have recorded: after the run, the answers stored for the posts equal the feedback
 * counted. autocannon drives a click gateway (bench/lib/click-gateway.ts), so its
 * throughput counts clicks whose feedback arrived and its latency is click-to-feedback.
 * Each round runs the sides A B B A for half of BENCH_SECONDS each (A alternating by
 * round), so that the machine's drift within a round falls on both; ratios are taken per
 * round, and their median is reported.
 *
 * Env: BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (32), BENCH_USERS (6000),
 * BENCH_POSTS (posts per round, 14), BENCH_PLATFORMS (slack,teams); for profiling,
 * BENCH_SERVICE_NODE_ARGS (node options of the service, e.g. `--cpu-prof`),
 * BENCH_BASELINE_NODE_ARGS (the same for the baseline bots) and
 * BENCH_LOG_LEVEL (the service's, `info` by default). To weigh a change of the service
 * itself, BENCH_AB_ENV (a JSON object of environment variables) and/or BENCH_AB_ENTRY
 * (another build's entry point, e.g. a copy of an earlier `dist` at `.ab/dist/src/main.js`)
 * put a second service process, so started, in the baseline's place: the same rounds,
 * A B B A, the same posts, answered by members of its own.
 */
import Redis from 'ioredis';
import { autocannon, type LoadResult } from './lib/autocannon';
import { type Classify, type Click, ClickGateway } from './lib/click-gateway';
import { cpuSeconds, ownCpuSeconds } from './lib/cpu';
import { machine } from './lib/machine';
import { type BenchRedis, benchRedis } from './lib/redis-server';
import { type BotProcess, startBaselineProcess, startServiceProcess } from './lib/service-process';
import { SlackClicks, type SlackPost } from './lib/slack-clicks';
import { fixed, median } from './lib/stats';
import { TeamsClicks, type TeamsPost } from './lib/teams-clicks';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const USERS = Number(process.env.BENCH_USERS ?? 6000);
const POSTS = Number(process.env.BENCH_POSTS ?? 14);
const PLATFORMS = (process.env.BENCH_PLATFORMS ?? 'slack,teams').split(',');
/** An A/B of the service itself: the second process's environment and build, when asked for. */
const AB =
  process.env.BENCH_AB_ENV || process.env.BENCH_AB_ENTRY
    ? {
        env: JSON.parse(process.env.BENCH_AB_ENV || '{}') as Record<string, string>,
        entry: process.env.BENCH_AB_ENTRY,
      }
    : undefined;

/** A question posted through the service (a Slack or Teams post, as its rig made it). */
type Post = { readonly postId: string };

/** What a platform needs from its rig: posts made through the service, and clicks on them. */
interface Rig {
  readonly name: 'slack' | 'teams';
  readonly tenant: string;
  readonly baselineEntry: string;
  readonly baselineEnv: Record<string, string>;
  readonly classify: Classify;
  post(serviceUrl: string, channel: string): Promise<Post>;
  clicks(posts: readonly Post[], users: readonly string[]): Click[];
  clear(): void;
}

interface Run extends LoadResult {
  /** CPU of the bot process, of Redis (when started here) and of this process (gateway and fake platform), in cores. */
  readonly botCores: number;
  readonly redisCores: number;
  readonly gatewayCores: number;
  readonly counts: Record<string, number>;
}

async function measure(
  gateway: ClickGateway,
  gatewayUrl: string,
  bot: BotProcess,
  clicks: Click[],
  rig: Rig,
  redisPid: number | undefined,
) {
  gateway.load(bot.url, clicks, rig.classify);
  const [bot0, redis0, own0, t0] = [
    cpuSeconds(bot.child.pid),
    cpuSeconds(redisPid),
    ownCpuSeconds(),
    Date.now(),
  ];
  const r = await autocannon(gatewayUrl, { connections: CONNECTIONS, seconds: SECONDS / 2 });
  const wall = (Date.now() - t0) / 1000;
  // Let clicks still in flight when autocannon stopped finish before the next run.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rig.clear();
  return {
    ...r,
    botCores: (cpuSeconds(bot.child.pid) - bot0) / wall,
    redisCores: (cpuSeconds(redisPid) - redis0) / wall,
    gatewayCores: (ownCpuSeconds() - own0) / wall,
    counts: { ...gateway.counts },
  } satisfies Run;
}

/**
 * One side's two half-runs of a round as one run: throughput and CPU averaged over both
 * (they last the same), latencies the mean of the two halves' percentiles.
 */
function joined([a, b]: Run[]): Run {
  if (!a || !b) throw new Error('a side of a round needs two half-runs');
  const mean = (f: (r: Run) => number) => (f(a) + f(b)) / 2;
  const counts: Record<string, number> = { ...a.counts };
  for (const [k, v] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + v;
  return {
    rps: mean((r) => r.rps),
    p50: mean((r) => r.p50),
    p99: mean((r) => r.p99),
    ok: a.ok + b.ok,
    failed: a.failed + b.failed,
    botCores: mean((r) => r.botCores),
    redisCores: mean((r) => r.redisCores),
    gatewayCores: mean((r) => r.gatewayCores),
    counts,
  };
}

/** Clicks per CPU-second of the bot process: what a click costs, whatever else ran on the machine. */
const perCpu = (r: Run) => r.rps / r.botCores;

/**
 * CPU milliseconds per click of every process the click goes through: the bot, Redis and
 * this process (autocannon, gateway, fakes). When the machine's cores are full, throughput
 * follows it (docs/benchmarks.md, session 8).
 */
const machineMs = (r: Run) => ((r.botCores + r.redisCores + r.gatewayCores) / r.rps) * 1000;

const line = (who: string, r: Run) =>
  `  ${who.padEnd(8)} ${fixed(r.rps, 0).padStart(6)} clicks/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(
    r.p99,
  ).padStart(4)} ms  failed ${r.failed}  CPU (cores): bot ${fixed(r.botCores)}, redis ${fixed(
    r.redisCores,
  )}, gateway+fake ${fixed(r.gatewayCores)}  ${JSON.stringify(r.counts)}`;

async function benchPlatform(
  rig: Rig,
  service: BotProcess,
  gateway: ClickGateway,
  gatewayUrl: string,
  redis: BenchRedis,
  slackApiUrl: string,
) {
  console.log(`\n## ${rig.name}${AB ? ` (baseline: the service, ${JSON.stringify(AB)})` : ''}`);
  const baseline = AB
    ? await startServiceProcess({
        redisUrl: redis.url,
        slackApiUrl,
        env: AB.env,
        ...(AB.entry ? { entry: AB.entry } : {}),
      })
    : await startBaselineProcess(rig.baselineEntry, rig.baselineEnv);
  const users = Array.from({ length: USERS }, (_, i) => (rig.name === 'slack' ? `UB${i}` : `member${i}`));
  const baseUsers = AB ? users.map((u) => `${u}b`) : users;
  const posts: Post[] = [];
  const newPosts = async (n: number, round: string) => {
    const made: Post[] = [];
    for (let i = 0; i < n; i++)
      made.push(
        await rig.post(
          service.url,
          rig.name === 'slack' ? `CB${round}X${i}` : `19:bench-${round}-${i}@thread.tacv2`,
        ),
      );
    posts.push(...made);
    return made;
  };

  // Warm-up: every member answers once (their profile is fetched and cached, as after a
  // first click), and both processes' JIT warms up.
  // A service in the baseline's place warms up alike, and answers as members of its own.
  const warmPost = await newPosts(1, 'w');
  const warm = rig.clicks(warmPost, users);
  gateway.load(service.url, warm, rig.classify);
  await autocannon(gatewayUrl, { connections: CONNECTIONS, seconds: 0, amount: warm.length });
  let recordedFeedback = gateway.counts.feedback ?? 0;
  if (AB) {
    gateway.load(baseline.url, rig.clicks(warmPost, baseUsers), rig.classify);
    await autocannon(gatewayUrl, { connections: CONNECTIONS, seconds: 0, amount: warm.length });
    recordedFeedback += gateway.counts.feedback ?? 0;
  } else {
    gateway.load(baseline.url, warm, rig.classify);
    await autocannon(gatewayUrl, { connections: CONNECTIONS, seconds: Math.max(3, SECONDS / 2) });
  }
  rig.clear();

  const rounds: Array<{ base: Run; svc: Run }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const roundPosts = await newPosts(POSTS, String(round));
    const clicks = { svc: rig.clicks(roundPosts, users), base: rig.clicks(roundPosts, baseUsers) };
    // A B B A, A alternating by round: each side runs twice, for half the time, at mirrored
    // places, so that a drift of the machine's speed within the round falls on both alike.
    // (Run once each in turn, the round where the service ran second gave the lower ratio in
    // every one of eight two-round runs, by 8-27 %.)
    const first = round % 2 ? 'base' : 'svc';
    const second = first === 'base' ? 'svc' : 'base';
    // Each side goes on in the round's clicks where its first half stopped: every click the
    // service gets is a new attempt.
    const halves: Record<'base' | 'svc', Run[]> = { base: [], svc: [] };
    const taken = { base: 0, svc: 0 };
    for (const who of [first, second, second, first] as const) {
      const bot = who === 'base' ? baseline : service;
      const rest = clicks[who].slice(taken[who]);
      halves[who].push(await measure(gateway, gatewayUrl, bot, rest, rig, redis.pid));
      if (gateway.used >= rest.length) throw new Error('ran out of clicks: raise BENCH_USERS or BENCH_POSTS');
      taken[who] += gateway.used;
    }
    const base = joined(halves.base);
    const svc = joined(halves.svc);
    recordedFeedback += (svc.counts.feedback ?? 0) + (AB ? (base.counts.feedback ?? 0) : 0);
    rounds.push({ base, svc });
    console.log(`round ${round}`);
    console.log(line('baseline', base));
    console.log(line('service', svc));
    console.log(
      `  ratios: throughput ${fixed(svc.rps / base.rps)}×, p99 ${fixed(svc.p99 / base.p99)}×, clicks per bot CPU-second ${fixed(
        perCpu(svc) / perCpu(base),
      )}×`,
    );
  }
  await baseline.stop();

  // Every click counted as feedback recorded an answer: the posts' answerer hashes say so.
  const client = new Redis(redis.url);
  let stored = 0;
  for (const p of posts) stored += await client.hlen(`sc:{${rig.tenant}}:post:${p.postId}:answers`);
  client.disconnect();

  const tp = median(rounds.map((r) => r.svc.rps / r.base.rps));
  const p99 = median(rounds.map((r) => r.svc.p99 / r.base.p99));
  const cpu = median(rounds.map((r) => perCpu(r.svc) / perCpu(r.base)));
  console.log(
    `${rig.name}: median throughput ratio ${fixed(tp)}× (target ≥ 0.80), median p99 ratio ${fixed(p99)}× (target ≤ 1.50)`,
  );
  console.log(
    `${rig.name}: median clicks per bot CPU-second ratio ${fixed(cpu)}× (service ${fixed(
      median(rounds.map((r) => perCpu(r.svc))),
      0,
    )}, baseline ${fixed(median(rounds.map((r) => perCpu(r.base))), 0)}): the cost per click, robust to CPU taken by other processes`,
  );
  console.log(
    `${rig.name}: median CPU per click on the machine (bot + Redis + bench process) ${fixed(
      median(rounds.map((r) => machineMs(r.svc))),
      2,
    )} ms against ${fixed(median(rounds.map((r) => machineMs(r.base))), 2)} ms: ratio ${fixed(
      median(rounds.map((r) => machineMs(r.base) / machineMs(r.svc))),
    )}×, which the throughput ratio follows when the cores are full`,
  );
  console.log(
    `${rig.name}: service ${fixed(median(rounds.map((r) => r.svc.rps)), 0)} clicks/s, p99 ${median(
      rounds.map((r) => r.svc.p99),
    )} ms; baseline ${fixed(median(rounds.map((r) => r.base.rps)), 0)} clicks/s, p99 ${median(
      rounds.map((r) => r.base.p99),
    )} ms (medians)`,
  );
  console.log(
    `${rig.name}: answers stored ${stored}, feedback counted ${recordedFeedback} (warm-up included): ${
      stored === recordedFeedback ? 'every click recorded' : 'MISMATCH'
    }`,
  );
  if (stored !== recordedFeedback) process.exitCode = 1;
}

async function main(): Promise<void> {
  console.log(`# Answer clicks: service vs baseline`);
  console.log(`machine: ${machine()}`);
  console.log(
    `settings: ${ROUNDS} rounds × ${SECONDS} s per side, ${CONNECTIONS} connections, ${USERS} members × ${POSTS} posts per round`,
  );
  const redis = await benchRedis();
  const gateway = new ClickGateway();
  const gatewayUrl = await gateway.start();
  const slack = await SlackClicks.start(gateway);
  const teams = await TeamsClicks.start();
  const service = await startServiceProcess({
    redisUrl: redis.url,
    slackApiUrl: slack.fake.apiUrl,
    // e.g. BENCH_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the service
    nodeArgs: process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean),
  });
  try {
    const rigs: Rig[] = [
      {
        name: 'slack',
        tenant: slack.tenant,
        baselineEntry: 'bench/baseline/slack-bolt.ts',
        baselineEnv: { SLACK_API_URL: slack.fake.apiUrl },
        classify: SlackClicks.classify,
        post: (url, channel) => slack.post(url, channel),
        clicks: (posts, users) => slack.clicks(posts as SlackPost[], users),
        clear: () => slack.clear(),
      },
      {
        name: 'teams',
        tenant: `teams:${teams.tenantId}`,
        baselineEntry: 'bench/baseline/teams-bot.ts',
        baselineEnv: {},
        classify: TeamsClicks.classify,
        post: (url, channel) => teams.post(url, channel),
        clicks: (posts, users) => teams.clicks(posts as TeamsPost[], users),
        clear: () => teams.clear(),
      },
    ];
    for (const rig of rigs.filter((r) => PLATFORMS.includes(r.name)))
      await benchPlatform(rig, service, gateway, gatewayUrl, redis, slack.fake.apiUrl);
  } finally {
    await service.stop();
    await gateway.stop();
    await slack.close();
    await teams.close();
    await redis.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
