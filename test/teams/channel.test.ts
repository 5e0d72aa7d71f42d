import { refKeys } from '../../adapters/teams/refs';
import { systemClock } from '../../src/core';
import type { Service } from '../../src/service';
import { RedisStore } from '../../src/store';
import { scanKeys, testRedis, testRedisUrl } from '../setup/redis';
import { type ConnectorCall, cardOf, FakeConnector } from './fake-connector';
import { answerWith, cardText, channelPost, elements, startTeams, TeamsSim } from './teams-harness';

const CHANNEL = '19:chan@thread.tacv2';

describe('Teams channels and group chats over real HTTP (Redis store)', () => {
  let service: Service;
  let connector: FakeConnector;
  let sim: TeamsSim;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    const store = await RedisStore.connect(testRedisUrl(), { clock: systemClock });
    service = await startTeams({ store });
    sim = new TeamsSim(service.url, connector, `tid-ch-${process.pid}-${Date.now()}`);
  });
  afterAll(async () => {
    await service.close();
    await connector.stop();
  });

  it('welcomes once on install, keeps the reference, and marks a removal', async () => {
    const conv = { ...sim.channel('19:other@thread.tacv2'), name: 'other' };
    const added = sim.base(sim.user('alice'), conv, {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:bot-id' }],
      channelData: { tenant: { id: sim.tenantId }, eventType: 'teamMemberAdded' },
    });
    expect((await sim.post(added)).status).toBe(200);
    const welcome = await connector.waitFor(() =>
      connector.ok(undefined, '19:other@thread.tacv2').find((c) => cardText(cardOf(c)).includes('Hi!')),
    );
    expect(cardText(cardOf(welcome))).toContain('Study Companion');
    const install = sim.base(sim.user('alice'), conv, { type: 'installationUpdate', action: 'add' });
    expect((await sim.post(install)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(
      connector.ok(undefined, '19:other@thread.tacv2').filter((c) => cardText(cardOf(c)).includes('Hi!')),
    ).toHaveLength(1);
    const ref = await service.store.getConversationRef<{ conversation: { id: string }; serviceUrl: string }>(
      sim.tenant,
      'teams:conv:19:other@thread.tacv2',
    );
    expect(ref).toMatchObject({ conversation: { id: '19:other@thread.tacv2' }, serviceUrl: connector.url });

    const removed = sim.base(sim.user('alice'), conv, { type: 'installationUpdate', action: 'remove' });
    expect((await sim.post(removed)).status).toBe(200);
    expect(await service.store.getConversationRef(sim.tenant, 'teams:removed:19:other@thread.tacv2')).toBe(
      true,
    );
    const where = {
      platform: 'teams' as const,
      tenant: sim.tenant,
      id: '19:other@thread.tacv2',
      kind: 'channel' as const,
    };
    await expect(
      service.adapters[0]!.messenger.post(where, { kind: 'text', text: 'hi' }),
    ).rejects.toMatchObject({ code: 'uninstalled' });
  });

  it('answers an @mention; personal commands go to the 1:1 chat, with a pointer in the thread; other mentions become ids', async () => {
    const conv = sim.channel(CHANNEL, '1001');
    expect((await sim.post(sim.message('alice', conv, 'quiz 1'))).status).toBe(200);
    // The pointer to the 1:1 chat is said where Alice typed, not in the 1:1 chat itself.
    const pointer = await connector.waitFor(() => connector.ok('reply', `${CHANNEL};messageid=1001`)[0]);
    expect(cardText(cardOf(pointer))).toContain("I've sent you a direct message");
    const created = await connector.waitFor(() => connector.ok('create')[0]);
    expect(created.body).toMatchObject({
      isGroup: false,
      members: [{ id: '29:alice' }],
      bot: { id: '28:bot-id' },
      tenantId: sim.tenantId,
    });
    const dmId = 'a:dm-29:alice';
    const inDm = await connector.waitFor(
      () => connector.ok('send', dmId).length >= 2 && connector.ok('send', dmId),
    );
    const dmText = inDm.map((c) => cardText(cardOf(c))).join('\n');
    expect(dmText).toContain('Question 1 of 1');
    expect(dmText).not.toContain("I've sent you a direct message");
    // Nothing personal in the channel: the pointer in the thread only.
    expect(connector.ok(undefined, CHANNEL)).toHaveLength(0);
    expect(connector.ok(undefined, `${CHANNEL};messageid=1001`)).toHaveLength(1);
    expect(await service.store.getConversationRef(sim.tenant, 'teams:user:aad-alice')).toMatchObject({
      conversation: { id: dmId },
    });

    // organizer add @Bob: the mention arrives as an entity and becomes Bob's Entra id.
    const bob = sim.user('bob');
    await sim.post(
      sim.message('alice', sim.channel(CHANNEL, '1002'), `organizer add <at>${bob.name}</at>`, [bob]),
    );
    // A public reply: in the thread of the message that mentioned the bot.
    const said = await connector.waitFor(() => connector.ok('reply', `${CHANNEL};messageid=1002`)[0]);
    expect(cardText(cardOf(said))).toContain('is now an organizer');
    expect(await service.store.organizers(sim.tenant, CHANNEL)).toEqual(
      expect.arrayContaining(['aad-alice', 'aad-bob']),
    );
  });

  it('daily now: each member gets their own result, the shared card only tallies, the reveal goes in the thread', async () => {
    const conv = sim.channel(CHANNEL, '2001');
    expect((await sim.post(sim.message('alice', conv, 'daily now'))).status).toBe(200);
    const { shared, postId, item } = await channelPost(connector, CHANNEL, service.core.bank);
    const postActivityId = (await service.store.getPost(sim.tenant, postId))!.message!.id;
    expect(postActivityId).toMatch(/^act-/);
    expect(await service.store.getWorkspaceTz(sim.tenant)).toBe('Europe/Berlin');

    // Two members answer: bob right, carol wrong. Each sees only their own result.
    const wrong = item.options.map((o) => o.id).filter((id) => !item.key.includes(id));
    const carolChoice =
      item.type === 'order'
        ? [...item.key].reverse()
        : item.type === 'multiple'
          ? [...wrong, ...item.key].slice(0, item.key.length)
          : [wrong[0]!];
    const bobRes = await sim.post(
      sim.invoke('bob', sim.channel(CHANNEL, '2001'), answerWith(shared, item.key)),
    );
    const carolRes = await sim.post(
      sim.invoke('carol', sim.channel(CHANNEL, '2001'), answerWith(shared, carolChoice)),
    );
    expect(cardText(bobRes.body.value)).toContain('Correct!');
    expect(cardText(bobRes.body.value)).toContain('only you see this result');
    expect(cardText(carolRes.body.value)).toContain('Not quite');
    // Each one's view refreshes for them alone: no other member's id travels in it.
    expect(bobRes.body.value.refresh).toMatchObject({ action: { verb: 'refresh' }, userIds: ['29:bob'] });
    expect(carolRes.body.value.refresh).toMatchObject({ action: { verb: 'refresh' }, userIds: ['29:carol'] });
    expect(await service.store.postAnswers(sim.tenant, postId)).toMatchObject({ answered: 2, correct: 1 });

    // The coalesced tally edit reaches the shared card, with both members in refresh.userIds.
    const tally = await connector.waitFor(
      () => connector.ok('update', CHANNEL).find((c) => cardText(cardOf(c)).includes('2 answered')),
      8000,
      'the tally edit',
    );
    expect(tally.activityId).toBe(postActivityId);
    expect(cardOf(tally).refresh).toMatchObject({ userIds: ['29:bob', '29:carol'] });

    // A refresh by bob rebuilds his view; dave (no answer) gets the shared card.
    const bobView = await sim.post(
      sim.invoke('bob', sim.channel(CHANNEL), { verb: 'refresh', t: 'post', id: postId }, 'automatic'),
    );
    expect(cardText(bobView.body.value)).toContain('Correct!');
    expect(cardText(bobView.body.value)).toContain(item.explanation.slice(0, 40));
    const carolView = await sim.post(
      sim.invoke('carol', sim.channel(CHANNEL), { verb: 'refresh', t: 'post', id: postId }, 'automatic'),
    );
    expect(cardText(carolView.body.value)).toContain('Not quite');
    // A view an earlier version saved (the whole feedback) still shows until it expires.
    const legacy = await service.core.postResult(
      { platform: 'teams', tenant: sim.tenant, userId: 'aad-bob', name: 'Bob', tz: 'UTC', isAdmin: false },
      { platform: 'teams', tenant: sim.tenant, id: CHANNEL, kind: 'channel' },
      postId,
    );
    await service.store.saveConversationRef(sim.tenant, refKeys.view(postId, 'aad-erin'), legacy);
    const erinView = await sim.post(
      sim.invoke('erin', sim.channel(CHANNEL), { verb: 'refresh', t: 'post', id: postId }, 'automatic'),
    );
    expect(cardText(erinView.body.value)).toContain('Correct!');
    const daveView = await sim.post(
      sim.invoke('dave', sim.channel(CHANNEL), { verb: 'refresh', t: 'post', id: postId }, 'automatic'),
    );
    expect(elements(daveView.body.value).some((e) => e.verb === 'answer')).toBe(true);

    // Reveal: in the reply chain of the card, then the card closes.
    const revealed = await service.core.reveal(sim.tenant, postId);
    expect(revealed).toBeDefined();
    const reveal = await connector.waitFor(() =>
      connector.ok('reply', CHANNEL).find((c) => c.activityId === postActivityId),
    );
    expect(cardText(cardOf(reveal))).toContain('1 of 2 got it right');
    const closed = await connector.waitFor(() =>
      connector.ok('update', CHANNEL).find((c) => cardText(cardOf(c)).includes('Answers are closed')),
    );
    expect(elements(cardOf(closed)).some((e) => e.type === 'Input.ChoiceSet' || e.verb === 'answer')).toBe(
      false,
    );

    // The channel card never carried anyone's result or the explanation, and no key before the reveal.
    const channelCards: ConnectorCall[] = [
      ...connector.ok('send', CHANNEL),
      ...connector.ok('update', CHANNEL),
    ];
    for (const c of channelCards) {
      const json = JSON.stringify(cardOf(c));
      expect(json).not.toContain(item.explanation.slice(0, 40));
      expect(json).not.toMatch(/Correct!|Not quite|"correct"|"key"/);
    }
  }, 20_000);

  it("forget me also drops the member's channel account id from the answerers of a post", async () => {
    const chan = '19:forget@thread.tacv2';
    await sim.post(sim.message('alice', sim.channel(chan, '3001'), 'daily now'));
    const { shared, postId, item } = await channelPost(connector, chan, service.core.bank);
    await sim.post(sim.invoke('erin', sim.channel(chan, '3001'), answerWith(shared, item.key)));
    await sim.post(sim.invoke('frank', sim.channel(chan, '3001'), answerWith(shared, item.key)));
    const answerers = () => service.store.postAnswerers(sim.tenant, postId, 100);
    expect(await answerers()).toEqual(['29:erin', '29:frank']);

    const done = await sim.post(
      sim.invoke('erin', sim.personal('erin'), { verb: 'confirm', action: 'forget-me', yes: true }),
    );
    expect(done.body.value).toContain('everything I kept about you in this workspace is deleted');
    expect(await answerers()).toEqual(['29:frank']);
    // Neither of her ids is left in any key or value of the tenant.
    const redis = testRedis();
    try {
      const left: string[] = [];
      for (const key of await scanKeys(redis, `sc:{${sim.tenant}}:*`)) {
        const dump = JSON.stringify([key, await redis.dump(key)]);
        if (/29:erin|aad-erin/.test(dump)) left.push(key);
      }
      expect(left).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
