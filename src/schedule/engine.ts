import { defaultScheduleConfig, type ScheduleConfig } from '../config';
import type { Clock, Job, Logger, Messenger, Platform, Scheduler, Store } from '../core';
import { BullMqScheduler, BullMqWorker } from './bullmq-scheduler';
import { InProcessScheduler } from './in-process-scheduler';
import { defaultLimits } from './rate-limits';
import { registerStoredSchedules } from './register-schedules';
import { SendOnceMessenger } from './send-once';

/** The scheduling side of a running service. */
export interface Scheduling {
  readonly scheduler: Scheduler;
  /** `bullmq` with Redis, `in-process` without. */
  readonly engine: 'bullmq' | 'in-process';
  /** Wraps a platform's messenger for scheduled sends (paced and sent once; BullMQ only). */
  wrap(platform: Platform, messenger: Messenger): Messenger;
  /** Registers the stored schedules (idempotent) and starts working jobs. */
  start(): Promise<void>;
  /** Stops taking jobs, waits for running ones, disconnects. */
  close(): Promise<void>;
}

/**
 * Builds the engine: with a Redis URL, BullMQ (a queue and a worker on that Redis, which
 * every replica shares); without, in-process timers (one replica, nothing survives a
 * restart).
 */
export function createScheduling(deps: {
  readonly redisUrl?: string;
  readonly config?: ScheduleConfig;
  readonly run: (job: Job) => Promise<void>;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
}): Scheduling {
  const { store, clock, logger } = deps;
  if (!deps.redisUrl) {
    const scheduler = new InProcessScheduler(deps.run, clock, logger);
    return {
      scheduler,
      engine: 'in-process',
      wrap: (_platform, messenger) => messenger,
      start: async () => {
        await registerStoredSchedules(store, scheduler, logger);
      },
      close: async () => scheduler.close(),
    };
  }
  const config = deps.config ?? defaultScheduleConfig;
  const options = {
    redisUrl: deps.redisUrl,
    logger,
    clock,
    store,
    graceMs: config.graceMs,
    lockDurationMs: config.lockDurationMs,
    stalledIntervalMs: config.stalledIntervalMs,
    concurrency: config.concurrency,
    prepareAheadMs: config.prepareAheadMs,
  };
  const scheduler = new BullMqScheduler(options);
  let worker: BullMqWorker | undefined;
  return {
    scheduler,
    engine: 'bullmq',
    wrap: (platform, messenger) =>
      new SendOnceMessenger(messenger, { store, clock, logger, limits: defaultLimits[platform] }),
    start: async () => {
      await registerStoredSchedules(store, scheduler, logger);
      worker ??= new BullMqWorker(deps.run, options);
    },
    close: async () => {
      await worker?.close();
      await scheduler.close();
    },
  };
}
