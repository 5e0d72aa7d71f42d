import type { Actor, Where } from '../model';
import type { Reply } from '../reply';
import type { Logger } from './logger.port';

/** A sent message, as the platform identifies it, so it can be edited or replied to. */
export interface MessageRef {
  readonly where: Where;
  /** Slack `ts`, Teams activity id. */
  readonly id: string;
}

/** How a message is posted. */
export interface PostOptions {
  /** Post as a reply to this message. */
  readonly thread?: MessageRef;
  /** Sent once by this key (see src/schedule/send-once.ts). */
  readonly sendKey?: string;
  /**
   * How long the caller can wait in place for a rate-limit slot; a longer wait is thrown as
   * `DeliveryError('rate-limited')` with the wait. Default: the messenger's own choice.
   */
  readonly mayWaitMs?: number;
  /**
   * Sent by a scheduled job: a rate-limit wait longer than a moment, or a send held by
   * another worker, is thrown as `DeliveryError('rate-limited')` so that the engine delays
   * the job, instead of being slept through. Default: an interactive send, which waits.
   */
  readonly scheduled?: boolean;
  /** Where the send logs its trouble: the request's logger, so that those lines carry the request. */
  readonly logger?: Logger;
}

/**
 * How the core reaches a conversation without an incoming event (daily posts, reveals,
 * reminders). Each adapter implements it. Sends may throw a {@link DeliveryError}.
 */
export interface Messenger {
  /** Posts in a conversation; `thread` posts as a reply to that message. */
  post(where: Where, reply: Reply, options?: PostOptions): Promise<MessageRef>;
  /** Replaces a message the bot sent. */
  update(ref: MessageRef, reply: Reply): Promise<void>;
  /** Shows a reply only to one user in a conversation (Slack ephemeral, Teams 1:1). */
  postPrivate(where: Where, userId: string, reply: Reply): Promise<void>;
  /** The direct conversation with a user. */
  openDirect(actor: Pick<Actor, 'platform' | 'tenant' | 'userId'>): Promise<Where>;
  /**
   * Finds a message this bot already sent in `where` with `sendKey` (Slack: the key in the
   * message `metadata`, via `conversations.history`), so a worker that died after the
   * platform accepted a send can recover without sending twice. Optional: a platform
   * with no lookup (Teams) leaves it out, and such a gap is counted as at-most-once.
   */
  findSent?(where: Where, sendKey: string): Promise<MessageRef | undefined>;
}

/** A send that failed for a reason the caller should act on. */
export class DeliveryError extends Error {
  constructor(
    readonly code: 'not-in-channel' | 'uninstalled' | 'rate-limited' | 'failed',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * `messenger` with `defaults` added to the options of every post (a post's own options
 * win): the core's view of the messenger inside a scheduled job (`scheduled`) or while
 * handling a request (the request's `logger`).
 */
export function postingWith(messenger: Messenger, defaults: PostOptions): Messenger {
  const findSent = messenger.findSent?.bind(messenger);
  return {
    post: (where, reply, options) => messenger.post(where, reply, { ...defaults, ...options }),
    update: (ref, reply) => messenger.update(ref, reply),
    postPrivate: (where, userId, reply) => messenger.postPrivate(where, userId, reply),
    openDirect: (actor) => messenger.openDirect(actor),
    ...(findSent ? { findSent } : {}),
  };
}
