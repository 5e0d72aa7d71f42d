import type { Bucket, Platform, Where } from '../core';

/** A limit: `capacity` sends at once, refilled at `perSecond`. */
export interface Limit {
  readonly capacity: number;
  readonly perSecond: number;
}

/** The limits that bind outgoing posts on one platform. */
export interface PlatformLimits {
  /** Per channel or conversation. */
  readonly conversation: Limit;
  /** Per workspace (Slack) or tenant (Teams), for the posting method. */
  readonly tenant: Limit;
}

/**
 * Defaults. Slack: `chat.postMessage` allows about one message a second per channel
 * (short bursts tolerated) and a workspace-wide budget of several hundred a minute (300
 * here). Teams (Bot Connector): 7 messages a second per conversation, and about 50
 * requests a second per bot per tenant.
 */
export const defaultLimits: Readonly<Record<Platform, PlatformLimits>> = {
  slack: { conversation: { capacity: 1, perSecond: 1 }, tenant: { capacity: 10, perSecond: 5 } },
  teams: { conversation: { capacity: 7, perSecond: 7 }, tenant: { capacity: 50, perSecond: 50 } },
  local: { conversation: { capacity: 100, perSecond: 100 }, tenant: { capacity: 1000, perSecond: 1000 } },
};

/** Arrival jitter the headroom absorbs: 150 ms of refill. */
const JITTER_S = 0.15;

/**
 * Burst kept unused in a workspace's bucket. The platform counts a message when it
 * arrives, we count it when its slot is taken; a message that takes longer to arrive
 * than the ones before it (a burst queued on the way) finds the platform's full bucket
 * idle meanwhile, its refill lost, and a later message that arrives quickly is refused
 * (a 429 costs a Retry-After of a second or more). The tokens that refill in
 * {@link JITTER_S} absorb that much jitter (Teams: 8 of 50; Slack: 1 of 10), at the price
 * of as long once per burst.
 */
export const headroom = (l: Limit): number => Math.min(l.capacity - 1, Math.ceil(l.perSecond * JITTER_S));

/** The buckets one post takes a token from, widest first. */
export function postBuckets(limits: PlatformLimits, where: Where): Bucket[] {
  const method = where.platform === 'slack' ? 'chat.postMessage' : 'post';
  const tenant = limits.tenant;
  return [
    {
      key: `rl:${where.platform}:${where.tenant}:${method}`,
      ...tenant,
      capacity: tenant.capacity - headroom(tenant),
    },
    { key: `rl:${where.platform}:${where.tenant}:conv:${where.id}`, ...limits.conversation },
  ];
}
