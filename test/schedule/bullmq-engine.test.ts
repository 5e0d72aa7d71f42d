import Redis from 'ioredis';
import { type DailySchedule, StudyCore, systemClock } from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import { type BullMqOptions, BullMqScheduler, BullMqWorker } from '../../src/schedule/bullmq-scheduler';
import { defaultLimits } from '../../src/schedule/rate-limits';
import { SendOnceMessenger } from '../../src/schedule/send-once';
import { RedisStore } from '../../src/store/redis/redis-store';
import { fixtureBank } from '../core/fixtures';
import { testRedisUrl } from '../setup/redis';
import { recorded, redisRecordingMessenger } from './redis-recording-messenger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('BullMQ engine', () => {
  const tag = Math.random().toString(36).slice(2, 8);
  const tenant = `slack:T${tag}`;
  const queueName = `e${tag}`;
  const redis = new Redis(testRedisUrl());
  const store = new RedisStore(new Redis(testRedisUrl()), { clock: systemClock });
  const options: BullMqOptions = {
    redisUrl: testRedisUrl(),
    queueName,
    logger: silentLogger,
    clock: systemClock,
    store,
    graceMs: 2 * 3600_000,
    lockDurationMs: 1000,
    stalledIntervalMs: 500,
  };
  const scheduler = new BullMqScheduler(options);
  const list = `${queueName}:sent`;
  const messenger = new SendOnceMessenger(redisRecordingMessenger(redis, list, true), {
    store,
    logger: silentLogger,
    limits: defaultLimits.slack,
  });
  const core = new StudyCore({
    bank: fixtureBank(),
    store,
    clock: systemClock,
    logger: silentLogger,
    messenger,
  });
  core.attach({ scheduler });
  let worker: BullMqWorker | undefined;

  afterAll(async () => {
    await worker?.close();
    await scheduler.queue.obliterate({ force: true });
    await scheduler.close();
    await store.close();
    redis.disconnect();
  });

  const schedule = (id: string): DailySchedule => ({
    tenant,
    where: { platform: 'slack', tenant, id, kind: 'channel', name: id.toLowerCase() },
    at: { hour: 9, minute: 0 },
    tz: 'UTC',
    days: 'daily',
    enabled: true,
    organizer: 'U1',
    updatedAt: 1,
  });

  it('registers job schedulers idempotently', async () => {
    const rule = { cron: '0 9 * * 1-5', tz: 'Europe/Berlin' };
    for (let i = 0; i < 3; i++)
      await scheduler.every(rule, { name: 'daily-post', tenant, channelId: 'CX' }, `daily:${tenant}:CX`);
    expect(await scheduler.queue.getJobSchedulersCount()).toBe(1);
    const [s] = await scheduler.queue.getJobSchedulers();
    expect(s).toMatchObject({ pattern: '0 9 * * 1-5', tz: 'Europe/Berlin' });
    await scheduler.cancel(`daily:${tenant}:CX`);
    expect(await scheduler.queue.getJobSchedulersCount()).toBe(0);
  });

  it('after a restart, posts a missed occurrence late inside the grace window and skips an older one', async () => {
    await store.saveDailySchedule(schedule('C1'));
    await store.saveDailySchedule(schedule('C2'));
    // Queued while no worker ran ("downtime"): due 30 minutes ago, and 3 hours ago.
    const now = Date.now();
    await scheduler.at(
      new Date(now - 30 * 60_000),
      { name: 'daily-post', tenant, channelId: 'C1' },
      `d:${tenant}:C1`,
    );
    await scheduler.at(
      new Date(now - 3 * 3600_000),
      { name: 'daily-post', tenant, channelId: 'C2' },
      `d:${tenant}:C2`,
    );
    worker = new BullMqWorker((job) => core.runJob(job), options); // the restart
    for (let i = 0; i < 100 && (await scheduler.queue.getJobCounts('completed')).completed < 2; i++)
      await sleep(50);
    const sent = await recorded(redis, list);
    expect(sent.map((s) => `${s.kind} ${s.where.id}`)).toEqual(['question C1', 'text C1']);
    expect(sent[1]?.thread).toBe(sent[0]?.id); // the late note, in the card's thread
    expect(await store.eventCounts(tenant)).toMatchObject({ 'daily-late': 1, 'daily-skipped': 1 });
  });

  it('runs a job scheduler occurrence with its due time', async () => {
    await store.saveDailySchedule(schedule('C3'));
    await scheduler.every(
      { cron: '* * * * * *', tz: 'UTC' },
      { name: 'daily-post', tenant, channelId: 'C3' },
      `daily:${tenant}:C3`,
    );
    for (let i = 0; i < 60; i++) {
      if ((await recorded(redis, list)).some((s) => s.where.id === 'C3')) break;
      await sleep(50);
    }
    await scheduler.cancel(`daily:${tenant}:C3`);
    // Every second fires, but the send key is per channel and date: one card.
    await sleep(1200);
    expect((await recorded(redis, list)).filter((s) => s.where.id === 'C3')).toHaveLength(1);
  });
});
