import { join } from 'node:path';
import type { Bank } from '../../src/core';
import { loadPack } from '../../src/packs/load-pack';
import { cardOf, FakeConnector } from '../../test/teams/fake-connector';
import { answerWith, elements, type Json, TeamsSim } from '../../test/teams/teams-harness';
import type { Click } from './click-gateway';
import { ROOT } from './processes';

/** A channel question as posted to the fake connector, and the answer data that is correct. */
export interface TeamsPost {
  readonly postId: string;
  readonly channelId: string;
  readonly data: Record<string, unknown>;
}

/**
 * Teams answer invokes for the benchmarks: the fake Bot Connector of the tests, channel
 * questions posted through the service (`@Study Companion daily now`), and
 * `adaptiveCard/action` invokes as Teams sends them, one distinct member per invoke on
 * each post. The bot's HTTP answer (the invoke response card) is the feedback.
 */
export class TeamsClicks {
  readonly tenantId = `tid-bench-${Date.now().toString(36)}`;
  private readonly bank: Bank = loadPack(join(ROOT, 'questions', 'az400'));

  private constructor(readonly connector: FakeConnector) {}

  static async start(): Promise<TeamsClicks> {
    return new TeamsClicks(await new FakeConnector().start());
  }

  private sim(url = ''): TeamsSim {
    return new TeamsSim(url, this.connector, this.tenantId);
  }

  /** Posts a question in channel `channelId` through the service and reads its card back from the fake. */
  async post(serviceUrl: string, channelId: string): Promise<TeamsPost> {
    const sim = this.sim(serviceUrl);
    const res = await sim.post(sim.message('organizer', sim.channel(channelId), 'daily now'));
    if (res.status !== 200) throw new Error(`daily now answered ${res.status}`);
    const call = await this.connector.waitFor(
      () => this.connector.ok('send', channelId)[0],
      15_000,
      `the question in ${channelId}`,
    );
    const card = cardOf(call);
    const submit = elements(card).find((e: Json) => e.verb === 'answer');
    const key = this.bank.item(String(submit?.data?.q))?.key;
    if (!key) throw new Error(`posted question ${submit?.data?.q} is not in the pack`);
    return { postId: String(submit?.data?.id), channelId, data: answerWith(card, key) };
  }

  /** One invoke per (post, member), posts outermost. */
  clicks(posts: readonly TeamsPost[], users: readonly string[]): Click[] {
    const sim = this.sim();
    return posts.flatMap((p) =>
      users.map((user) => ({
        path: '/api/messages',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sim.invoke(user, sim.channel(p.channelId), p.data)),
      })),
    );
  }

  /** The invoke response: the member's result card, or one of the service's refusals. */
  static classify(body: unknown): string {
    const text = String(body);
    if (text.includes('a lot at once')) return 'rate-limited';
    if (text.includes('no longer available')) return 'gone';
    if (text.includes('went wrong')) return 'error';
    if (text.includes('already answered')) return 'already-answered';
    return 'feedback';
  }

  /** Forgets the connector's recorded calls (they pile up over a long run). */
  clear(): void {
    this.connector.calls.length = 0;
  }

  close(): Promise<void> {
    return this.connector.stop();
  }
}
