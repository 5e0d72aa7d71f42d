import { join } from 'node:path';
import type { Bank } from '../../src/core';
import { loadPack } from '../../src/packs/load-pack';
import { FakeSlackApi, type RecordedCall } from '../../test/slack/fake-slack-api';
import { answerAction, blockAction, cardIds, send, slashCommand } from '../../test/slack/slack-harness';
import type { Click, ClickGateway } from './click-gateway';
import { ROOT } from './processes';

/** A channel question as posted to the fake, and the click that answers it correctly. */
export interface SlackPost {
  readonly postId: string;
  readonly channel: { id: string; name: string };
  readonly message: RecordedCall['body'];
  readonly answer: ReturnType<typeof answerAction>;
}

const ORGANIZER = 'UORGANIZER';

/**
 * Slack answer clicks for the benchmarks: the fake Slack Web API of the tests (its
 * `response_url` posts forwarded to the click gateway as feedback), channel questions
 * posted through the service with `/study daily now`, and signed `block_actions`
 * payloads as Slack sends them (with the clicked message), one distinct user per click
 * on each post, so that every click is a new attempt that records.
 */
export class SlackClicks {
  readonly team = `TB${Date.now().toString(36).toUpperCase()}`;
  private readonly bank: Bank = loadPack(join(ROOT, 'questions', 'az400'));

  private constructor(readonly fake: FakeSlackApi) {}

  static async start(gateway: ClickGateway): Promise<SlackClicks> {
    const fake = await FakeSlackApi.start();
    fake.users.set(ORGANIZER, { name: 'organizer', is_admin: true, tz: 'Europe/Berlin' });
    // The fake records every call; the gateway hears of each `respond` as it is recorded.
    const calls = fake.calls;
    const push = calls.push.bind(calls);
    calls.push = (...items: RecordedCall[]) => {
      for (const c of items) if (c.method === 'respond') gateway.feedback(String(c.body.responseId), c.body);
      return push(...items);
    };
    return new SlackClicks(fake);
  }

  get tenant(): string {
    return `slack:${this.team}`;
  }

  /** Posts a question in `channelId` through the service (`/study daily now`) and reads it back from the fake. */
  async post(serviceUrl: string, channelId: string): Promise<SlackPost> {
    const channel = { id: channelId, name: `bench-${channelId.toLowerCase()}` };
    const res = await send(
      { url: serviceUrl },
      slashCommand(this.fake, {
        team: this.team,
        user: ORGANIZER,
        channel: channel.id,
        channelName: channel.name,
        text: 'daily now',
      }),
    );
    if (res.status !== 200) throw new Error(`daily now answered ${res.status}`);
    const call = await this.fake.waitFor(
      `the question in ${channelId}`,
      () =>
        this.fake
          .callsTo('chat.postMessage')
          .find((c) => c.body.channel === channelId && Array.isArray(c.body.blocks)),
      15_000,
    );
    const blocks = call.body.blocks as unknown[];
    const { id: postId, questionId } = cardIds(blocks);
    const key = this.bank.item(questionId)?.key;
    if (!key) throw new Error(`posted question ${questionId} is not in the pack`);
    return {
      postId,
      channel,
      message: { ...call.body, ts: call.response?.ts },
      answer: answerAction(blocks, key),
    };
  }

  /** One click per (post, user), posts outermost: everyone answers a post, then the next. */
  clicks(posts: readonly SlackPost[], users: readonly string[]): Click[] {
    return posts.flatMap((p) =>
      users.map((user) => {
        const r = blockAction(this.fake, {
          team: this.team,
          user,
          channel: p.channel,
          message: p.message,
          action: p.answer.action,
          ...(p.answer.state ? { state: p.answer.state } : {}),
        });
        const payload = JSON.parse(new URLSearchParams(r.body).get('payload') ?? '{}') as {
          response_url: string;
        };
        return {
          path: '/slack/events',
          headers: {
            'content-type': r.contentType,
            'x-slack-request-timestamp': String(r.ts),
            'x-slack-signature': r.signature,
          },
          body: r.body,
          feedbackId: payload.response_url.split('/respond/')[1] ?? '',
        };
      }),
    );
  }

  /** What reached the `response_url`: answer feedback, or one of the service's refusals. */
  static classify(body: unknown): string {
    const text = JSON.stringify(body);
    if (text.includes('a lot at once')) return 'rate-limited';
    if (text.includes('no longer available')) return 'gone';
    if (text.includes('went wrong')) return 'error';
    if (text.includes('already answered')) return 'already-answered';
    return 'feedback';
  }

  /** Forgets the fake's recorded calls (they pile up over a long run). */
  clear(): void {
    this.fake.calls.length = 0;
  }

  close(): Promise<void> {
    return this.fake.close();
  }
}
