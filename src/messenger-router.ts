import type { Actor, MessageRef, Messenger, Platform, PostOptions, Reply, Where } from './core';

/**
 * One {@link Messenger} for the core that forwards each call to the adapter of the
 * conversation's platform. A platform without an adapter is a configuration bug.
 */
export class MessengerRouter implements Messenger {
  private readonly byPlatform = new Map<Platform, Messenger>();

  register(platform: Platform, messenger: Messenger): void {
    this.byPlatform.set(platform, messenger);
  }

  private pick(platform: Platform): Messenger {
    const m = this.byPlatform.get(platform);
    if (!m) throw new Error(`no messenger for platform "${platform}": is its adapter configured?`);
    return m;
  }

  post(where: Where, reply: Reply, options?: PostOptions): Promise<MessageRef> {
    return this.pick(where.platform).post(where, reply, options);
  }

  update(ref: MessageRef, reply: Reply): Promise<void> {
    return this.pick(ref.where.platform).update(ref, reply);
  }

  postPrivate(where: Where, userId: string, reply: Reply): Promise<void> {
    return this.pick(where.platform).postPrivate(where, userId, reply);
  }

  openDirect(actor: Pick<Actor, 'platform' | 'tenant' | 'userId'>): Promise<Where> {
    return this.pick(actor.platform).openDirect(actor);
  }
}
