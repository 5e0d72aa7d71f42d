import type { webApi } from '@slack/bolt';
import type { Actor, Logger, Store, Where } from '../../src/core';

/** Platform profile data is cached for an hour: a changed time zone or admin role shows up within that. */
const PROFILE_TTL_SECONDS = 3600;
/** On top of the shared cache, each process keeps what it read for a minute (no round trip per click). */
const LOCAL_TTL_MS = 60_000;
const LOCAL_MAX = 10_000;

/** The tenant of a Slack workspace: its team id (never the enterprise id, so each workspace stays apart). */
export const tenantOf = (teamId: string) => `slack:${teamId}`;

/**
 * The conversation kind from what Slack tells: `channel_type` on message events
 * (`im`, `mpim`, `channel`, `group`), or `channel_name` on commands and actions
 * (`directmessage`, `mpdm-…`); DM channel ids start with D.
 */
export function whereOf(
  tenant: string,
  channelId: string,
  hints: { channelType?: string; channelName?: string } = {},
): Where {
  const { channelType, channelName } = hints;
  const kind: Where['kind'] =
    channelType === 'im' || channelName === 'directmessage' || (!channelType && channelId.startsWith('D'))
      ? 'dm'
      : channelType === 'mpim' || channelName?.startsWith('mpdm-')
        ? 'group'
        : 'channel';
  const name = kind === 'channel' && channelName && channelName !== 'privategroup' ? channelName : undefined;
  return { platform: 'slack', tenant, id: channelId, kind, ...(name ? { name } : {}) };
}

interface UsersInfo {
  user?: {
    name?: string;
    real_name?: string;
    tz?: string;
    is_admin?: boolean;
    is_owner?: boolean;
    profile?: { display_name?: string; real_name?: string };
  };
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;

/**
 * Builds the {@link Actor} for a Slack user: name, time zone and admin flag from
 * `users.info`, cached in the store (shared by replicas, an hour) and in this process (a
 * minute). When Slack cannot be asked, the event's own name is used and the user is
 * treated as a non-admin.
 */
export class Identities {
  private readonly local = new Map<string, { profile: Record<string, string>; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  async actor(teamId: string, userId: string, fallbackName?: string): Promise<Actor> {
    // Payloads are signed by Slack, but a malformed one must not put arrays or numbers into
    // store keys and script arguments (ioredis flattens arrays, shifting the arguments).
    if (!isId(teamId) || !isId(userId)) throw new Error('slack payload without a usable team or user id');
    if (typeof fallbackName !== 'string') fallbackName = undefined;
    const tenant = tenantOf(teamId);
    const localKey = `${tenant}|${userId}`;
    const now = Date.now();
    const known = this.local.get(localKey);
    // The cache is only a cache: without the store, Slack is asked (and the core then says "try again").
    let p = known && known.until > now ? known.profile : undefined;
    let fresh = false;
    if (!p) {
      p = await this.store.getCachedProfile(tenant, userId).catch(() => undefined);
      fresh = p !== undefined;
    }
    if (!p) {
      try {
        const res = (await this.client.users.info({ user: userId })) as UsersInfo;
        const u = res.user ?? {};
        p = {
          name:
            u.profile?.display_name ||
            u.real_name ||
            u.profile?.real_name ||
            u.name ||
            fallbackName ||
            userId,
          admin: u.is_admin || u.is_owner ? '1' : '0',
          ...(u.tz ? { tz: u.tz } : {}),
        };
        fresh = true;
        await this.store.cacheProfile(tenant, userId, p, PROFILE_TTL_SECONDS).catch(() => undefined);
      } catch (err) {
        this.logger.warn(
          { tenant, err: (err as Error).message },
          'users.info failed: using the name from the event',
        );
        p = { name: fallbackName || userId, admin: '0' };
      }
    }
    // What Slack told (or the shared cache held) is kept here too; a fallback is not.
    if (fresh) {
      if (this.local.size >= LOCAL_MAX) this.local.clear();
      this.local.set(localKey, { profile: p, until: now + LOCAL_TTL_MS });
    }
    return {
      platform: 'slack',
      tenant,
      userId,
      name: p.name ?? userId,
      isAdmin: p.admin === '1',
      ...(p.tz ? { tz: p.tz } : {}),
    };
  }
}
