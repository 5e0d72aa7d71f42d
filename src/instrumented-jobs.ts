import type { Job } from './core';
import type { Metrics } from './metrics';

/** The scheduler's dispatch with metrics and a view of the jobs in flight. */
export interface JobRunner {
  /** Runs one job: counted in `sc_jobs_run_total`, `sc_jobs_failed_total` when it throws (rethrown). */
  run(job: Job): Promise<void>;
  /** Jobs running now. */
  readonly running: number;
  /** Resolves once every job running now has finished (successfully or not). */
  idle(): Promise<void>;
}

/**
 * Wraps the function the scheduler calls for each job. BullMQ's `worker.close()` waits
 * for its active jobs itself; the in-process timers do not, so shutdown waits on
 * {@link JobRunner.idle} for them.
 */
export function instrumentJobs(
  run: (job: Job) => Promise<void>,
  metrics: Pick<Metrics, 'jobsRun' | 'jobsFailed' | 'jobDuration'>,
): JobRunner {
  const inFlight = new Set<Promise<void>>();
  return {
    async run(job) {
      const labels = { job: job.name };
      metrics.jobsRun.inc(labels);
      const stop = metrics.jobDuration.startTimer(labels);
      const running = run(job);
      inFlight.add(running);
      try {
        await running;
      } catch (err) {
        metrics.jobsFailed.inc(labels);
        throw err;
      } finally {
        stop();
        inFlight.delete(running);
      }
    },
    get running() {
      return inFlight.size;
    },
    async idle() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
