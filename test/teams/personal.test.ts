import type { Service } from '../../src/service';
import { cardOf, FakeConnector } from './fake-connector';
import { answerWith, cardText, elements, startTeams, TeamsSim } from './teams-harness';

describe('Teams personal chat over real HTTP', () => {
  let service: Service;
  let connector: FakeConnector;
  let sim: TeamsSim;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    service = await startTeams();
    sim = new TeamsSim(service.url, connector, 'tid-personal');
  });
  afterAll(async () => {
    await service.close();
    await connector.stop();
  });

  it('runs a quiz: question card, answer invoke with feedback card, duplicate counts once, next', async () => {
    const dm = sim.personal('alice');
    const res = await sim.post(sim.message('alice', dm, 'quiz 2'));
    expect(res.status).toBe(200);

    // Replies to an incoming message go to …/activities/{replyToId}.
    const replies = await connector.waitFor(() => {
      const r = connector.ok('reply', dm.id);
      return r.length >= 2 && r;
    });
    expect(replies[0]!.activityId).toMatch(/^in-/);
    const question = cardOf(replies[1]!);
    expect(question.version).toBe('1.5');
    expect(cardText(question)).toContain('Question 1 of 2');

    // Grade with the bank's key, as the server does; the card itself carries none.
    const submit = elements(question).find((e) => e.verb === 'answer')!;
    const item = service.core.bank.item(submit.data.q)!;
    const data = answerWith(question, item.key);
    const first = await sim.post(sim.invoke('alice', dm, data));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(first.body.value)).toContain('Correct!');
    expect(cardText(first.body.value)).toContain('+10 points');
    expect(elements(first.body.value).some((e) => e.verb === 'next')).toBe(true);
    expect(elements(first.body.value).some((e) => e.type === 'Action.ShowCard' && e.title === 'Report')).toBe(
      true,
    );

    // The same click again (a retry, a double click): one attempt, one set of points.
    const again = await sim.post(sim.invoke('alice', dm, data));
    expect(again.status).toBe(200);
    expect(cardText(again.body.value)).toContain('already answered');
    const stats = await service.store.getStats(sim.tenant, 'aad-alice');
    expect(stats.points).toBe(10);
    expect(stats.answered).toBe(1);

    // "Next" leaves the feedback in place (a message response) and sends the next question below.
    const before = connector.ok('reply', dm.id).length;
    const next = await sim.post(sim.invoke('alice', dm, { verb: 'next', t: 'session', id: submit.data.id }));
    expect(next.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    const after = await connector.waitFor(
      () => connector.ok('reply', dm.id).length > before && connector.ok('reply', dm.id),
    );
    expect(cardText(cardOf(after[after.length - 1]!))).toContain('Question 2 of 2');
  });

  it('keeps the user by Entra id and the from.id for sending', async () => {
    await sim.post(sim.message('bob', sim.personal('bob'), 'progress'));
    await connector.waitFor(() => connector.ok('reply', sim.personal('bob').id).length > 0);
    const member = await service.store.getConversationRef<{ accountId: string }>(
      sim.tenant,
      'teams:member:aad-bob',
    );
    expect(member?.accountId).toBe('29:bob');
    const ref = await service.store.getConversationRef<{
      conversation: { id: string };
      user: { id: string };
    }>(sim.tenant, 'teams:user:aad-bob');
    expect(ref?.conversation.id).toBe('a:dm-29:bob');
    expect(ref?.user.id).toBe('29:bob');
  });

  it('accepts Action.Submit fallbacks (a message with value) like Action.Execute', async () => {
    const dm = sim.personal('carol');
    await sim.post(sim.message('carol', dm, 'quiz 1'));
    const replies = await connector.waitFor(
      () => connector.ok('reply', dm.id).length >= 2 && connector.ok('reply', dm.id),
    );
    const question = cardOf(replies[1]!);
    const submit = elements(question).find((e) => e.verb === 'answer')!;
    const item = service.core.bank.item(submit.data.q)!;
    const wrong = item.options.map((o) => o.id).filter((id) => !item.key.includes(id));
    const choice =
      item.type === 'order'
        ? [...item.key].reverse()
        : item.type === 'multiple'
          ? [...wrong, ...item.key].slice(0, item.key.length)
          : [wrong[0]!];
    const res = await sim.post(
      sim.base(sim.user('carol'), dm, { type: 'message', value: answerWith(question, choice) }),
    );
    expect(res.status).toBe(200);
    const feedback = await connector.waitFor(() =>
      connector.ok('reply', dm.id).find((c) => cardText(cardOf(c)).includes('Not quite')),
    );
    expect(cardText(cardOf(feedback))).toContain('Correct');
    expect((await service.store.getStats(sim.tenant, 'aad-carol')).answered).toBe(1);
  });

  it('retries a 429 from the connector (Retry-After honoured) and delivers', async () => {
    const dm = sim.personal('dave');
    connector.failNext(429, { retryAfter: 1, match: (c) => c.conversationId === dm.id });
    const started = Date.now();
    const res = await sim.post(sim.message('dave', dm, 'help'));
    // Retry-After: 1 is honoured (capped by the test policy's 100 ms maximum wait).
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(res.status).toBe(200);
    const calls = await connector.waitFor(
      () =>
        connector.ok('reply', dm.id).length > 0 && connector.calls.filter((c) => c.conversationId === dm.id),
    );
    expect(calls[0]!.status).toBe(429);
    expect(calls.some((c) => c.status === 200 && cardText(cardOf(c)).includes('Study Companion'))).toBe(true);
  });

  it('retries 5xx a bounded number of times, then gives up and logs instead of failing the turn', async () => {
    const dm = sim.personal('frank');
    for (let i = 0; i < 2; i++) connector.failNext(503, { match: (c) => c.conversationId === dm.id });
    expect((await sim.post(sim.message('frank', dm, 'help'))).status).toBe(200);
    const calls = await connector.waitFor(
      () =>
        connector.ok('reply', dm.id).length > 0 && connector.calls.filter((c) => c.conversationId === dm.id),
    );
    expect(calls.map((c) => c.status)).toEqual([503, 503, 200]);

    // Always failing: exactly the policy's 4 attempts (one retry layer, not the SDK's on top), still 200 to Teams.
    const dm2 = sim.personal('gina');
    for (let i = 0; i < 10; i++) connector.failNext(500, { match: (c) => c.conversationId === dm2.id });
    expect((await sim.post(sim.message('gina', dm2, 'help'))).status).toBe(200);
    expect(connector.calls.filter((c) => c.conversationId === dm2.id).map((c) => c.status)).toEqual([
      500, 500, 500, 500,
    ]);
  });

  it('answers 400, never 500, to malformed activities', async () => {
    const bad: unknown[] = [
      { type: 123 },
      { type: 'message', text: 'hi', channelId: 'msteams', serviceUrl: connector.url },
      { ...sim.message('eve', sim.personal('eve'), 'hi'), conversation: undefined },
      { ...sim.message('eve', sim.personal('eve'), 'hi'), serviceUrl: 'javascript:alert(1)' },
      '{"type": "message",',
      '[]',
      'null',
    ];
    for (const body of bad) {
      const res = await sim.post(body);
      expect([body, res.status]).toEqual([body, 400]);
    }
    const big = await sim.post({ ...sim.message('eve', sim.personal('eve'), 'x'.repeat(300_000)) });
    expect(big.status).toBe(413);
    const unknownVerb = await sim.post(
      sim.invoke('eve', sim.personal('eve'), { verb: 'answer', t: 'session' }),
    );
    expect(unknownVerb.status).toBe(200);
    expect(unknownVerb.body.type).toBe('application/vnd.microsoft.activity.message');
  });
});
