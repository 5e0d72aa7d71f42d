import type { TeamsSim } from '../../teams/teams-harness';
import { fuzzString, mutate, wrongType } from './mutate';
import type { Prng } from './prng';

/** One request to `POST /api/messages`, and the statuses it may get. */
export interface TeamsFuzzCase {
  readonly kind: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly expect: readonly number[];
}

/** The Teams route's own body cap (adapters/teams/receiver.ts). */
const LIMIT = 256 * 1024;

const VERBS = ['answer', 'next', 'stop', 'navigate', 'refresh', 'report', 'confirm', 'explode'];
const INVOKE_NAMES = [
  'adaptiveCard/action',
  'adaptiveCard/action',
  'adaptiveCard/action',
  'composeExtension/query',
  'task/fetch',
  'signin/verifyState',
  'application/search',
  'actionableMessage/executeAction',
  'fileConsent/invoke',
  'no/such/invoke',
];

/**
 * Builds Teams activities from a seed: messages in personal chats, channels and group
 * chats, `Action.Execute` invokes with our verbs and random data, `Action.Submit`-style
 * messages, install and membership events, other invoke names and activity types, all
 * taken from the Teams harness's builders and mutated; plus bad JSON, wrong types and
 * bodies over the route's cap. `valid` restricts them to what is answered inside the
 * HTTP response (no reply goes out), for a service with an app id whose outbound calls
 * would need a Microsoft login.
 */
export class TeamsFuzzer {
  constructor(
    private readonly rng: Prng,
    private readonly sims: readonly TeamsSim[],
    private readonly questionIds: readonly string[],
  ) {}

  private user(): string {
    return `u${this.rng.int(0, 2999)}`;
  }

  private conversation(sim: TeamsSim, user: string): Record<string, unknown> {
    return this.rng.pick<() => Record<string, unknown>>([
      () => sim.personal(user),
      () =>
        sim.channel(
          `19:fz${this.rng.int(0, 9)}@thread.tacv2`,
          this.rng.chance(0.5) ? String(this.rng.int(1, 1e6)) : undefined,
        ),
      () => ({
        id: `19:group${this.rng.int(0, 9)}@thread.v2`,
        conversationType: 'groupChat',
        tenantId: sim.tenantId,
        isGroup: true,
      }),
    ])();
  }

  private data(): Record<string, unknown> {
    const rng = this.rng;
    const verb = rng.pick(VERBS);
    return {
      verb,
      t: rng.pick(['session', 'exam', 'post', 'x', undefined]),
      id: rng.chance(0.6) ? rng.chars(16) : fuzzString(rng, 300),
      q: rng.chance(0.7) ? rng.pick(this.questionIds) : fuzzString(rng, 300),
      ...(rng.chance(0.6)
        ? { choice: rng.pick(['a', 'b', 'a,c', 'yes', 'no', 'a,b,c,d,e,f', fuzzString(rng, 3000)]) }
        : {}),
      ...(rng.chance(0.2)
        ? { step1: rng.pick(['a', 'b']), step2: rng.pick(['c', fuzzString(rng, 100)]), step3: wrongType(rng) }
        : {}),
      ...(rng.chance(0.2)
        ? { nav: rng.pick(['skip', 'back', 'flag', 'review', 'next-section', 'submit', 'fly']) }
        : {}),
      ...(rng.chance(0.2) ? { reason: rng.pick(['wrong-key', 'unclear', 'outdated', 'bored']) } : {}),
      ...(rng.chance(0.2) ? { action: 'forget-me', yes: rng.pick([true, false, 'true', 'maybe']) } : {}),
    };
  }

  /** The next case; `inHttpAnswerOnly` keeps to invokes answered in the HTTP response. */
  next(inHttpAnswerOnly = false): TeamsFuzzCase {
    const rng = this.rng;
    const sim = rng.pick(this.sims);
    const user = this.user();
    const conv = this.conversation(sim, user);
    if (inHttpAnswerOnly) {
      // Our verbs would run the core, which may reply; a refresh or foreign data only answers inline.
      const data = rng.chance(0.5)
        ? { verb: 'refresh', t: 'post', id: fuzzString(rng, 300) }
        : { verb: fuzzString(rng, 50), x: wrongType(rng) };
      // A copy: the harness's activities share objects (the bot account) that must stay intact.
      const activity = structuredClone(sim.invoke(user, conv, data, rng.pick(['manual', 'automatic'])));
      if (rng.chance(0.5)) mutate(activity, rng, 1, 2000);
      // A mutation may turn it into something else than an invoke: then it is refused or ignored, never answered by a send.
      const stillInvoke = activity.type === 'invoke' && activity.name === 'adaptiveCard/action';
      return this.json(stillInvoke ? 'invoke (app id)' : 'mutated (app id)', activity, [200, 400]);
    }
    const r = rng.next();
    let kind: string;
    let activity: Record<string, unknown>;
    if (r < 0.3) {
      kind = 'message';
      const text = rng.chance(0.5)
        ? rng.pick([
            'quiz',
            'quiz 2',
            'help',
            'progress',
            'leaderboard',
            'groups',
            'group create g1',
            'group join g1',
            'daily now',
            'exam 2',
            'review',
            'export',
            'forget me',
            'reports',
            'organizers',
            'next',
            'stop',
            'a',
            'b',
          ])
        : fuzzString(rng, rng.chance(0.05) ? 30_000 : 3000);
      activity = sim.message(user, conv, text);
    } else if (r < 0.65) {
      kind = 'card action';
      activity = sim.invoke(user, conv, this.data(), rng.pick(['manual', 'automatic']));
      if (rng.chance(0.1)) activity.name = rng.pick(INVOKE_NAMES);
    } else if (r < 0.75) {
      kind = 'submit message';
      activity = { ...sim.message(user, conv, ''), value: this.data() };
    } else if (r < 0.85) {
      kind = 'lifecycle';
      activity = sim.base(
        sim.user(user),
        conv,
        rng.pick<() => Record<string, unknown>>([
          () => ({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot-id' }, { id: `29:${user}` }] }),
          () => ({ type: 'conversationUpdate', membersRemoved: [{ id: '28:bot-id' }] }),
          () => ({
            type: 'installationUpdate',
            action: rng.pick(['add', 'remove', 'add-upgrade', 'explode']),
          }),
          () => ({ type: 'messageReaction', reactionsAdded: [{ type: 'like' }] }),
          () => ({
            type: rng.pick([
              'typing',
              'event',
              'endOfConversation',
              'messageUpdate',
              'messageDelete',
              'trace',
              'handoff',
              'x',
            ]),
          }),
        ])(),
      );
    } else if (r < 0.93) {
      kind = 'invoke';
      activity = sim.base(sim.user(user), conv, {
        type: 'invoke',
        name: rng.pick(INVOKE_NAMES),
        value: wrongType(rng),
      });
    } else return this.broken(sim, user, conv);
    activity = structuredClone(activity);
    if (rng.chance(0.7)) mutate(activity, rng, rng.int(1, 4), rng.chance(0.03) ? 200_000 : 3000);
    return this.json(kind, activity, [200, 400]);
  }

  private json(kind: string, activity: unknown, expect: readonly number[]): TeamsFuzzCase {
    const body = JSON.stringify(activity);
    return {
      kind,
      body,
      headers: { 'content-type': 'application/json' },
      expect: Buffer.byteLength(body) > LIMIT ? [413] : expect,
    };
  }

  private broken(sim: TeamsSim, user: string, conv: Record<string, unknown>): TeamsFuzzCase {
    const rng = this.rng;
    const valid = JSON.stringify(sim.message(user, conv, 'help'));
    const raw = (
      kind: string,
      body: string,
      expect: readonly number[],
      contentType = 'application/json',
    ) => ({
      kind,
      body,
      headers: { 'content-type': contentType },
      expect,
    });
    switch (rng.int(0, 6)) {
      case 0:
        return raw('bad json', valid.slice(0, rng.int(0, valid.length - 1)), [400]);
      case 1:
        return raw('json not an object', JSON.stringify(wrongType(rng)), [400]);
      case 2:
        return raw('over the cap', JSON.stringify({ ...JSON.parse(valid), text: 'x'.repeat(LIMIT) }), [413]);
      case 3:
        return raw(
          'other content type',
          valid,
          [200, 400, 415],
          rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']),
        );
      case 4:
        return raw('empty', '', [400]);
      case 5:
        return raw('deep json', `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, [400]);
      default:
        return raw(
          'text too long',
          JSON.stringify({ ...JSON.parse(valid), text: 'y'.repeat(25_000) }),
          [400],
        );
    }
  }
}
