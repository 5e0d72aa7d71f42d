/**
 * `npm run bench:cold` (builds first): from spawning `node dist/src/main.js` to the
 * first 200 from `/readyz`, with the whole AZ-400 pack loaded and validated, Slack (HTTP
 * mode, against the fake Web API for `auth.test`) and Teams configured, on the real
 * RedisStore and BullMQ (REDIS_URL, or a redis-server this script starts). Several runs;
 * the median, with the time to "question pack loaded" and "listening" read from the
 * service's own log lines. A run with the in-memory store (no REDIS_URL) is shown too.
 *
 * Env: BENCH_COLD_RUNS (7).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/setup/redis-cluster';
import { FakeSlackApi } from '../test/slack/fake-slack-api';
import { SECRET } from '../test/slack/slack-harness';
import { machine } from './lib/machine';
import { ROOT, stopProcess, track } from './lib/processes';
import { benchRedis } from './lib/redis-server';
import { fixed, median } from './lib/stats';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

interface Timing {
  readonly ready: number;
  readonly packLoaded: number;
  readonly listening: number;
}

async function once(env: Record<string, string>): Promise<Timing> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(child);
  const marks: Record<string, number> = {};
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const l of lines) {
      try {
        const { msg, time } = JSON.parse(l) as { msg?: string; time?: number };
        if (msg && typeof time === 'number') marks[msg] ??= time - started;
      } catch {
        // not a log line
      }
    }
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() - started > 60_000) throw new Error('not ready within 60 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    const ready = Date.now() - started;
    return {
      ready,
      packLoaded: marks['question pack loaded'] ?? Number.NaN,
      listening: marks['study companion is listening'] ?? Number.NaN,
    };
  } finally {
    await stopProcess(child);
  }
}

async function series(label: string, env: Record<string, string>): Promise<void> {
  const runs: Timing[] = [];
  await once(env); // a first run warms the file cache; not counted
  for (let i = 0; i < RUNS; i++) runs.push(await once(env));
  const ms = (k: keyof Timing) => fixed(median(runs.map((r) => r[k])), 0);
  console.log(
    `${label}: ready in ${ms('ready')} ms (median of ${RUNS}; min ${Math.min(...runs.map((r) => r.ready))}, max ${Math.max(
      ...runs.map((r) => r.ready),
    )}); pack loaded and validated at ${ms('packLoaded')} ms, listening at ${ms('listening')} ms`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm run bench:cold does)`);
  console.log('# Cold start: spawn to /readyz 200, whole pack validated');
  console.log(`machine: ${machine()}`);
  const redis = await benchRedis();
  const fake = await FakeSlackApi.start();
  const platforms = {
    QUESTION_PACK: 'questions/az400',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
  };
  try {
    await series('Redis store + BullMQ', { ...platforms, REDIS_URL: redis.url });
    await series('in-memory store', { ...platforms, REDIS_URL: '' });
  } finally {
    await fake.close();
    await redis.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
