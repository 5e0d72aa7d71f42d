import { createHash } from 'node:crypto';
import type { Store } from '../../src/core';

/** A signature stays valid for 5 minutes either way; its replay guard outlives that. */
const SIGNATURE_TTL_SECONDS = 600;
/** Slack retries an event for about an hour (immediately, after 1 min, after 5 min). */
const EVENT_TTL_SECONDS = 3600;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * True the first time a delivery is seen, across all replicas (the claims live in the
 * store): a validly signed request replayed inside its 5-minute window, an Events API
 * retry (same `event_id`, new signature), or a repeated interaction payload (same raw
 * body) are claimed once and acknowledged without being processed again.
 */
export async function firstDelivery(
  store: Store,
  delivery: { body: Record<string, unknown>; signature?: string; raw?: string; interactive: boolean },
): Promise<boolean> {
  if (
    delivery.signature &&
    !(await store.claimOnce(`slack:sig:${delivery.signature}`, SIGNATURE_TTL_SECONDS))
  )
    return false;
  const eventId = delivery.body.event_id;
  if (typeof eventId === 'string' && !(await store.claimOnce(`slack:event:${eventId}`, EVENT_TTL_SECONDS)))
    return false;
  if (delivery.interactive) {
    const raw = delivery.raw ?? JSON.stringify(delivery.body);
    if (!(await store.claimOnce(`slack:interaction:${sha256(raw)}`, SIGNATURE_TTL_SECONDS))) return false;
  }
  return true;
}
