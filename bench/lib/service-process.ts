import type { ChildProcess } from 'node:child_process';
import { freePort } from '../../test/setup/redis-cluster';
import { SECRET } from '../../test/slack/slack-harness';
import { startNode, stopProcess, waitFor200 } from './processes';

/** A process under test, listening on 127.0.0.1. */
export interface BotProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The whole service as deployed: the built `dist/src/main.js` (`npm run build` first) in
 * a process of its own, with Slack (HTTP mode, Web API and `response_url`s on the fake),
 * Teams (anonymous, replies to the fake connector given in each activity), the real
 * `RedisStore` and BullMQ on `redisUrl`, the real question pack and the real logger at
 * `info` (access log lines included; its output goes to /dev/null). Resolves once
 * `/readyz` answers 200.
 */
export async function startServiceProcess(o: {
  redisUrl: string;
  slackApiUrl: string;
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Another build's entry point (an A/B of two builds); `dist/src/main.js` by default. */
  entry?: string;
}): Promise<BotProcess> {
  const port = await freePort();
  const child = startNode(
    o.entry ?? 'dist/src/main.js',
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: o.redisUrl,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      QUESTION_PACK: 'questions/az400',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: o.slackApiUrl,
      ...o.env,
    },
    o.nodeArgs,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/readyz`, child);
  return { url, child, stop: () => stopProcess(child) };
}

/** One of the baselines in bench/baseline/, started the same way. */
export async function startBaselineProcess(
  entry: string,
  env: Record<string, string> = {},
): Promise<BotProcess> {
  const port = await freePort();
  // e.g. BENCH_BASELINE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof-base', to compare profiles
  const nodeArgs = process.env.BENCH_BASELINE_NODE_ARGS?.split(' ').filter(Boolean);
  const child = startNode(entry, { PORT: String(port), SLACK_SIGNING_SECRET: SECRET, ...env }, nodeArgs);
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/readyz`, child);
  return { url, child, stop: () => stopProcess(child) };
}
