import type { Actor, MessageRef, Messenger, Reply, Where } from '../../src/core';

/** A Messenger that records what was sent: tests read like conversations. */
export class RecordingMessenger implements Messenger {
  readonly posts: Array<{
    where: Where;
    reply: Reply;
    thread?: MessageRef;
    sendKey?: string;
    ref: MessageRef;
  }> = [];
  readonly updates: Array<{ ref: MessageRef; reply: Reply }> = [];
  readonly privates: Array<{ where: Where; userId: string; reply: Reply }> = [];
  private n = 0;

  async post(
    where: Where,
    reply: Reply,
    options: { thread?: MessageRef; sendKey?: string } = {},
  ): Promise<MessageRef> {
    const ref = { where, id: `m${++this.n}` };
    this.posts.push({ where, reply, ...options, ref });
    return ref;
  }

  async update(ref: MessageRef, reply: Reply): Promise<void> {
    this.updates.push({ ref, reply });
  }

  async postPrivate(where: Where, userId: string, reply: Reply): Promise<void> {
    this.privates.push({ where, userId, reply });
  }

  async openDirect(actor: Pick<Actor, 'platform' | 'tenant' | 'userId'>): Promise<Where> {
    return { platform: actor.platform, tenant: actor.tenant, id: `dm-${actor.userId}`, kind: 'dm' };
  }
}
