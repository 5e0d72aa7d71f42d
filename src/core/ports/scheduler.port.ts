import type { ClockTime } from '../commands/command';
import type { Platform, Where } from '../model';
import type { MessageRef } from './messenger.port';

/** Work the scheduler hands back to the core at the right time. */
export type Job =
  | {
      readonly name: 'reveal';
      readonly tenant: string;
      readonly postId: string;
      /** The post's reveal time (ms) the job was made for; one the post no longer has does nothing. */
      readonly at?: number;
    }
  | { readonly name: 'tally'; readonly tenant: string; readonly postId: string }
  | {
      readonly name: 'exam-deadline';
      readonly tenant: string;
      readonly userId: string;
      readonly examId: string;
      readonly platform: Platform;
    }
  | {
      readonly name: 'daily-post';
      readonly tenant: string;
      readonly channelId: string;
      /** When this occurrence was due (ms); the engine sets it. Absent: now. */
      readonly due?: number;
    }
  /** One workspace's daily posts prepared ahead for the instant `due` (ms), sent together. */
  | { readonly name: 'daily-batch'; readonly tenant: string; readonly due: number }
  | { readonly name: 'reminder'; readonly tenant: string; readonly userId: string; readonly due?: number }
  | { readonly name: 'nudge'; readonly tenant: string; readonly userId: string; readonly due?: number };

/** A job with the instant its occurrence was due (engines call this before `runJob`). */
export function withDue(job: Job, due: Date): Job {
  switch (job.name) {
    case 'daily-post':
    case 'reminder':
    case 'nudge':
      return { ...job, due: due.getTime() };
    default:
      return job;
  }
}

/** A channel's daily question (`daily on HH:MM [tz] [weekdays|daily]`). */
export interface DailySchedule {
  readonly tenant: string;
  readonly where: Where;
  readonly at: ClockTime;
  readonly tz: string;
  readonly days: 'daily' | 'weekdays';
  /** `daily reveal HH:MM`; absent: 8 hours after the post. */
  readonly reveal?: ClockTime;
  readonly enabled: boolean;
  /** Who turned it on (told when the schedule stops by itself). */
  readonly organizer: string;
  /** Why it stopped by itself (`not-in-channel`, `uninstalled`). */
  readonly disabledReason?: string;
  readonly updatedAt: number;
}

/** A learner's reminder settings (`remind HH:MM`, `quiet HH:MM-HH:MM`); the actor fields the job needs. */
export interface Reminder {
  readonly tenant: string;
  readonly platform: Platform;
  readonly userId: string;
  readonly name: string;
  /** Resolved when set: profile tz, else platform tz, else workspace tz. */
  readonly tz: string;
  /** Absent: no reminder time (quiet hours may still be set). */
  readonly at?: ClockTime;
  readonly days: 'daily' | 'weekdays';
  readonly quiet?: { readonly from: ClockTime; readonly to: ClockTime };
  readonly enabled: boolean;
  readonly disabledReason?: string;
  readonly updatedAt: number;
}

/**
 * Where one outgoing send stands (see src/schedule/send-once.ts):
 * `fresh`: never attempted, the caller holds the lease and may send;
 * `unknown`: attempted by a holder that vanished before recording: it may have reached the
 * platform (look it up where possible), the caller holds the lease;
 * `held`: another worker holds the lease now; `sent`: done, with the platform's ref.
 * `readyAt` is a rate-limit slot reserved by an earlier attempt (ms).
 */
export type SendClaim =
  | { readonly state: 'fresh' | 'unknown'; readonly readyAt?: number }
  | { readonly state: 'held'; readonly retryAfterMs: number }
  | { readonly state: 'sent'; readonly ref: MessageRef };

/**
 * When things happen. The core asks; an engine (in-process timers, or BullMQ on Redis:
 * src/schedule) runs `job` through the dispatcher it was built with. Registering the
 * same `id` twice keeps one job (`every` with a new rule replaces the old one).
 */
export interface Scheduler {
  /** Runs `job` once at `when` (at once if `when` has passed). */
  at(when: Date, job: Job, id: string): Promise<void>;
  /** Runs `job` on a cron rule in an IANA time zone. */
  every(rule: { readonly cron: string; readonly tz: string }, job: Job, id: string): Promise<void>;
  /** Stops a job registered with `at` or `every`. */
  cancel(id: string): Promise<void>;
}
