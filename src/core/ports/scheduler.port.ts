/** Work the scheduler hands back to the core at the right time. */
export type Job =
  | { readonly name: 'reveal'; readonly tenant: string; readonly postId: string }
  | { readonly name: 'tally'; readonly tenant: string; readonly postId: string }
  | {
      readonly name: 'exam-deadline';
      readonly tenant: string;
      readonly userId: string;
      readonly examId: string;
      readonly platform: import('../model').Platform;
    }
  | { readonly name: 'daily-post'; readonly tenant: string; readonly channelId: string };

/**
 * When things happen. The core asks; an engine (in-process timers, later BullMQ)
 * runs `job` through the dispatcher it was built with. Registering the same `id`
 * twice keeps one job.
 */
export interface Scheduler {
  /** Runs `job` once at `when` (at once if `when` has passed). */
  at(when: Date, job: Job, id: string): Promise<void>;
  /** Runs `job` on a cron rule in an IANA time zone. */
  every(rule: { readonly cron: string; readonly tz: string }, job: Job, id: string): Promise<void>;
  /** Stops a job registered with `at` or `every`. */
  cancel(id: string): Promise<void>;
}
