import { type Activity, TurnContext } from 'botbuilder';
import type { Actor, Where } from '../../src/core';

/** Tenant of an activity, prefixed by the platform ("teams:<tenant id>"). */
export function tenantOf(activity: Partial<Activity>): string {
  const data = activity.channelData as { tenant?: { id?: string } } | undefined;
  const id = activity.conversation?.tenantId ?? data?.tenant?.id;
  // The Agents Playground and some test tools send no tenant: everything lands in one local tenant.
  return `teams:${id || 'local'}`;
}

/** The stable user id: the Entra object id, else the channel id of the account (playground). */
export function userIdOf(account: { id: string; aadObjectId?: string } | undefined): string {
  return account?.aadObjectId || account?.id || 'unknown';
}

/**
 * Zones already found valid. Building an `Intl.DateTimeFormat` is costly and `actorOf`
 * runs several times per activity (it was 8% of the CPU of an answer invoke,
 * docs/benchmarks.md); only valid zones are kept, a finite set.
 */
const knownZones = new Set<string>();

/** True when `tz` is an IANA zone this runtime knows. */
function validZone(tz: string | undefined): tz is string {
  if (!tz) return false;
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    knownZones.add(tz);
    return true;
  } catch {
    return false;
  }
}

/** Who sent an activity, in the core's terms. Teams has no workspace admins for the core. */
export function actorOf(activity: Partial<Activity>): Actor {
  const tz = validZone(activity.localTimezone) ? activity.localTimezone : undefined;
  return {
    platform: 'teams',
    tenant: tenantOf(activity),
    userId: userIdOf(activity.from),
    name: activity.from?.name || 'Teams user',
    ...(tz ? { tz } : {}),
    isAdmin: false,
    // The channel account id, kept in posts' answerer lists (refresh.userIds).
    ...(activity.from?.aadObjectId && activity.from.id ? { aliases: [activity.from.id] } : {}),
  };
}

/**
 * The channel's own conversation id: a message in a channel thread arrives with
 * "19:…@thread.tacv2;messageid=…", but posts, tallies and organizers belong to the channel.
 */
export function baseConversationId(id: string): string {
  return id.split(';messageid=')[0] as string;
}

/** Where an activity happened: personal chat → dm, channel → channel, group chat → group. */
export function whereOf(activity: Partial<Activity>): Where {
  const conv = activity.conversation;
  const type = conv?.conversationType;
  const kind =
    type === 'channel'
      ? 'channel'
      : type === 'groupChat' || (type !== 'personal' && conv?.isGroup)
        ? 'group'
        : 'dm';
  const data = activity.channelData as { channel?: { name?: string } } | undefined;
  const name = data?.channel?.name ?? conv?.name;
  return {
    platform: 'teams',
    tenant: tenantOf(activity),
    id: baseConversationId(conv?.id ?? 'unknown'),
    kind,
    ...(name ? { name } : {}),
  };
}

interface MentionEntity {
  type: string;
  text?: string;
  mentioned?: { id?: string; name?: string; aadObjectId?: string };
}

/**
 * The command typed in a message: the bot's own @mention removed, other people's
 * mentions turned into `<@id>` tokens (so `organizer add @Dana` names Dana by her
 * stable id), Teams markup and non-breaking spaces dropped.
 */
export function commandText(
  activity: Activity,
  idOfMention: (m: { id?: string; aadObjectId?: string }) => string | undefined,
): string {
  let text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
  const botId = activity.recipient?.id;
  const tokens: string[] = [];
  for (const e of (activity.entities ?? []) as MentionEntity[]) {
    if (e.type !== 'mention' || !e.mentioned || e.mentioned.id === botId || !e.text) continue;
    const id = idOfMention(e.mentioned);
    if (!id || !text.includes(e.text)) continue;
    // A placeholder survives the markup clean-up below; the token replaces it afterwards.
    text = text.split(e.text).join(` \ue000${tokens.length}\ue000 `);
    tokens.push(`<@${id}>`);
  }
  return text
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/\ue000(\d+)\ue000/g, (_, i: string) => tokens[Number(i)] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
