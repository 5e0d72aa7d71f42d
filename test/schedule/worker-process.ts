/**
 * One service process for the multi-process tests: the core on Redis, a BullMQ worker
 * with short lock and stalled intervals, and a messenger that records into Redis.
 * Environment: REDIS_URL, SC_QUEUE, SC_PLATFORM (slack|teams), SC_CRASH
 * (`before=<key part>;after=<key part>;…`): the first process to reach a matching send
 * SIGKILLs itself, before the attempt is marked or after the platform accepted it.
 */
import { join } from 'node:path';
import Redis from 'ioredis';
import { type Store, StudyCore, systemClock } from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import { loadPack } from '../../src/packs/load-pack';
import { BullMqScheduler, BullMqWorker } from '../../src/schedule/bullmq-scheduler';
import { defaultLimits } from '../../src/schedule/rate-limits';
import { SendOnceMessenger } from '../../src/schedule/send-once';
import { RedisStore } from '../../src/store/redis/redis-store';
import { testEngineOptions } from './engine-options';
import { redisRecordingMessenger } from './redis-recording-messenger';

async function main(): Promise<void> {
  const url = process.env.REDIS_URL as string;
  const queueName = process.env.SC_QUEUE as string;
  const platform = process.env.SC_PLATFORM === 'teams' ? 'teams' : 'slack';
  const crashes = (process.env.SC_CRASH ?? '')
    .split(';')
    .filter(Boolean)
    .map((s) => s.split('=') as ['before' | 'after', string]);
  const redis = new Redis(url);
  const crashIf = async (when: 'before' | 'after', key: string) => {
    for (const [w, part] of crashes) {
      if (
        w === when &&
        key.includes(part) &&
        (await redis.set(`${queueName}:crash:${w}:${part}`, '1', 'NX')) === 'OK'
      )
        process.kill(process.pid, 'SIGKILL');
    }
  };
  const real = new RedisStore(new Redis(url), { clock: systemClock });
  // The "before" crash: right before the send is marked attempted, i.e. before the platform call.
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'markAttempt')
        return async (key: string, holder: string) => {
          await crashIf('before', key);
          return target.markAttempt(key, holder);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Store;
  const inner = redisRecordingMessenger(redis, `${queueName}:sent`, platform === 'slack', {
    afterAccepted: (key) => crashIf('after', key),
  });
  const messenger = new SendOnceMessenger(inner, {
    store,
    logger: silentLogger,
    limits: defaultLimits.local,
    leaseMs: 1500,
  });
  const bank = loadPack(join(__dirname, '..', 'fixtures', 'pack-core'));
  const core = new StudyCore({ bank, store, clock: systemClock, logger: silentLogger, messenger });
  const options = testEngineOptions(queueName, store, {
    backoffMs: 200,
    // One job at a time: a SIGKILL then interrupts exactly the job the test aims at.
    concurrency: 1,
  });
  const scheduler = new BullMqScheduler(options);
  core.attach({ scheduler });
  const worker = new BullMqWorker((job) => core.runJob(job), options);
  await worker.worker.waitUntilReady();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void Promise.all([worker.close(), scheduler.close()]).then(() => process.exit(0));
  });
}

void main();
