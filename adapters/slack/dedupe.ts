import { createHash } from 'node:crypto';
import type { Logger, Store } from '../../src/core';

/** A signature stays valid for 5 minutes either way; its replay guard outlives that. */
const SIGNATURE_TTL_SECONDS = 600;
/** Slack retries an event for about an hour (immediately, after 1 min, after 5 min). */
const EVENT_TTL_SECONDS = 3600;

/** What identifies a delivery: its body, and over HTTP its signature and raw bytes. */
interface Delivery {
  readonly body: Record<string, unknown>;
  readonly signature?: string;
  readonly raw?: string;
  readonly interactive: boolean;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * True the first time a delivery is seen, across all replicas (the claims live in the
 * store): a validly signed request replayed inside its 5-minute window, an Events API
 * retry (same `event_id`, new signature), or a repeated interaction payload (same raw
 * body) are claimed once and acknowledged without being processed again. When the store
 * cannot be reached the delivery counts as new: it is processed (the core then answers
 * "try again") rather than failed, and a repeat may slip through meanwhile.
 */
export async function firstDelivery(store: Store, delivery: Delivery, logger?: Logger): Promise<boolean> {
  try {
    return await claimDelivery(store, delivery);
  } catch (err) {
    logger?.warn({ err: (err as Error).message }, 'slack replay guard unavailable: processing the delivery');
    return true;
  }
}

/** Logs a delivery seen before, which is acknowledged and not processed. */
export function repeated(logger: Logger, body: unknown, retry?: unknown): void {
  const eventId = (body as { event_id?: unknown }).event_id;
  logger.info({ eventId, retry }, 'repeated slack delivery acknowledged, not processed');
}

async function claimDelivery(store: Store, delivery: Delivery): Promise<boolean> {
  // Every claim is made (in one round trip): each key must be taken for its own repeats.
  const claims: Array<Promise<boolean>> = [];
  if (delivery.signature)
    claims.push(store.claimOnce(`slack:sig:${delivery.signature}`, SIGNATURE_TTL_SECONDS));
  const eventId = delivery.body.event_id;
  if (typeof eventId === 'string') claims.push(store.claimOnce(`slack:event:${eventId}`, EVENT_TTL_SECONDS));
  if (delivery.interactive) {
    const raw = delivery.raw ?? JSON.stringify(delivery.body);
    claims.push(store.claimOnce(`slack:interaction:${sha256(raw)}`, SIGNATURE_TTL_SECONDS));
  }
  return (await Promise.all(claims)).every(Boolean);
}
