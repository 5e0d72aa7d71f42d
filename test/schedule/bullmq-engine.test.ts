import Redis from 'ioredis';
import { type DailySchedule, type Messenger, StudyCore, systemClock } from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import { BullMqScheduler, BullMqWorker } from '../../src/schedule/bullmq-scheduler';
import { defaultLimits } from '../../src/schedule/rate-limits';
import { SendOnceMessenger } from '../../src/schedule/send-once';
import { RedisStore } from '../../src/store/redis/redis-store';
import { fixtureBank } from '../core/fixtures';
import { testRedisUrl } from '../setup/redis';
import { testEngineOptions } from './engine-options';
import { recorded, redisRecordingMessenger } from './redis-recording-messenger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A channel's daily question (the engine takes the due time from the job, not from `at`). */
const dailySchedule = (tenant: string, id: string): DailySchedule => ({
  tenant,
  where: { platform: 'slack', tenant, id, kind: 'channel', name: id.toLowerCase() },
  at: { hour: 9, minute: 0 },
  tz: 'UTC',
  days: 'daily',
  enabled: true,
  organizer: 'U1',
  updatedAt: 1,
});

/** The core on the test bank and `store`, scheduling through `scheduler`. */
function coreOn(store: RedisStore, messenger: Messenger, scheduler: BullMqScheduler): StudyCore {
  const core = new StudyCore({
    bank: fixtureBank(),
    store,
    clock: systemClock,
    logger: silentLogger,
    messenger,
  });
  core.attach({ scheduler });
  return core;
}

describe('BullMQ engine', () => {
  const tag = Math.random().toString(36).slice(2, 8);
  const tenant = `slack:T${tag}`;
  const queueName = `e${tag}`;
  const redis = new Redis(testRedisUrl());
  const store = new RedisStore(new Redis(testRedisUrl()), { clock: systemClock });
  const options = testEngineOptions(queueName, store);
  const scheduler = new BullMqScheduler(options);
  const list = `${queueName}:sent`;
  const messenger = new SendOnceMessenger(redisRecordingMessenger(redis, list, true), {
    store,
    logger: silentLogger,
    limits: defaultLimits.slack,
  });
  const core = coreOn(store, messenger, scheduler);
  let worker: BullMqWorker | undefined;

  afterAll(async () => {
    await worker?.close();
    await scheduler.queue.obliterate({ force: true });
    await scheduler.close();
    await store.close();
    redis.disconnect();
  });

  const schedule = (id: string) => dailySchedule(tenant, id);

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

describe('BullMQ engine, daily posts prepared ahead', () => {
  const tag = Math.random().toString(36).slice(2, 8);
  const tenant = `slack:T${tag}`;
  const store = new RedisStore(new Redis(testRedisUrl()), { clock: systemClock });
  const options = testEngineOptions(`p${tag}`, store, { prepareAheadMs: 5000 });
  const scheduler = new BullMqScheduler(options);
  /** When each card reached the "platform". */
  const sentAt = new Map<string, number>();
  const messenger: Messenger = {
    async post(where, reply) {
      if (reply.kind === 'question') sentAt.set(where.id, Date.now());
      return { where, id: `m-${where.id}` };
    },
    async update() {},
    async postPrivate() {},
    async openDirect(a) {
      return { platform: a.platform, tenant: a.tenant, id: `dm-${a.userId}`, kind: 'dm' };
    },
  };
  const core = coreOn(store, messenger, scheduler);
  const worker = new BullMqWorker((job) => core.runJob(job), options);
  const schedule = (id: string) => dailySchedule(tenant, id);
  const waitForCards = async (ids: string[]) => {
    for (let i = 0; i < 200 && !ids.every((id) => sentAt.has(id)); i++) await sleep(50);
  };

  afterAll(async () => {
    await worker.close();
    await scheduler.queue.obliterate({ force: true });
    await scheduler.close();
    await store.close();
  });

  it('fires each channel early to prepare its post, and sends the posts from one batch at the due time', async () => {
    const ids = ['C1', 'C2', 'C3'];
    // Once a minute, at a second 7 s from now: further away than the lead.
    const second = new Date(Date.now() + 7000).getUTCSeconds();
    for (const id of ids) {
      await store.saveDailySchedule(schedule(id));
      await scheduler.every(
        { cron: `${second} * * * * *`, tz: 'UTC' },
        { name: 'daily-post', tenant, channelId: id },
        `daily:${tenant}:${id}`,
      );
    }
    await waitForCards(ids);
    for (const id of ids) await scheduler.cancel(`daily:${tenant}:${id}`);
    const posts = await Promise.all(
      ids.map((id) => store.getPost(tenant, `d-${id}-${new Date().toISOString().slice(0, 10)}`)),
    );
    const due = posts[0]?.postedAt ?? 0;
    expect(new Date(due).getUTCSeconds()).toBe(second); // the occurrence, not the firing 5 s before it
    for (const [i, id] of ids.entries()) {
      expect(posts[i]?.postedAt).toBe(due);
      expect(sentAt.get(id)).toBeGreaterThanOrEqual(due);
    }
    const completed = await scheduler.queue.getJobs(['completed']);
    const prepared = completed.filter(
      (j) => j.name === 'daily-post' && Number(j.id?.split(':').pop()) + 5000 === due,
    );
    expect(prepared).toHaveLength(3);
    for (const j of prepared) expect(j.processedOn).toBeLessThan(due);
    const batches = completed.filter((j) => j.name === 'daily-batch');
    expect(batches.map((j) => j.data.job)).toEqual([{ name: 'daily-batch', tenant, due }]);
    expect(batches[0]?.processedOn).toBeLessThan(due); // started early to get its posts ready
  });

  it('registered less than the lead before an occurrence, still posts that occurrence on time', async () => {
    // An occurrence 1 s away, inside the 5 s lead: the scheduler's first firing is a minute later.
    const due = Math.ceil((Date.now() + 1000) / 1000) * 1000;
    await store.saveDailySchedule(schedule('C9'));
    await scheduler.every(
      { cron: `${new Date(due).getUTCSeconds()} * * * * *`, tz: 'UTC' },
      { name: 'daily-post', tenant, channelId: 'C9' },
      `daily:${tenant}:C9`,
    );
    await waitForCards(['C9']);
    await scheduler.cancel(`daily:${tenant}:C9`);
    expect(sentAt.get('C9')).toBeGreaterThanOrEqual(due);
    expect(sentAt.get('C9')).toBeLessThan(due + 3000);
  });
});
