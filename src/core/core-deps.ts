import type { Bank } from './bank';
import type { Clock, Logger, Messenger, Scheduler, Store } from './ports';

/** Tunable rules, with defaults from PRODUCT.md. */
export interface CoreOptions {
  /** Points for a correct first attempt. */
  readonly pointsPerCorrect: number;
  /** Hours after a post when the answer is revealed if no reveal time is set. */
  readonly revealAfterHours: number;
  /** Seconds between two tally edits of one shared card (edits are coalesced). */
  readonly tallyEverySeconds: number;
  /** How long an unfinished practice session is kept. */
  readonly sessionTtlSeconds: number;
  /** Per-user rate limit on actions: a burst, then a steady rate per second. */
  readonly userBurst: number;
  readonly userPerSecond: number;
}

export const defaultCoreOptions: CoreOptions = {
  pointsPerCorrect: 10,
  revealAfterHours: 8,
  tallyEverySeconds: 5,
  sessionTtlSeconds: 7 * 24 * 3600,
  userBurst: 20,
  userPerSecond: 0.5,
};

/** What the core is built from: the bank and the ports. */
export interface CoreDeps {
  readonly bank: Bank;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Needed for channel posts and reveals; absent in a terminal chat. */
  readonly messenger?: Messenger;
  readonly scheduler?: Scheduler;
  readonly options?: Partial<CoreOptions>;
}
