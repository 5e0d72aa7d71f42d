import type { Clock, DailySchedule, Reminder, Store, Where } from '../../src/core';
import { MemoryStore } from '../../src/store/memory/memory-store';
import { RedisStore } from '../../src/store/redis/redis-store';
import { testCluster, testRedis, uniqueTenant } from '../setup/redis';

class TestClock implements Clock {
  private t = Date.now();
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

const factories: Array<[string, (clock: TestClock) => Store]> = [
  ['memory', (clock) => new MemoryStore(clock)],
  ['redis', (clock) => new RedisStore(testRedis(), { clock })],
  ['redis-cluster', (clock) => new RedisStore(testCluster(), { clock })],
];

describe.each(factories)('Store contract, schedules: %s', (_name, factory) => {
  let store: Store;
  let clock: TestClock;
  let tenant: string;
  beforeAll(() => {
    clock = new TestClock();
    store = factory(clock);
  });
  afterAll(() => store.close());
  beforeEach(() => {
    tenant = uniqueTenant('sched');
  });
  const key = (s: string) => `${tenant}:${s}`;

  it('keeps daily schedules and reminders, and lists them across tenants', async () => {
    const where: Where = { platform: 'slack', tenant, id: 'C1', kind: 'channel', name: 'devops' };
    const daily: DailySchedule = {
      tenant,
      where,
      at: { hour: 9, minute: 30 },
      tz: 'Europe/Berlin',
      days: 'weekdays',
      enabled: true,
      organizer: 'U1',
      updatedAt: 1,
    };
    const reminder: Reminder = {
      tenant,
      platform: 'slack',
      userId: 'U2',
      name: 'Ana',
      tz: 'UTC',
      at: { hour: 8, minute: 0 },
      days: 'daily',
      quiet: { from: { hour: 22, minute: 0 }, to: { hour: 7, minute: 0 } },
      enabled: true,
      updatedAt: 2,
    };
    await store.saveDailySchedule(daily);
    await store.saveReminder(reminder);
    expect(await store.getDailySchedule(tenant, 'C1')).toEqual(daily);
    expect(await store.getReminder(tenant, 'U2')).toEqual(reminder);
    expect(await store.getDailySchedule(tenant, 'C2')).toBeUndefined();
    expect(await store.getReminder(uniqueTenant('other'), 'U2')).toBeUndefined();
    await store.saveDailySchedule({ ...daily, enabled: false });
    const all = await store.allSchedules();
    expect(all.daily.filter((d) => d.tenant === tenant)).toEqual([{ ...daily, enabled: false }]);
    expect(all.reminders.filter((r) => r.tenant === tenant)).toEqual([reminder]);
  });

  it('forgetUser drops the values kept for that user (by a key segment), and only those', async () => {
    for (const user of ['u1', '29:u1', 'u10'])
      await store.firstValue(tenant, `remind:${user}:2026-12-01`, 'q1', 60);
    await store.forgetUser(tenant, '29:u1');
    await store.forgetUser(tenant, 'u1');
    expect(await store.firstValue(tenant, 'remind:u1:2026-12-01', 'q2', 60)).toBe('q2');
    expect(await store.firstValue(tenant, 'remind:29:u1:2026-12-01', 'q2', 60)).toBe('q2');
    expect(await store.firstValue(tenant, 'remind:u10:2026-12-01', 'q2', 60)).toBe('q1');
  });

  it('firstValue keeps the first value', async () => {
    expect(await store.firstValue(tenant, 'choice', 'q1', 60)).toBe('q1');
    expect(await store.firstValue(tenant, 'choice', 'q2', 60)).toBe('q1');
    expect(await store.firstValue(uniqueTenant('x'), 'choice', 'q2', 60)).toBe('q2');
  });

  it('claimSend: fresh, held by another, sent; a vanished holder leaves it unknown', async () => {
    const k = key('daily:C1:2026-12-01');
    expect(await store.claimSend(k, 'a', 1000, 60)).toEqual({ state: 'fresh' });
    expect(await store.claimSend(k, 'b', 1000, 60)).toMatchObject({ state: 'held' });
    expect(await store.markAttempt(k, 'b')).toBe(false);
    expect(await store.markAttempt(k, 'a')).toBe(true);
    clock.advance(1500); // a's lease runs out: it died after handing the send to the platform
    expect(await store.claimSend(k, 'b', 1000, 60)).toEqual({ state: 'unknown' });
    const ref = {
      where: { platform: 'slack' as const, tenant, id: 'C1', kind: 'channel' as const },
      id: '1.2',
    };
    await store.recordSent(k, ref, 60);
    expect(await store.claimSend(k, 'c', 1000, 60)).toEqual({ state: 'sent', ref });
  });

  it('claimSend: a release after a refusal makes the next claim fresh, with the reserved slot', async () => {
    const k = key('remind:U1:2026-12-01:0');
    await store.claimSend(k, 'a', 1000, 60);
    await store.markAttempt(k, 'a');
    await store.releaseSend(k, 'a', 12345);
    expect(await store.claimSend(k, 'b', 1000, 60)).toEqual({ state: 'fresh', readyAt: 12345 });
    await store.releaseSend(k, 'b');
    expect(await store.claimSend(k, 'c', 1000, 60)).toEqual({ state: 'fresh' });
  });

  it('reserveTokens queues callers one slot apart, and honours notBefore', async () => {
    const bucket = { key: key('bucket'), capacity: 2, perSecond: 10 };
    expect(await store.reserveTokens([bucket])).toBe(0);
    expect(await store.reserveTokens([bucket])).toBe(0);
    expect(await store.reserveTokens([bucket])).toBe(100);
    expect(await store.reserveTokens([bucket])).toBe(200);
    clock.advance(200);
    expect(await store.reserveTokens([bucket])).toBe(100);
    const other = { key: key('bucket2'), capacity: 1, perSecond: 1 };
    const later = clock.now().getTime() + 5000;
    expect(await store.reserveTokens([other], later)).toBe(5000);
    expect(await store.reserveTokens([other])).toBe(6000);
    expect(await store.reserveTokens([])).toBe(0);
  });

  it("reserveTokens takes each bucket's slot after the one before it", async () => {
    // A workspace at 10/s (burst 1) and two channels at 1/s (burst 1).
    const workspace = { key: key('ws'), capacity: 1, perSecond: 10 };
    const c1 = { key: key('ws:c1'), capacity: 1, perSecond: 1 };
    const c2 = { key: key('ws:c2'), capacity: 1, perSecond: 1 };
    expect(await store.reserveTokens([workspace, c1])).toBe(0);
    expect(await store.reserveTokens([workspace, c2])).toBe(100); // the workspace's next slot
    expect(await store.reserveTokens([workspace, c1])).toBe(1000); // c1's next slot, later than the workspace's
    // The workspace slot taken at 200 ms stays taken: the next is at 300 ms.
    expect(await store.reserveTokens([workspace, c2])).toBe(1100);
    expect(await store.reserveTokens([workspace])).toBe(400);
  });

  it('counts events per tenant', async () => {
    expect(await store.countEvent(tenant, 'send-unconfirmed')).toBe(1);
    expect(await store.countEvent(tenant, 'send-unconfirmed', 2)).toBe(3);
    await store.countEvent(tenant, 'daily-late');
    expect(await store.eventCounts(tenant)).toEqual({ 'send-unconfirmed': 3, 'daily-late': 1 });
    expect(await store.eventCounts(uniqueTenant('none'))).toEqual({});
  });
});
