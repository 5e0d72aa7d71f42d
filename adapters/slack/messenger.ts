import type { webApi } from '@slack/bolt';
import {
  type Actor,
  DeliveryError,
  type FileReply,
  type Logger,
  type MessageRef,
  type Messenger,
  type PostOptions,
  type Reply,
  type Store,
  sleep,
  type Where,
} from '../../src/core';
import { render } from './render';
import { toDeliveryError } from './web-client';

/** Slack allows about 50 `chat.update` calls a minute per workspace, for all cards together. */
const UPDATE_BUCKET = { capacity: 50, perSecond: 50 / 60 };
/** How long an edit waits for the workspace budget before giving up (the next tally job redoes it). */
const UPDATE_MAX_WAIT_MS = 60_000;

/** The conversation-ref key that marks a workspace whose app was uninstalled or whose tokens were revoked. */
export const UNINSTALLED_REF = 'slack:uninstalled';

/**
 * The core's {@link Messenger} on Slack: `chat.postMessage` (with the send key in the
 * message metadata, so a recovering worker can find what it already sent),
 * `chat.update` within the workspace's budget, `chat.postEphemeral`, and
 * `conversations.open`. Failures become {@link DeliveryError}s.
 */
export class SlackMessenger implements Messenger {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  async post(where: Where, reply: Reply, options?: PostOptions): Promise<MessageRef> {
    const msg = render(reply);
    const res = await this.call(
      'chat.postMessage',
      where.tenant,
      () =>
        this.client.chat.postMessage({
          channel: where.id,
          text: msg.text,
          blocks: msg.blocks,
          ...(options?.thread ? { thread_ts: options.thread.id } : {}),
          ...(options?.sendKey
            ? {
                metadata: {
                  event_type: 'study_companion_send',
                  event_payload: { send_key: options.sendKey },
                },
              }
            : {}),
        }),
      options?.logger,
    );
    if (!res.ts) throw new DeliveryError('failed', 'chat.postMessage returned no ts');
    return { where, id: res.ts };
  }

  /**
   * Finds a message this app posted with `sendKey` in its metadata among the channel's
   * latest top-level messages: how a send interrupted by a crash is recovered instead of
   * repeated. Thread replies are not searched (`conversations.history` lists top level only).
   */
  async findSent(where: Where, sendKey: string): Promise<MessageRef | undefined> {
    const res = await this.call('conversations.history', where.tenant, () =>
      this.client.conversations.history({ channel: where.id, limit: 100, include_all_metadata: true }),
    );
    const hit = res.messages?.find(
      (m) => (m.metadata?.event_payload as { send_key?: unknown } | undefined)?.send_key === sendKey,
    );
    return hit?.ts ? { where, id: hit.ts } : undefined;
  }

  async update(ref: MessageRef, reply: Reply): Promise<void> {
    await this.budget(ref.where.tenant);
    const msg = render(reply);
    await this.call('chat.update', ref.where.tenant, () =>
      this.client.chat.update({ channel: ref.where.id, ts: ref.id, text: msg.text, blocks: msg.blocks }),
    );
  }

  async postPrivate(where: Where, userId: string, reply: Reply): Promise<void> {
    const msg = render(reply);
    await this.call('chat.postEphemeral', where.tenant, () =>
      this.client.chat.postEphemeral({ channel: where.id, user: userId, text: msg.text, blocks: msg.blocks }),
    );
  }

  /** Uploads a file into a conversation (`files.uploadV2`, scope `files:write`). */
  async upload(where: Where, file: FileReply): Promise<void> {
    await this.call('files.uploadV2', where.tenant, () =>
      this.client.filesUploadV2({
        channel_id: where.id,
        filename: file.name,
        title: file.name,
        content: file.content,
      }),
    );
  }

  /** The DM with a user. Its channel id never changes, so it is kept as a conversation ref. */
  async openDirect(actor: Pick<Actor, 'platform' | 'tenant' | 'userId'>): Promise<Where> {
    const key = `slack:dm:${actor.userId}`;
    let id = await this.store.getConversationRef<string>(actor.tenant, key);
    if (!id) {
      const res = await this.call('conversations.open', actor.tenant, () =>
        this.client.conversations.open({ users: actor.userId }),
      );
      id = res.channel?.id;
      if (!id) throw new DeliveryError('failed', 'conversations.open returned no channel');
      await this.store.saveConversationRef(actor.tenant, key, id);
    }
    return { platform: 'slack', tenant: actor.tenant, id, kind: 'dm' };
  }

  /** Waits for a token of the workspace's `chat.update` budget (shared by all replicas through the store). */
  private async budget(tenant: string): Promise<void> {
    const started = Date.now();
    for (;;) {
      const t = await this.store.takeToken({ key: `slack:chat.update:${tenant}`, ...UPDATE_BUCKET });
      if (t.ok) return;
      if (Date.now() - started + t.retryAfterMs > UPDATE_MAX_WAIT_MS) {
        throw new DeliveryError(
          'rate-limited',
          'chat.update budget of the workspace is spent',
          t.retryAfterMs,
        );
      }
      await sleep(Math.max(50, t.retryAfterMs));
    }
  }

  /** One Web API call; a failure is logged (on the request's `logger` when given) and thrown as a `DeliveryError`. */
  private async call<T>(
    method: string,
    tenant: string,
    fn: () => Promise<T>,
    logger: Logger = this.logger,
  ): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = toDeliveryError(err, method);
      logger.warn({ method, tenant, code: e.code, err: e.message }, 'slack call failed');
      if (e.code === 'uninstalled')
        await this.store.saveConversationRef(tenant, UNINSTALLED_REF, true).catch(() => undefined);
      throw e;
    }
  }
}
