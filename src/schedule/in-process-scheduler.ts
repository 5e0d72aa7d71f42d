import { Cron } from 'croner';
import { type Clock, type Job, type Logger, type Scheduler, withDue } from '../core';

/**
 * The embedded scheduler: timers in this process. Good for one replica (and the
 * default with no Redis); jobs do not survive a restart. Registering an `at` id twice keeps
 * the first registration; `every` with a new rule for a known id replaces it.
 */
export class InProcessScheduler implements Scheduler {
  private readonly timers = new Map<string, { stop(): void }>();
  /** The rule each `every` id was registered with. */
  private readonly rules = new Map<string, string>();
  private closed = false;

  constructor(
    private readonly run: (job: Job) => Promise<void>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async at(when: Date, job: Job, id: string): Promise<void> {
    if (this.closed || this.timers.has(id)) return;
    // setTimeout holds 32-bit delays; longer waits re-arm in steps.
    const arm = () => {
      const delay = Math.max(0, when.getTime() - this.clock.now().getTime());
      const t = setTimeout(
        () => {
          if (delay > 2_000_000_000) return arm();
          this.timers.delete(id);
          this.execute(withDue(job, when), id);
        },
        Math.min(delay, 2_000_000_000),
      );
      t.unref?.();
      this.timers.set(id, { stop: () => clearTimeout(t) });
    };
    arm();
  }

  async every(rule: { cron: string; tz: string }, job: Job, id: string): Promise<void> {
    const key = `${rule.cron}|${rule.tz}|${JSON.stringify(job)}`;
    if (this.closed || this.rules.get(id) === key) return;
    // A new rule for a known id replaces the old one: still one job per id.
    this.timers.get(id)?.stop();
    const cron = new Cron(rule.cron, { timezone: rule.tz, unref: true }, () =>
      this.execute(withDue(job, this.clock.now()), id),
    );
    this.timers.set(id, { stop: () => cron.stop() });
    this.rules.set(id, key);
  }

  async cancel(id: string): Promise<void> {
    this.timers.get(id)?.stop();
    this.timers.delete(id);
    this.rules.delete(id);
  }

  /** Ids of the jobs waiting to run. */
  pending(): string[] {
    return [...this.timers.keys()];
  }

  /** Stops every timer; nothing runs afterwards. */
  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) t.stop();
    this.timers.clear();
  }

  private execute(job: Job, id: string): void {
    this.run(job).catch((err: unknown) =>
      this.logger.error({ err, job: job.name, id }, 'scheduled job failed'),
    );
  }
}
