import { randomUUID } from 'node:crypto';
import {
  type Actor,
  type Clock,
  DeliveryError,
  type Logger,
  type MessageRef,
  type Messenger,
  type PostOptions,
  type Reply,
  type Store,
  sleep,
  systemClock,
  type Where,
} from '../core';
import { type PlatformLimits, postBuckets } from './rate-limits';

/** Options of {@link SendOnceMessenger}. */
export interface SendOnceOptions {
  readonly store: Store;
  readonly limits: PlatformLimits;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** How long a worker holds a send before another may take it over. Default 30 s. */
  readonly leaseMs?: number;
  /** How long a send key is remembered. Default 3 days. */
  readonly keepSeconds?: number;
  /** Longest inline wait for an interactive send (no job to delay). Default 10 s. */
  readonly maxInlineWaitMs?: number;
}

/** Waits up to this long inline even inside a job: cheaper than a round trip through the queue. */
const INLINE_MS = 25;
/** Unique per process: part of every lease holder's name. */
const processTag = randomUUID().slice(0, 8);

/**
 * Wraps one platform's {@link Messenger} so that posts are paced and sent once.
 *
 * **Pacing.** Every post reserves a slot in Redis token buckets (per tenant and method,
 * then per conversation, shared by all replicas). For a post of a scheduled job
 * (`scheduled`), a slot that is not ready yet throws `DeliveryError('rate-limited', …,
 * waitMs)`, and the engine delays only that job (unless the caller can wait that long in
 * place: `mayWaitMs`); the slot stays reserved with the send, so the job does not queue
 * again.
 * A platform 429 is thrown the same way with its Retry-After.
 *
 * **Once.** A post with a `sendKey` claims it (a lease) before the call, marks it
 * attempted right before the call and records the platform's ref after it. A retry that
 * finds the key `sent` returns the ref without sending; one that finds it attempted but
 * unrecorded (the worker died in between) asks the platform (`findSent`, Slack); where
 * there is no lookup (Teams) it sends nothing, counts `send-unconfirmed` for the tenant,
 * and returns a ref with an empty id: at most once.
 */
export class SendOnceMessenger implements Messenger {
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly keepSeconds: number;
  private readonly maxInlineWaitMs: number;

  constructor(
    private readonly inner: Messenger,
    private readonly options: SendOnceOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.keepSeconds = options.keepSeconds ?? 3 * 86_400;
    this.maxInlineWaitMs = options.maxInlineWaitMs ?? 10_000;
  }

  async post(where: Where, reply: Reply, options?: PostOptions): Promise<MessageRef> {
    const key = options?.sendKey;
    if (!key) {
      await this.waitFor(await this.reserve(where));
      return this.inner.post(where, reply, options);
    }
    for (let tries = 0; ; tries++) {
      const ref = await this.postOnce(where, reply, options, key, `${where.tenant}|${key}`);
      if (ref) return ref;
      if (tries > 20) throw new DeliveryError('failed', `send ${key} stayed held by another worker`);
    }
  }

  /** One try; undefined when the caller should try again (interactive waits only). */
  private async postOnce(
    where: Where,
    reply: Reply,
    options: PostOptions | undefined,
    sendKey: string,
    /** The send key scoped by tenant: post ids are unique only within one. */
    key: string,
  ): Promise<MessageRef | undefined> {
    const { store } = this.options;
    const logger = options?.logger ?? this.options.logger;
    const holder = `${processTag}:${randomUUID().slice(0, 8)}`;
    const claim = await store.claimSend(key, holder, this.leaseMs, this.keepSeconds);
    if (claim.state === 'sent') return claim.ref;
    if (claim.state === 'held') {
      if (options?.scheduled)
        throw new DeliveryError('rate-limited', `send ${key} is held by another worker`, claim.retryAfterMs);
      await sleep(Math.min(claim.retryAfterMs, 1000));
      return undefined;
    }
    if (claim.state === 'unknown') {
      if (!this.inner.findSent) {
        // Teams: no lookup. Sending again could duplicate; not sending may lose it. At most once.
        const ref: MessageRef = { where, id: '' };
        await store.recordSent(key, ref, this.keepSeconds);
        await store.countEvent(where.tenant, 'send-unconfirmed');
        logger.warn(
          { tenant: where.tenant, key },
          'send unconfirmed after a worker died: not repeated (at most once)',
        );
        return ref;
      }
      const found = await this.inner.findSent(where, sendKey);
      if (found) {
        await store.recordSent(key, found, this.keepSeconds);
        await store.countEvent(where.tenant, 'send-recovered');
        logger.info({ tenant: where.tenant, key }, 'send found on the platform after a worker died');
        return found;
      }
    }
    const now = this.clock.now().getTime();
    const wait = claim.readyAt !== undefined ? Math.max(0, claim.readyAt - now) : await this.reserve(where);
    // A job is told to come back (the engine delays it) unless its caller said it can wait.
    const mayWait = options?.mayWaitMs ?? (options?.scheduled ? INLINE_MS : this.maxInlineWaitMs);
    if (wait > mayWait) {
      // The slot stays reserved with the send: the next try does not queue again.
      await store.releaseSend(key, holder, now + wait);
      throw new DeliveryError('rate-limited', `rate limit: ${where.platform} ${where.tenant}`, wait);
    }
    if (wait > 0) await sleep(wait);
    if (!(await store.markAttempt(key, holder))) return undefined;
    let ref: MessageRef;
    try {
      ref = await this.inner.post(where, reply, options);
    } catch (err) {
      // The platform answered with a refusal: nothing was posted, the next try is fresh.
      // Anything else (a timeout) may have been posted: the key stays attempted.
      if (err instanceof DeliveryError) await store.releaseSend(key, holder);
      throw err;
    }
    await store.recordSent(key, ref, this.keepSeconds);
    return ref;
  }

  /** Reserves this post's slot in every bucket; returns how long until it is ready. */
  private reserve(where: Where): Promise<number> {
    return this.options.store.reserveTokens(postBuckets(this.options.limits, where));
  }

  private async waitFor(ms: number): Promise<void> {
    if (ms <= 0) return;
    if (ms > this.maxInlineWaitMs)
      throw new DeliveryError('rate-limited', 'rate limit: the send would wait too long', ms);
    await sleep(ms);
  }

  update(ref: MessageRef, reply: Reply): Promise<void> {
    return this.inner.update(ref, reply);
  }

  postPrivate(where: Where, userId: string, reply: Reply): Promise<void> {
    return this.inner.postPrivate(where, userId, reply);
  }

  openDirect(actor: Pick<Actor, 'platform' | 'tenant' | 'userId'>): Promise<Where> {
    return this.inner.openDirect(actor);
  }
}
