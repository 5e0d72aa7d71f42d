import {
  type Job as BullJob,
  DelayedError,
  defaultRepeatStrategy,
  type JobsOptions,
  Queue,
  type RepeatStrategy,
  Worker,
} from 'bullmq';
import Redis from 'ioredis';
import {
  type Clock,
  DeliveryError,
  type Job,
  type Logger,
  type Scheduler,
  type Store,
  withDue,
} from '../core';

/** What a BullMQ job carries: the core's job, and for one-off jobs when it was due. */
interface JobData {
  readonly job: Job;
  readonly due?: number;
}

/** Settings of the BullMQ engine (see `ScheduleConfig` in src/config.ts). */
export interface BullMqOptions {
  readonly redisUrl: string;
  /** Key prefix; a hash tag keeps every queue key in one Cluster slot. Default `{bull}`. */
  readonly prefix?: string;
  readonly queueName?: string;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Where skipped occurrences are counted. */
  readonly store: Store;
  /** An occurrence later than this is skipped and logged; earlier ones run late. */
  readonly graceMs: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  /** Jobs one worker runs at once. Default 50. */
  readonly concurrency?: number;
  /** Attempts per job, with exponential backoff from `backoffMs`. Defaults 8 and 1 s. */
  readonly attempts?: number;
  readonly backoffMs?: number;
  /**
   * How long before its occurrence a daily post's job fires, to prepare the post so that
   * only the send runs at the due time (see `runDailyPost`). Every replica must use the
   * same value. Default 0: fired at the due time.
   */
  readonly prepareAheadMs?: number;
}

/** Occurrences of a recurring schedule: too late, they are skipped rather than sent. */
const OCCURRENCES = new Set<Job['name']>(['daily-post', 'daily-batch', 'reminder', 'nudge']);

/** The jobs whose schedulers fire `prepareAheadMs` early. */
const PREPARED = new Set<string>(['daily-post']);

/**
 * BullMQ's cron strategy, with the occurrences of {@link PREPARED} jobs moved `leadMs`
 * earlier: the one after `millis` is the first due time more than `leadMs` after it.
 */
export function preparingStrategy(leadMs: number): RepeatStrategy {
  return (millis, opts, name) => {
    if (!leadMs || !PREPARED.has(name ?? '')) return defaultRepeatStrategy(millis, opts);
    const due = defaultRepeatStrategy(millis + leadMs, opts);
    return due === undefined ? undefined : due - leadMs;
  };
}

/** How long closing a worker may take before its connections are cut (running jobs get this long). */
const CLOSE_WAIT_MS = 5000;

/** How long an id given to `at` is remembered, so that asking again costs nothing. */
const ADDED_MEMORY_MS = 60_000;

/** BullMQ ids may not contain ':' (its own key separator). */
const safeId = (id: string): string => id.replace(/:/g, '|');

function connect(url: string): Redis {
  // BullMQ blocks on its connection: no per-request retry limit (PITFALLS.md).
  return new Redis(url, { maxRetriesPerRequest: null });
}

/**
 * The `Scheduler` port on BullMQ: one queue on the service's Redis. `every` is a job
 * scheduler (`upsertJobScheduler` with `pattern` and `tz`; upserting the same id again
 * changes nothing or replaces the rule), `at` a delayed job whose id is the given id (a
 * second `at` with that id is ignored while the first is kept, and within a minute of the
 * first, in the same process, without asking Redis). Jobs retry with
 * exponential backoff; a worker that dies loses its lock and another takes the job over
 * (stalled-job recovery). Work is run by {@link BullMqWorker}.
 */
export class BullMqScheduler implements Scheduler {
  readonly queue: Queue<JobData>;
  private readonly connection: Redis;
  private readonly jobOptions: JobsOptions;
  /** Ids this process added with `at` lately, until when they are remembered. */
  private readonly added = new Map<string, number>();

  constructor(private readonly options: BullMqOptions) {
    this.connection = connect(options.redisUrl);
    this.queue = new Queue<JobData>(options.queueName ?? 'study', {
      connection: this.connection,
      prefix: options.prefix ?? '{bull}',
      settings: { repeatStrategy: preparingStrategy(options.prepareAheadMs ?? 0) },
    });
    // Without a listener, Redis outages would be printed raw on stderr.
    this.queue.on('error', (err: Error) => options.logger.warn({ err: err.message }, 'queue error'));
    this.jobOptions = {
      attempts: options.attempts ?? 8,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      removeOnComplete: { age: 3 * 86_400, count: 50_000 },
      removeOnFail: { age: 14 * 86_400 },
    };
  }

  async at(when: Date, job: Job, id: string): Promise<void> {
    const now = this.options.clock.now().getTime();
    // BullMQ would ignore the repeat anyway; remembering saves the round trip (a tally
    // job is asked for on every answer to a channel question).
    if ((this.added.get(id) ?? 0) > now) return;
    await this.queue.add(
      job.name,
      { job, due: when.getTime() },
      { ...this.jobOptions, jobId: safeId(id), delay: Math.max(0, when.getTime() - now) },
    );
    if (this.added.size >= 10_000) this.added.clear();
    this.added.set(id, now + ADDED_MEMORY_MS);
  }

  async every(rule: { readonly cron: string; readonly tz: string }, job: Job, id: string): Promise<void> {
    await this.queue.upsertJobScheduler(
      safeId(id),
      { pattern: rule.cron, tz: rule.tz },
      { name: job.name, data: { job }, opts: this.jobOptions },
    );
    // Registered less than the lead before an occurrence, the scheduler's first firing is the
    // next one: this one still runs, from a job of its own at its due time.
    const lead = this.options.prepareAheadMs ?? 0;
    if (!lead || !PREPARED.has(job.name)) return;
    const now = this.options.clock.now().getTime();
    const due = defaultRepeatStrategy(now, { pattern: rule.cron, tz: rule.tz });
    if (due !== undefined && due - lead <= now) await this.at(new Date(due), job, `${id}:${due}`);
  }

  async cancel(id: string): Promise<void> {
    this.added.delete(id);
    await this.queue.removeJobScheduler(safeId(id));
    const pending = await this.queue.getJob(safeId(id));
    const state = await pending?.getState();
    if (pending && (state === 'delayed' || state === 'waiting')) await pending.remove();
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}

/**
 * When a BullMQ job's occurrence is due: given with `at`, else from the scheduler's id
 * `repeat:<id>:<ms>` (the firing time) plus the lead of jobs fired ahead.
 */
export function dueOf(job: BullJob<JobData>, prepareAheadMs = 0): number {
  if (job.data.due !== undefined) return job.data.due;
  const lead = PREPARED.has(job.data.job.name) ? prepareAheadMs : 0;
  const fromId = Number(job.id?.split(':').pop());
  if (Number.isFinite(fromId) && fromId > 0) return fromId + lead;
  return job.timestamp + (job.delay ?? 0) + lead;
}

/**
 * Runs the queue's jobs through `run` (the core's `runJob`). A job whose rate-limit slot
 * is not ready (or whose platform answered 429) is moved to delayed until the slot:
 * only that job waits, nothing is dropped. An occurrence past the grace window is
 * skipped, logged and counted (`daily-skipped`, `reminder-skipped`).
 */
export class BullMqWorker {
  readonly worker: Worker<JobData>;
  private readonly connection: Redis;

  constructor(
    run: (job: Job) => Promise<void>,
    private readonly options: BullMqOptions,
  ) {
    this.connection = connect(options.redisUrl);
    this.worker = new Worker<JobData>(
      options.queueName ?? 'study',
      (job, token) => this.process(run, job, token),
      {
        connection: this.connection,
        prefix: options.prefix ?? '{bull}',
        concurrency: options.concurrency ?? 50,
        lockDuration: options.lockDurationMs,
        stalledInterval: options.stalledIntervalMs,
        maxStalledCount: 5,
        settings: { repeatStrategy: preparingStrategy(options.prepareAheadMs ?? 0) },
      },
    );
    this.worker.on('failed', (job, err) =>
      options.logger.error({ err: err.message, job: job?.name, id: job?.id }, 'scheduled job failed'),
    );
    this.worker.on('error', (err) => options.logger.warn({ err: err.message }, 'worker error'));
  }

  private async process(
    run: (job: Job) => Promise<void>,
    bj: BullJob<JobData>,
    token?: string,
  ): Promise<void> {
    const { logger, clock, store, graceMs } = this.options;
    const job = bj.data.job;
    const due = dueOf(bj, this.options.prepareAheadMs);
    const late = clock.now().getTime() - due;
    if (OCCURRENCES.has(job.name) && late > graceMs) {
      const kind = job.name === 'daily-post' ? 'daily' : job.name;
      await store.countEvent(job.tenant, `${kind}-skipped`);
      logger.warn(
        { job: job.name, tenant: job.tenant, lateMs: late },
        'occurrence missed by more than the grace window: skipped',
      );
      return;
    }
    try {
      await run(withDue(job, new Date(due)));
    } catch (err) {
      if (err instanceof DeliveryError && err.code === 'rate-limited') {
        await bj.moveToDelayed(Date.now() + Math.max(1, err.retryAfterMs ?? 1000), token);
        throw new DelayedError();
      }
      throw err;
    }
  }

  /**
   * Waits for running jobs to finish, then disconnects. Bounded: a worker whose blocking
   * connection was caught by a Redis restart can wait in BullMQ's close for good, so after
   * `CLOSE_WAIT_MS` its connections are cut and the close finishes without it.
   */
  async close(): Promise<void> {
    const closed = this.worker.close().then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS);
    });
    const done = await Promise.race([closed, waited]);
    clearTimeout(timer);
    if (!done) {
      this.options.logger.warn(
        { waitedMs: CLOSE_WAIT_MS },
        'BullMQ worker did not close in time: disconnecting it',
      );
      // Not awaited: BullMQ's disconnect waits on the same stuck connection.
      this.worker.disconnect().catch(() => undefined);
    }
    this.connection.disconnect();
  }
}
