import type { Logger, Scheduler, Store } from '../core';
import { registerDaily } from '../core/features/daily';
import { registerReminder } from '../core/features/reminders';

/**
 * Registers every stored schedule with the engine (start-up, after downtime). Idempotent:
 * BullMQ upserts by id, so N replicas starting together leave one job scheduler each.
 */
export async function registerStoredSchedules(
  store: Store,
  scheduler: Scheduler,
  logger: Logger,
): Promise<number> {
  const { daily, reminders } = await store.allSchedules();
  for (const s of daily) await registerDaily(scheduler, s);
  for (const r of reminders) await registerReminder(scheduler, r);
  const on = daily.filter((s) => s.enabled).length + reminders.filter((r) => r.enabled).length;
  logger.info({ daily: daily.length, reminders: reminders.length, enabled: on }, 'schedules registered');
  return on;
}
