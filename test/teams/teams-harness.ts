import { join } from 'node:path';
import { createTeamsAdapterWith } from '../../adapters/teams';
import type { Config } from '../../src/config';
import { type Bank, type Clock, type Item, type Logger, type Store, silentLogger } from '../../src/core';
import { type Service, startService } from '../../src/service';
import { testConfig } from '../setup/service-config';
import { cardOf, type FakeConnector } from './fake-connector';

/** Card and response JSON, walked loosely in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary card JSON; each use is asserted on.
export type Json = any;

export const BOT = { id: '28:bot-id', name: 'Study Companion' };

/** The service with only the Teams adapter, anonymous unless `teams` says otherwise, on port 0. */
export async function startTeams(
  options: { teams?: Config['teams']; store?: Store; clock?: Clock; logger?: Logger } = {},
): Promise<Service> {
  return startService(testConfig(options.teams ? { teams: options.teams } : {}), {
    logger: options.logger ?? silentLogger,
    root: join(__dirname, '..', '..'),
    adapters: [(deps) => createTeamsAdapterWith(deps, { retry: { attempts: 4, baseMs: 5, maxMs: 100 } })],
    ...(options.store ? { store: options.store } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

/** Builds Teams-shaped activities for one tenant against one fake connector. */
export class TeamsSim {
  private seq = 0;

  constructor(
    readonly url: string,
    readonly connector: FakeConnector,
    readonly tenantId: string,
  ) {}

  get tenant(): string {
    return `teams:${this.tenantId}`;
  }

  /** A user: channel account id `29:<name>`, Entra id `aad-<name>`. */
  user(name: string) {
    return { id: `29:${name}`, name: name[0]!.toUpperCase() + name.slice(1), aadObjectId: `aad-${name}` };
  }

  personal(name: string) {
    return { id: `a:dm-29:${name}`, conversationType: 'personal', tenantId: this.tenantId };
  }

  channel(channelId = '19:chan@thread.tacv2', messageId?: string) {
    return {
      id: messageId ? `${channelId};messageid=${messageId}` : channelId,
      conversationType: 'channel',
      tenantId: this.tenantId,
      isGroup: true,
    };
  }

  base(
    from: ReturnType<TeamsSim['user']>,
    conversation: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      id: `in-${++this.seq}`,
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      timestamp: new Date().toISOString(),
      localTimezone: 'Europe/Berlin',
      from,
      recipient: BOT,
      conversation,
      channelData: {
        tenant: { id: this.tenantId },
        ...(conversation.conversationType === 'channel'
          ? { channel: { id: '19:chan@thread.tacv2', name: 'devops' }, team: { id: '19:team' } }
          : {}),
      },
      ...extra,
    };
  }

  message(
    from: string,
    conversation: Record<string, unknown>,
    text: string,
    mentions: Array<{ id: string; name: string; aadObjectId?: string }> = [],
  ) {
    const entities = mentions.map((m) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: m }));
    const prefix = conversation.conversationType === 'personal' ? '' : `<at>${BOT.name}</at> `;
    const botMention =
      conversation.conversationType === 'personal'
        ? []
        : [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }];
    return this.base(this.user(from), conversation, {
      type: 'message',
      text: `${prefix}${text}`,
      entities: [...botMention, ...entities],
    });
  }

  invoke(
    from: string,
    conversation: Record<string, unknown>,
    data: Record<string, unknown>,
    trigger: 'manual' | 'automatic' = 'manual',
  ) {
    return this.base(this.user(from), conversation, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', id: 'act', verb: data.verb, data }, trigger },
    });
  }

  /** POSTs an activity to /api/messages; resolves with status and parsed body. */
  async post(
    activity: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${this.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof activity === 'string' ? activity : JSON.stringify(activity),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  }
}

/** Every element of a card (body, nested containers, columns, show-cards, actions), depth first. */
export function elements(node: unknown): Record<string, Json>[] {
  const out: Record<string, Json>[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, Json>;
    if (typeof o.type === 'string') out.push(o);
    for (const key of ['body', 'items', 'columns', 'actions', 'card']) if (o[key]) walk(o[key]);
  };
  walk(node);
  return out;
}

/** All text of a card's TextBlocks and facts, for "contains" assertions. */
export function cardText(card: unknown): string {
  return elements(card)
    .flatMap((e) => [
      e.text,
      ...(e.facts ?? []).flatMap((f: { title: string; value: string }) => [f.title, f.value]),
    ])
    .filter(Boolean)
    .join('\n');
}

/** The answer action of a question card: its data with inputs filled from `choice` (option ids). */
export function answerWith(card: unknown, choice: readonly string[]): Record<string, unknown> {
  const submit = elements(card).find((e) => e.type === 'Action.Execute' && e.verb === 'answer');
  if (!submit) throw new Error('no answer action on the card');
  const steps = elements(card).filter((e) => e.type === 'Input.ChoiceSet' && /^step\d+$/.test(e.id));
  if (steps.length)
    return { ...submit.data, ...Object.fromEntries(choice.map((c, i) => [`step${i + 1}`, c])) };
  return { ...submit.data, choice: choice.join(',') };
}

/**
 * The first card posted in channel `conversation` (waited for), the post id its answer
 * buttons carry, and their question.
 */
export async function channelPost(
  connector: FakeConnector,
  conversation: string,
  bank: Bank,
  timeoutMs = 3000,
): Promise<{ shared: Json; postId: string; item: Item }> {
  const posted = await connector.waitFor(
    () => connector.ok('send', conversation)[0],
    timeoutMs,
    'the channel post',
  );
  const shared = cardOf(posted);
  const submit = elements(shared).find((e) => e.verb === 'answer') as Json;
  const item = bank.item(submit.data.q);
  if (!item) throw new Error(`the channel post asks an unknown question: ${submit.data.q}`);
  return { shared, postId: submit.data.id, item };
}
