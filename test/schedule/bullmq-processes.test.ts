import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DailySchedule, Platform, Reminder } from '../../src/core';
import { systemClock } from '../../src/core';
import { BullMqScheduler } from '../../src/schedule/bullmq-scheduler';
import { RedisStore } from '../../src/store/redis/redis-store';
import { testRedis, testRedisUrl } from '../setup/redis';
import { testEngineOptions } from './engine-options';
import { recorded, type Sent } from './redis-recording-messenger';

const root = join(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Three service processes on one Redis; a dead one is replaced (a restart). */
class Fleet {
  readonly killed: number[] = [];
  private readonly procs = new Set<ChildProcess>();
  private stopping = false;
  constructor(private readonly env: Record<string, string>) {}

  async start(n: number): Promise<void> {
    await Promise.all(Array.from({ length: n }, () => this.spawnOne()));
  }

  private spawnOne(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'worker-process.ts')], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.procs.add(child);
    child.once('exit', (_code, signal) => {
      this.procs.delete(child);
      if (signal === 'SIGKILL') this.killed.push(child.pid ?? 0);
      if (!this.stopping) void this.spawnOne();
    });
    return new Promise((resolve) =>
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.procs].map(
        (p) =>
          new Promise<void>((resolve) => {
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
            setTimeout(() => p.kill('SIGKILL'), 3000).unref();
          }),
      ),
    );
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe.each<[Platform, boolean]>([
  ['slack', true],
  ['teams', false],
])('three processes on one Redis, %s', (platform, hasLookup) => {
  const redis = testRedis();
  const store = new RedisStore(testRedis(), { clock: systemClock });
  afterAll(async () => {
    redis.disconnect();
    await store.close();
  });

  it('deliver every post, reveal and reminder exactly once, through SIGKILLs before and after the call', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const tenant = `${platform}:T${tag}`;
    const queueName = `q${tag}`;
    const channels = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'];
    const users = ['U1', 'U2', 'U3', 'U4'];
    for (const id of channels) {
      const s: DailySchedule = {
        tenant,
        where: { platform, tenant, id, kind: 'channel' },
        at: { hour: 9, minute: 0 },
        tz: 'UTC',
        days: 'daily',
        enabled: true,
        organizer: 'U1',
        updatedAt: Date.now(),
      };
      await store.saveDailySchedule(s);
    }
    for (const userId of users) {
      const r: Reminder = {
        tenant,
        platform,
        userId,
        name: userId,
        tz: 'UTC',
        at: { hour: 8, minute: 0 },
        days: 'daily',
        enabled: true,
        updatedAt: Date.now(),
      };
      await store.saveReminder(r);
    }
    const fleet = new Fleet({
      REDIS_URL: testRedisUrl(),
      SC_QUEUE: queueName,
      SC_PLATFORM: platform,
      // C1's card: killed before the call. C2's card and U1's question: killed after the platform accepted.
      SC_CRASH: `before=:C1:;after=:C2:;after=remind:${tenant}:U1:`,
    });
    await fleet.start(3);
    const scheduler = new BullMqScheduler(testEngineOptions(queueName, store));
    try {
      const now = new Date();
      for (const c of channels)
        await scheduler.at(now, { name: 'daily-post', tenant, channelId: c }, `d:${tenant}:${c}`);
      for (const u of users)
        await scheduler.at(now, { name: 'reminder', tenant, userId: u }, `r:${tenant}:${u}`);
      // Registering again changes nothing.
      for (const c of channels)
        await scheduler.at(now, { name: 'daily-post', tenant, channelId: c }, `d:${tenant}:${c}`);

      const list = `${queueName}:sent`;
      const count = (sent: Sent[], kind: string) => sent.filter((s) => s.kind === kind).length;
      await until('cards and reminders', async () => {
        const sent = await recorded(redis, list);
        return count(sent, 'question') === channels.length + users.length ? sent : undefined;
      });
      // Reveals are due hours later: bring them forward, once every post's job has finished.
      // A card recorded just before its process was killed is saved as sent only by the
      // job's retry, after its lock expires; a reveal run before that finds nothing sent.
      const reveals = await until('post jobs to finish', async () => {
        const counts = await scheduler.queue.getJobCounts('active', 'waiting', 'delayed');
        const delayed = (await scheduler.queue.getDelayed()).filter((j) => j.name === 'reveal');
        const busy = (counts.active ?? 0) + (counts.waiting ?? 0);
        return busy === 0 && counts.delayed === channels.length && delayed.length === channels.length
          ? delayed
          : undefined;
      });
      for (const j of reveals) await j.promote();
      const sent = await until('reveals', async () => {
        const s = await recorded(redis, list);
        return count(s, 'reveal') === channels.length ? s : undefined;
      });
      await sleep(1500); // anything duplicated late would show up now
      const final = await recorded(redis, list);
      const keys = final.map((s) => s.sendKey);
      expect(new Set(keys).size).toBe(keys.length); // no send key twice
      expect(count(final, 'question')).toBe(channels.length + users.length);
      expect(count(final, 'reveal')).toBe(channels.length);
      expect(count(final, 'text')).toBe(users.length); // the reminders' intro lines
      expect(final.length).toBe(sent.length);
      expect(fleet.killed.length).toBe(3);
      const counts = await store.eventCounts(tenant);
      if (hasLookup) {
        expect(counts['send-recovered']).toBe(2);
        expect(counts['send-unconfirmed']).toBeUndefined();
      } else {
        // Teams: the two sends accepted before the crash were not repeated, and are counted.
        expect(counts['send-unconfirmed']).toBe(2);
      }
    } catch (err) {
      const failed = await scheduler.queue.getFailed();
      console.log(
        failed.map((j) => `${j.id} ${j.failedReason}`),
        await scheduler.queue.getJobCounts(),
      );
      console.log((await recorded(redis, `${queueName}:sent`)).map((s) => `${s.kind} ${s.sendKey}`));
      throw err;
    } finally {
      await fleet.stop();
      await scheduler.queue.obliterate({ force: true });
      await scheduler.close();
    }
  }, 60_000);
});
