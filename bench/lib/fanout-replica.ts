/**
 * One replica of the engine for `npm run bench:fanout`: the store connected as the service
 * connects, the core, the send-once messengers to the fake platform APIs (a minimal
 * keep-alive HTTP call per post, not the full adapters) and BullMQ workers. The bench runs
 * one in its own process, or several as child processes (BENCH_REPLICAS), as a service
 * scales out. As a child: env FANOUT (JSON {@link ReplicaConfig}); prints `ready`.
 */
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import {
  type Actor,
  DeliveryError,
  type Messenger,
  type PostOptions,
  type Reply,
  StudyCore,
  systemClock,
  type Where,
} from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import { loadPack } from '../../src/packs/load-pack';
import { type BullMqOptions, BullMqScheduler, BullMqWorker } from '../../src/schedule/bullmq-scheduler';
import type { PlatformLimits } from '../../src/schedule/rate-limits';
import { SendOnceMessenger } from '../../src/schedule/send-once';
import { RedisStore } from '../../src/store/redis/redis-store';

/** The fake platforms' limits: Slack 1/s per channel, 300/min per workspace (burst 10); Teams 7/s per conversation, 50/s per tenant. */
export const LIMITS: Record<'slack' | 'teams', PlatformLimits> = {
  slack: { conversation: { capacity: 1, perSecond: 1 }, tenant: { capacity: 10, perSecond: 5 } },
  teams: { conversation: { capacity: 7, perSecond: 7 }, tenant: { capacity: 50, perSecond: 50 } },
};

export interface ReplicaConfig {
  readonly redisUrl: string;
  /** Store prefix and queue name of this run. */
  readonly run: string;
  readonly leadMs: number;
  /** The fake APIs' base URLs. */
  readonly apis: Record<'slack' | 'teams', string>;
}

/** Keep-alive connections to the fake APIs, as an SDK's HTTP client would keep. */
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

/** One request (a POST with a body); resolves with the status, the Retry-After header and the body. */
export function call(
  url: string,
  body?: string,
): Promise<{ status: number; retryAfter: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: body === undefined ? 'GET' : 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Number(res.headers['retry-after'] ?? 1),
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A minimal Messenger: one POST per message; 429 becomes DeliveryError('rate-limited', Retry-After). */
function httpMessenger(url: string): Messenger {
  return {
    async post(where: Where, _reply: Reply, options?: PostOptions) {
      const res = await call(
        url,
        JSON.stringify({ tenant: where.tenant, conversation: where.id, sendKey: options?.sendKey ?? '' }),
      );
      if (res.status === 429) throw new DeliveryError('rate-limited', 'HTTP 429', res.retryAfter * 1000);
      return { where, id: (JSON.parse(res.body) as { id: string }).id };
    },
    async update() {},
    async postPrivate() {},
    async openDirect(a: Pick<Actor, 'platform' | 'tenant' | 'userId'>) {
      return { platform: a.platform, tenant: a.tenant, id: `dm-${a.userId}`, kind: 'dm' as const };
    },
  };
}

/** The engine's options for a run (the main process registers schedules with the same). */
export function engineOptions(c: ReplicaConfig, store: RedisStore): BullMqOptions {
  return {
    redisUrl: c.redisUrl,
    queueName: `bench${c.run}`,
    logger: silentLogger,
    clock: systemClock,
    store,
    graceMs: 3600_000,
    lockDurationMs: 30_000,
    stalledIntervalMs: 30_000,
    concurrency: 200,
    prepareAheadMs: c.leadMs,
  };
}

/** Starts a replica: its store, core and workers; `close` stops it. */
export async function startReplica(c: ReplicaConfig): Promise<{ store: RedisStore; close(): Promise<void> }> {
  const store = await RedisStore.connect(c.redisUrl, { clock: systemClock, prefix: `bench${c.run}` });
  const wrapped = {
    slack: new SendOnceMessenger(httpMessenger(`${c.apis.slack}/chat.postMessage`), {
      store,
      logger: silentLogger,
      limits: LIMITS.slack,
    }),
    teams: new SendOnceMessenger(httpMessenger(`${c.apis.teams}/v3/conversations`), {
      store,
      logger: silentLogger,
      limits: LIMITS.teams,
    }),
  };
  const router: Messenger = {
    post: (w, r, o) => wrapped[w.platform as 'slack' | 'teams'].post(w, r, o),
    update: async () => {},
    postPrivate: async () => {},
    openDirect: async (a) => ({ platform: a.platform, tenant: a.tenant, id: `dm-${a.userId}`, kind: 'dm' }),
  };
  const bank = loadPack(join(__dirname, '..', '..', 'test', 'fixtures', 'pack-core'));
  const core = new StudyCore({ bank, store, clock: systemClock, logger: silentLogger, messenger: router });
  const options = engineOptions(c, store);
  const scheduler = new BullMqScheduler(options);
  core.attach({ scheduler });
  const workers = [1, 2].map(() => new BullMqWorker((job) => core.runJob(job), options));
  return {
    store,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await scheduler.close();
      await store.close();
    },
  };
}

if (require.main === module) {
  void startReplica(JSON.parse(process.env.FANOUT ?? '{}') as ReplicaConfig).then(() => console.log('ready'));
}
