import type Redis from 'ioredis';
import type { Actor, MessageRef, Messenger, Reply, Where } from '../../src/core';

/** One recorded platform call, as the fake platform saw it. */
export interface Sent {
  readonly sendKey?: string;
  readonly where: Where;
  readonly kind: Reply['kind'];
  readonly thread?: string;
  readonly id: string;
  readonly pid: number;
}

/**
 * A Messenger for several processes: every accepted post is appended to a Redis list, so
 * a test can count deliveries across workers. `findSent` (Slack's lookup by the key in
 * the message metadata) is offered only when `lookup` is true; Teams has none.
 */
export function redisRecordingMessenger(
  redis: Redis,
  list: string,
  lookup: boolean,
  hooks: { afterAccepted?: (key: string) => Promise<void> } = {},
): Messenger {
  const m: Messenger = {
    async post(where: Where, reply: Reply, options?: { thread?: MessageRef; sendKey?: string }) {
      const id = `m${await redis.incr(`${list}:seq`)}`;
      const sent: Sent = {
        ...(options?.sendKey ? { sendKey: options.sendKey } : {}),
        where,
        kind: reply.kind,
        ...(options?.thread ? { thread: options.thread.id } : {}),
        id,
        pid: process.pid,
      };
      await redis.rpush(list, JSON.stringify(sent));
      if (options?.sendKey) await hooks.afterAccepted?.(options.sendKey);
      return { where, id };
    },
    async update() {},
    async postPrivate() {},
    async openDirect(actor: Pick<Actor, 'platform' | 'tenant' | 'userId'>): Promise<Where> {
      return { platform: actor.platform, tenant: actor.tenant, id: `dm-${actor.userId}`, kind: 'dm' };
    },
  };
  if (lookup)
    m.findSent = async (where, sendKey) => {
      for (const raw of await redis.lrange(list, 0, -1)) {
        const s = JSON.parse(raw) as Sent;
        if (s.sendKey === sendKey && s.where.id === where.id) return { where, id: s.id };
      }
      return undefined;
    };
  return m;
}

/** Everything recorded in `list`. */
export async function recorded(redis: Redis, list: string): Promise<Sent[]> {
  return (await redis.lrange(list, 0, -1)).map((raw) => JSON.parse(raw) as Sent);
}
