import { Cron } from 'croner';
import { DeliveryError, type Job, type Scheduler, withDue } from '../../src/core';
import type { FakeClock } from '../core/fixtures';

interface Entry {
  readonly id: string;
  readonly job: Job;
  next: number;
  readonly cron?: Cron;
  /** A retry keeps the time its occurrence was due. */
  readonly due?: number;
  /** How long before its occurrences a cron entry fires. */
  readonly lead?: number;
}

/**
 * A `Scheduler` on a fake clock: `runUntil` moves the clock from one due job to the next
 * and runs each, so a test can cross days (and DST changes) in milliseconds. A job that
 * throws `DeliveryError('rate-limited')` runs again after its wait, as BullMQ's worker
 * moves it to delayed; any other error is thrown. With `prepareAheadMs`, daily posts'
 * cron entries fire that much before their occurrences, as BullMQ's engine does.
 */
export class FakeTimeScheduler implements Scheduler {
  private readonly entries = new Map<string, Entry>();
  readonly ran: Array<{ id: string; job: Job; at: Date }> = [];

  constructor(
    private readonly clock: FakeClock,
    private readonly run: (job: Job) => Promise<void>,
    private readonly prepareAheadMs = 0,
  ) {}

  async at(when: Date, job: Job, id: string): Promise<void> {
    if (!this.entries.has(id)) this.entries.set(id, { id, job, next: when.getTime() });
  }

  async every(rule: { cron: string; tz: string }, job: Job, id: string): Promise<void> {
    const cron = new Cron(rule.cron, { timezone: rule.tz, paused: true });
    const lead = job.name === 'daily-post' ? this.prepareAheadMs : 0;
    const next = cron.nextRun(new Date(this.clock.now().getTime() + lead));
    if (next) this.entries.set(id, { id, job, next: next.getTime() - lead, cron, lead });
  }

  async cancel(id: string): Promise<void> {
    this.entries.delete(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Runs every job due up to `iso`, in time order, moving the clock to each. */
  async runUntil(iso: string): Promise<void> {
    const end = Date.parse(iso);
    for (;;) {
      const due = [...this.entries.values()].sort((a, b) => a.next - b.next)[0];
      if (!due || due.next > end) break;
      const now = due.next;
      this.clock.set(new Date(now).toISOString());
      const lead = due.lead ?? 0;
      const at = new Date(due.due ?? now + lead);
      if (due.cron) {
        const next = due.cron.nextRun(new Date(now + lead + 1000));
        if (next) due.next = next.getTime() - lead;
        else this.entries.delete(due.id);
      } else this.entries.delete(due.id);
      this.ran.push({ id: due.id, job: due.job, at });
      try {
        await this.run(withDue(due.job, at));
      } catch (err) {
        if (!(err instanceof DeliveryError && err.code === 'rate-limited')) throw err;
        const id = `${due.id}:retry@${now}`;
        this.entries.set(id, { id, job: due.job, next: now + (err.retryAfterMs ?? 1000), due: at.getTime() });
      }
    }
    this.clock.set(new Date(end).toISOString());
  }
}
