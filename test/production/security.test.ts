import { type Item, systemClock } from '../../src/core';
import type { Service } from '../../src/service';
import { RedisStore } from '../../src/store';
import { FakeSlackApi, type RecordedCall } from '../slack/fake-slack-api';
import {
  answerAction,
  blockAction,
  cardIds,
  eventCallback,
  type SignedRequest,
  send,
  sign,
  signed,
  elements as slackElements,
  slashCommand,
  uniqueTeam,
} from '../slack/slack-harness';
import { type ConnectorCall, cardOf, FakeConnector } from '../teams/fake-connector';
import { FakeIssuer, signJwt } from '../teams/fake-issuer';
import {
  answerWith,
  elements as cardElements,
  channelPost,
  type Json,
  TeamsSim,
} from '../teams/teams-harness';
import { hasAnswerControls, responseId, wrongChoice } from './support/drive';
import { keyLeaks } from './support/key-material';
import { RedisProcess } from './support/redis-process';
import { startTwoPlatforms } from './support/two-platforms';

const APP_ID = '00000000-0000-0000-0000-0000000005ec';
const TENANT_ID = 'tid-security';
const FORM = 'application/x-www-form-urlencoded';
const now = () => Math.floor(Date.now() / 1000);

/** Redis's digest once it stopped changing (two equal readings 100 ms apart). */
async function settledDigest(redis: RedisProcess): Promise<string> {
  let last = await redis.digest();
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const d = await redis.digest();
    if (d === last) return d;
    last = d;
  }
}

describe('forged requests change nothing; replays are processed once', () => {
  let redis: RedisProcess;
  let fake: FakeSlackApi;
  let connector: FakeConnector;
  let issuer: FakeIssuer;
  let service: Service;
  let sim: TeamsSim;
  const team = uniqueTeam();

  beforeAll(async () => {
    redis = await RedisProcess.start({ debug: true });
    fake = await FakeSlackApi.start();
    connector = await new FakeConnector().start();
    issuer = await new FakeIssuer().start();
    // The store only (no REDIS_URL): BullMQ would write to Redis on its own and move the digest.
    const store = await RedisStore.connect(redis.url, { clock: systemClock });
    service = await startTwoPlatforms(fake, {
      store,
      teams: {
        appId: APP_ID,
        appPassword: 'not-a-real-secret',
        appType: 'SingleTenant',
        tenantId: TENANT_ID,
        openIdMetadataUrl: issuer.metadataUrl,
      },
    });
    sim = new TeamsSim(service.url, connector, TENANT_ID);
    // Some data first, so the digest covers a non-empty data set.
    const help = slashCommand(fake, {
      team,
      user: 'USEED',
      channel: 'DSEED',
      channelName: 'directmessage',
      text: 'quiz 1',
    });
    expect((await send(service, help)).status).toBe(200);
    await fake.waitFor('seed quiz', () =>
      fake.callsTo('respond').find((c) => c.body.responseId === responseId(help)),
    );
  });

  afterAll(async () => {
    await service?.close();
    await issuer?.stop();
    await connector?.stop();
    await fake?.close();
    await redis?.destroy();
  });

  it('refuses forged, stale and unsigned Slack requests with 401, and Redis stays byte for byte the same', async () => {
    const before = await settledDigest(redis);
    const callsBefore = fake.calls.length;
    const bodies: SignedRequest[] = [
      slashCommand(fake, { team, user: 'UF', channel: 'DF', channelName: 'directmessage', text: 'quiz 1' }),
      eventCallback(team, {
        type: 'message',
        channel_type: 'im',
        channel: 'DF',
        user: 'UF',
        text: 'help',
        ts: '1.1',
      }),
      blockAction(fake, {
        team,
        user: 'UF',
        channel: { id: 'DF', name: 'directmessage' },
        action: {
          type: 'button',
          action_id: 'sc_answer_0',
          value: JSON.stringify(['s', 'x', 'fx-single-1', 'a']),
        },
      }),
    ];
    const forgeries = (r: SignedRequest): Array<[string, SignedRequest]> => {
      const stale = now() - 6 * 60;
      const future = now() + 6 * 60;
      return [
        ['another secret', { ...r, signature: sign(r.body, r.ts, 'not-the-secret') }],
        ['stale (6 min old)', { ...r, ts: stale, signature: sign(r.body, stale) }],
        ['from the future (6 min ahead)', { ...r, ts: future, signature: sign(r.body, future) }],
        ['no signature', { ...r, signature: '' }],
        ['signed for another timestamp', { ...r, ts: r.ts - 1 }],
        ['body changed after signing', { ...r, body: `${r.body}&x=1` }],
        ['v1 scheme', { ...r, signature: r.signature.replace(/^v0=/, 'v1=') }],
        ['truncated signature', { ...r, signature: r.signature.slice(0, -2) }],
        ['signature not hex', { ...r, signature: `v0=${'z'.repeat(64)}` }],
        ['timestamp not a number', { ...r, headers: { 'x-slack-request-timestamp': 'soon' } }],
      ];
    };
    const statuses: string[] = [];
    for (const body of bodies)
      for (const [what, forged] of forgeries(body))
        statuses.push(`${what}: ${(await send(service, forged)).status}`);
    expect(statuses.filter((s) => !s.endsWith(': 401'))).toEqual([]);
    expect(statuses.length).toBe(30);
    expect(fake.calls.slice(callsBefore)).toEqual([]);
    expect(await settledDigest(redis)).toBe(before);
    // The control: one validly signed request does change the data set (its rate-limit token at least).
    const valid = slashCommand(fake, {
      team,
      user: 'UF',
      channel: 'DF',
      channelName: 'directmessage',
      text: 'help',
    });
    expect((await send(service, valid)).status).toBe(200);
    await fake.waitFor('help', () =>
      fake.callsTo('respond').find((c) => c.body.responseId === responseId(valid)),
    );
    expect(await settledDigest(redis)).not.toBe(before);
  });

  it('refuses Teams requests without a token or with a foreign one with 401, and Redis stays the same', async () => {
    // botframework-connector prints the published key when a signature does not match.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = await settledDigest(redis);
    const activities = [
      sim.message('mallory', sim.personal('mallory'), 'quiz 1'),
      sim.invoke('mallory', sim.personal('mallory'), {
        verb: 'answer',
        t: 'session',
        id: 'x',
        q: 'fx-single-1',
        choice: 'a',
      }),
      sim.base(sim.user('mallory'), sim.channel(), {
        type: 'conversationUpdate',
        membersAdded: [{ id: '28:bot-id' }],
      }),
    ];
    const url = connector.url;
    const t = now();
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: url, exp: t + 600 }),
    ).toString('base64url')}.`;
    const headers: Array<[string, Record<string, string>]> = [
      ['no Authorization', {}],
      ['not a JWT', { authorization: 'Bearer not.a.jwt' }],
      ['Basic credentials', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
      ['alg none', { authorization: `Bearer ${unsigned}` }],
      [
        'stranger key',
        { authorization: `Bearer ${issuer.token(APP_ID, url, { key: FakeIssuer.strangerKey() })}` },
      ],
      ['another app', { authorization: `Bearer ${issuer.token('another-app', url)}` }],
      [
        'another issuer',
        { authorization: `Bearer ${issuer.token(APP_ID, url, { issuer: 'https://evil.example.com' })}` },
      ],
      [
        'expired',
        {
          authorization: `Bearer ${issuer.token(APP_ID, url, { claims: { nbf: t - 7200, exp: t - 3600 } })}`,
        },
      ],
      [
        'not yet valid',
        {
          authorization: `Bearer ${issuer.token(APP_ID, url, { claims: { nbf: t + 3600, exp: t + 7200 } })}`,
        },
      ],
      ['another service URL', { authorization: `Bearer ${issuer.token(APP_ID, 'http://127.0.0.1:9/')}` }],
      [
        'unknown key id',
        {
          authorization: `Bearer ${signJwt(
            { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: url, nbf: t - 60, exp: t + 600 },
            FakeIssuer.strangerKey(),
            'unknown-kid',
          )}`,
        },
      ],
    ];
    const statuses: string[] = [];
    for (const activity of activities)
      for (const [what, h] of headers)
        statuses.push(`${activity.type} ${what}: ${(await sim.post(activity, h)).status}`);
    quiet.mockRestore();
    expect(statuses.filter((s) => !s.endsWith(': 401'))).toEqual([]);
    expect(connector.calls).toEqual([]);
    expect(await settledDigest(redis)).toBe(before);
  });

  it('processes a signed Slack request replayed inside the 5-minute window once', async () => {
    // Signed 4 minutes ago: still valid, so the replays must be caught by the replay guard.
    const cmd = slashCommand(fake, {
      team,
      user: 'UREPLAY',
      channel: 'DREPLAY',
      channelName: 'directmessage',
      text: 'quiz 1',
    });
    const ts = now() - 240;
    const old: SignedRequest = { ...cmd, ts, signature: sign(cmd.body, ts) };
    for (let i = 0; i < 3; i++) expect((await send(service, old)).status).toBe(200);
    const card = await fake.waitFor('quiz card', () =>
      fake
        .callsTo('respond')
        .find((c) => c.body.responseId === responseId(old) && slackElements(c.body.blocks ?? []).length),
    );
    const ids = cardIds(card.body.blocks);
    const item = service.core.bank.item(ids.questionId) as Item;
    const click = blockAction(fake, {
      team,
      user: 'UREPLAY',
      channel: { id: 'DREPLAY', name: 'directmessage' },
      message: { ...card.body, ts: '20.1' },
      ...answerAction(card.body.blocks, item.key),
    });
    // The same bytes three times, then the same body under a fresh signature (a proxy repeating it).
    for (let i = 0; i < 3; i++) expect((await send(service, click)).status).toBe(200);
    expect((await send(service, signed(click.body, FORM))).status).toBe(200);
    const clickResponse = responseId(click);
    // Replays are refused before they are acknowledged, so once the first click's last
    // reply (the summary) is out, nothing more can come.
    await fake.waitFor('the quiz summary', () =>
      fake
        .callsTo('respond')
        .find((c) => c.body.responseId === clickResponse && /Quiz done/.test(c.body.text)),
    );
    const stats = await service.store.getStats(`slack:${team}`, 'UREPLAY');
    const forCommand = fake.callsTo('respond').filter((c) => c.body.responseId === responseId(old));
    const forClick = fake.callsTo('respond').filter((c) => c.body.responseId === clickResponse);
    const kind = (c: RecordedCall) =>
      c.body.replace_original
        ? 'close'
        : /Correct answer/.test(JSON.stringify(c.body))
          ? 'feedback'
          : 'summary';
    expect(forCommand.filter((c) => slackElements(c.body.blocks ?? []).length)).toHaveLength(1);
    expect(forClick.map(kind).sort()).toEqual(['close', 'feedback', 'summary']);
    expect(stats).toMatchObject({ answered: 1, points: 10 });
  });
});

/** A copy of a payload whose first element standing for a keyed option gets `extra` fields. */
function markKeyed(payload: unknown, item: Item, extra: Record<string, unknown>): unknown {
  const copy = JSON.parse(JSON.stringify(payload)) as unknown;
  let done = false;
  const visit = (n: unknown) => {
    if (done || !n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.value === 'string' && item.key.includes(o.value)) {
      Object.assign(o, extra);
      done = true;
      return;
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(copy);
  if (!done) throw new Error('no keyed option element in the payload');
  return copy;
}

/** The problems `keyLeaks` finds in payloads, for every item whose id a payload names. */
function leaksIn(payloads: readonly unknown[], items: readonly Item[]): string[] {
  return payloads.flatMap((p) => {
    const json = JSON.stringify(p);
    return items.filter((i) => json.includes(i.id)).flatMap((i) => keyLeaks(p, i));
  });
}

describe('no payload the bot sends shows a key before the member answered', () => {
  let fake: FakeSlackApi;
  let connector: FakeConnector;
  let service: Service;
  let items: readonly Item[];

  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    connector = await new FakeConnector().start();
    service = await startTwoPlatforms(fake);
    items = service.core.bank.items;
  });

  afterAll(async () => {
    await service?.close();
    await connector?.stop();
    await fake?.close();
  });

  // Members answer wrong: then feedback shows `why`, which nothing before the answer may.
  it('on Slack: quiz cards, the channel card and its tally updates', async () => {
    const team = uniqueTeam();
    const tenant = `slack:${team}`;
    // A DM quiz of three questions, answered wrong each time.
    const cmd = slashCommand(fake, {
      team,
      user: 'UK1',
      channel: 'DK1',
      channelName: 'directmessage',
      text: 'quiz 3',
    });
    await send(service, cmd);
    let card = await fake.waitFor('first card', () =>
      fake.callsTo('respond').find((c) => c.body.responseId === responseId(cmd) && hasAnswerControls(c)),
    );
    const beforeFirstAnswer = [...fake.calls];
    for (let n = 1; n <= 3; n++) {
      const item = service.core.bank.item(cardIds(card.body.blocks).questionId) as Item;
      const seen = fake.calls.length;
      const click = blockAction(fake, {
        team,
        user: 'UK1',
        channel: { id: 'DK1', name: 'directmessage' },
        message: { ...card.body, ts: `30.${n}` },
        ...answerAction(card.body.blocks, wrongChoice(item)),
      });
      await send(service, click);
      const feedback = await fake.waitFor('feedback', () =>
        fake
          .callsTo('respond')
          .find(
            (c) =>
              c.body.responseId === responseId(click) && JSON.stringify(c.body).includes('Correct answer'),
          ),
      );
      if (n === 3) break;
      const next = slackElements(feedback.body.blocks).find((e: Json) => e.action_id === 'sc_next');
      await send(
        service,
        blockAction(fake, {
          team,
          user: 'UK1',
          channel: { id: 'DK1', name: 'directmessage' },
          message: { ...feedback.body, ts: `31.${n}` },
          action: { type: 'button', action_id: 'sc_next', value: next.value },
        }),
      );
      card = await fake.waitFor('next card', () =>
        fake.calls.slice(seen).find((c) => c.status === 200 && hasAnswerControls(c)),
      );
    }

    // A channel question: two members answer, the tally is edited, then the reveal.
    const ch = { id: `C${team}`, name: 'devops' };
    await send(
      service,
      slashCommand(fake, { team, user: 'UK1', channel: ch.id, channelName: ch.name, text: 'daily now' }),
    );
    const post = await fake.waitFor('channel card', () =>
      fake.callsTo('chat.postMessage').find((c) => c.body.channel === ch.id),
    );
    const ids = cardIds(post.body.blocks);
    const item = service.core.bank.item(ids.questionId) as Item;
    const message = { ...post.body, ts: post.response?.ts };
    for (const [user, choice] of [
      ['UK2', item.key],
      ['UK3', wrongChoice(item)],
    ] as const) {
      const click = blockAction(fake, {
        team,
        user,
        channel: ch,
        message,
        ...answerAction(post.body.blocks, choice),
      });
      await send(service, click);
      await fake.waitFor('feedback', () =>
        fake
          .callsTo('respond')
          .find(
            (c) =>
              c.body.responseId === responseId(click) && JSON.stringify(c.body).includes('Correct answer'),
          ),
      );
    }
    await service.core.runJob({ name: 'tally', tenant, postId: ids.id });
    const channelBeforeReveal = fake.calls.filter((c) => c.body.channel === ch.id && !c.body.thread_ts);
    expect(
      channelBeforeReveal.some(
        (c) => c.method === 'chat.update' && JSON.stringify(c.body).includes('2 answered'),
      ),
    ).toBe(true);
    await service.core.reveal(tenant, ids.id);
    const reveal = fake.callsTo('chat.postMessage').find((c) => c.body.channel === ch.id && c.body.thread_ts);
    // The reveal does show the key and the explanation (the scan below would see it).
    expect(keyLeaks(reveal?.body, item).length).toBeGreaterThan(0);

    const scanned = [
      ...beforeFirstAnswer,
      ...fake.calls.filter(hasAnswerControls),
      ...channelBeforeReveal,
    ].map((c) => c.body);
    expect(fake.calls.filter(hasAnswerControls).length).toBeGreaterThanOrEqual(5);
    expect(leaksIn(scanned, items)).toEqual([]);
  }, 30_000);

  it('on Teams: quiz cards, the channel card, its tally edits and a non-member refresh', async () => {
    const sim = new TeamsSim(service.url, connector, `tid-keys-${process.pid}`);
    const dm = sim.personal('kim');
    const withAnswer = (card: unknown) => cardElements(card).some((e) => e.verb === 'answer');
    const cardsOf = (calls: readonly ConnectorCall[]) =>
      calls.filter((c) => Array.isArray(c.body.attachments)).map(cardOf);
    expect((await sim.post(sim.message('kim', dm, 'quiz 3'))).status).toBe(200);
    let card = cardsOf(connector.ok(undefined, dm.id)).find(withAnswer);
    expect(card).toBeDefined();
    const beforeFirstAnswer = cardsOf(connector.calls);
    const invokeCards: unknown[] = [];
    for (let n = 1; n <= 3 && card; n++) {
      const submit = cardElements(card).find((e) => e.verb === 'answer') as Json;
      const item = service.core.bank.item(submit.data.q) as Item;
      const res = await sim.post(sim.invoke('kim', dm, answerWith(card, wrongChoice(item))));
      expect(JSON.stringify(res.body)).toContain('Not quite');
      if (n === 3) break;
      const seen = connector.calls.length;
      await sim.post(sim.invoke('kim', dm, { verb: 'next', t: 'session', id: submit.data.id }));
      card = cardsOf(connector.calls.slice(seen)).find(withAnswer);
      expect(card).toBeDefined();
    }

    const channel = '19:keys@thread.tacv2';
    await sim.post(sim.message('kim', sim.channel(channel, '4001'), 'daily now'));
    const { shared, postId, item } = await channelPost(connector, channel, service.core.bank);
    for (const [who, choice] of [
      ['bob', item.key],
      ['carol', wrongChoice(item)],
    ] as const) {
      const res = await sim.post(sim.invoke(who, sim.channel(channel, '4001'), answerWith(shared, choice)));
      expect(res.status).toBe(200);
    }
    await service.core.runJob({ name: 'tally', tenant: sim.tenant, postId });
    // Dave has not answered: what his client fetches on refresh must not tell him either.
    const daveView = await sim.post(
      sim.invoke('dave', sim.channel(channel), { verb: 'refresh', t: 'post', id: postId }, 'automatic'),
    );
    invokeCards.push(daveView.body.value);
    expect(withAnswer(daveView.body.value)).toBe(true);
    const channelBeforeReveal = cardsOf(connector.ok(undefined, channel));
    expect(channelBeforeReveal.some((c) => JSON.stringify(c).includes('2 answered'))).toBe(true);
    const before = connector.calls.length;
    await service.core.reveal(sim.tenant, postId);
    // The reveal does show the key and the explanation (the scan below would see it).
    const reveal = connector.calls.slice(before).find((c) => c.kind === 'reply');
    expect(reveal && keyLeaks(cardOf(reveal), item).length).toBeGreaterThan(0);

    const withControls = cardsOf(connector.calls).filter(withAnswer);
    expect(withControls.length).toBeGreaterThanOrEqual(4);
    // The scan has teeth: a card that marks its keyed option, or styles it apart, is caught.
    expect(keyLeaks(markKeyed(shared, item, { isCorrect: true }), item)).toContainEqual(
      expect.stringContaining('isCorrect'),
    );
    expect(keyLeaks(markKeyed(shared, item, { style: 'positive' }), item)).toContainEqual(
      expect.stringContaining('differ'),
    );
    expect(
      leaksIn([...beforeFirstAnswer, ...withControls, ...channelBeforeReveal, ...invokeCards], items),
    ).toEqual([]);
  }, 30_000);
});
