import { systemClock } from '../../src/core';
import type { Service } from '../../src/service';
import { RedisStore } from '../../src/store';
import { testRedisUrl } from '../setup/redis';
import { FakeSlackApi, type RecordedCall } from '../slack/fake-slack-api';
import { answerAction, blockAction, cardIds, send, uniqueTeam } from '../slack/slack-harness';
import { FakeConnector } from '../teams/fake-connector';
import { answerWith, cardText, channelPost, elements, type Json, TeamsSim } from '../teams/teams-harness';
import { hasAnswerControls, SlackMember, TeamsMember } from './support/drive';
import { startTwoPlatforms } from './support/two-platforms';

/**
 * Two Slack workspaces and two Teams tenants with the same user ids, channel ids and
 * group names: what members of one do never shows in the other. Workspace A studies
 * (points, a group, a report, a channel question); workspace B then asks for every view
 * that could show A's data, and the payloads the fakes received for B are checked.
 */

/** What only workspace A has: a member's name and its group's name. */
const A_ONLY = /zelda|alpha/i;
/** B's replies that echo the group name B's member typed, to say that there is no such group. */
const NO_SUCH_GROUP = /There is no group \W+alpha\W+/;

/** B's payloads that show anything of A (the "no such group" echoes aside). */
function leaks(payloads: readonly unknown[]): string[] {
  return payloads
    .map((p) => JSON.stringify(p))
    .filter((s) => A_ONLY.test(s) && !NO_SUCH_GROUP.test(s))
    .map((s) => s.slice(0, 300));
}

let fake: FakeSlackApi;
let connector: FakeConnector;
let service: Service;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  connector = await new FakeConnector().start();
  const store = await RedisStore.connect(testRedisUrl(), { clock: systemClock });
  service = await startTwoPlatforms(fake, { store });
});

afterAll(async () => {
  await service?.close();
  await connector?.stop();
  await fake?.close();
});

describe('Slack workspaces with the same user ids and group names', () => {
  const A = uniqueTeam();
  const B = uniqueTeam();
  const channel = { id: 'CSHARED', name: 'study' };
  const text = (calls: RecordedCall[]) => calls.map((c) => JSON.stringify(c.body)).join('\n');

  it('show workspace B nothing of workspace A', async () => {
    fake.users.set('UZELDA', { real_name: 'Zelda Onlyina' });
    const a1 = new SlackMember(service, fake, A, 'U1');
    const az = new SlackMember(service, fake, A, 'UZELDA');
    const b1 = new SlackMember(service, fake, B, 'U1');
    const b2 = new SlackMember(service, fake, B, 'U2');

    // Workspace A studies.
    await a1.command('group create alpha', (c) => /Created the study group/.test(text(c)));
    await az.command('group join alpha', (c) => /You joined/.test(text(c)));
    await a1.quiz(2);
    const [feedback] = await az.quiz(3);
    const report = JSON.parse(JSON.stringify(feedback?.body.blocks)).find(
      (b: Json) => b.accessory?.action_id === 'sc_report',
    ).accessory.options[0].value;
    await az.click(
      { ...feedback?.body, ts: '3.0' },
      { action: { type: 'overflow', action_id: 'sc_report', selected_option: { value: report } } },
      (c) => /report/i.test(text(c)),
    );
    await a1.command('daily now', (c) => /Posted today/.test(text(c)), channel);
    const post = await fake.waitFor('A channel card', () =>
      fake.callsTo('chat.postMessage').find((c) => c.body.channel === channel.id && hasAnswerControls(c)),
    );
    const aPost = cardIds(post.body.blocks);
    const aItem = service.core.bank.item(aPost.questionId);
    if (!aItem) throw new Error('unknown item');
    await az.answer(post, (i) => i.key, channel);
    // The control: A's own views do show A's data.
    expect(text(await a1.command('leaderboard all', (c) => /Zelda/.test(text(c))))).toMatch(/Zelda/);
    expect(text(await a1.command('groups', (c) => /alpha/.test(text(c))))).toMatch(/alpha: 2 members/);
    const reports = await a1.command('reports', (c) => /Reported|No question/.test(text(c)), channel);
    expect(text(reports)).toMatch(/Reported questions/);

    // Workspace B: U2 earns points so that B's board is not empty; U1 looks everywhere.
    const bStart = fake.calls.length;
    await b2.quiz(1);
    const seen: RecordedCall[] = [];
    const look = async (line: string, done: RegExp, where = b1.dm) => {
      const calls = await b1.command(line, (c) => done.test(text(c)), where);
      seen.push(...calls);
      return text(calls);
    };
    expect(await look('progress', /Progress for/)).toMatch(/Progress for/);
    // B's board holds U2 only; U1's own line shows no points from A.
    for (const period of ['all', 'week', 'streak']) {
      const board = await look(`leaderboard ${period}`, /Leaderboard/);
      expect(board).toMatch(/1\. U2: \*\d+\*/);
      expect(board).not.toMatch(/U1: \*|with [1-9]\d* points/);
    }
    expect(await look('groups', /groups/i)).toMatch(/No study groups yet/);
    expect(await look('leaderboard week alpha', /There is no group/)).toMatch(NO_SUCH_GROUP);
    expect(await look('group join alpha', /There is no group/)).toMatch(NO_SUCH_GROUP);
    expect(await look('reports', /reported/, channel)).toMatch(/No question has been reported/);
    expect(await look('organizers', /organizer/, channel)).toMatch(/no organizer yet/);
    expect(await look('leaderboard all', /leaderboard|Leaderboard|board/, channel)).not.toMatch(/Zelda/);

    // A click in B that names A's channel question: B's user gains nothing from it, A's tally does not move.
    const before = await service.store.postAnswers(`slack:${A}`, aPost.id);
    const forged = blockAction(fake, {
      team: B,
      user: 'U1',
      channel,
      message: { ...post.body, ts: post.response?.ts },
      ...answerAction(post.body.blocks, aItem.key),
    });
    expect((await send(service, forged)).status).toBe(200);
    const reply = await b1.responses(forged, (c) => c.length > 0, 'the forged click');
    seen.push(...reply);
    expect(text(reply)).not.toMatch(/Correct answer/);
    expect(await service.store.postAnswers(`slack:${A}`, aPost.id)).toEqual(before);

    // export: the file that reaches B's DM holds B's (empty) data only.
    const exportStart = fake.calls.length;
    await b1.command('export', (c) => c.length > 0);
    await fake.waitFor('the export upload', () =>
      fake.calls.slice(exportStart).find((c) => c.method === 'files.completeUploadExternal'),
    );
    const upload = fake.calls.slice(exportStart).find((c) => c.method === 'upload');
    const content = String(upload?.body.content);
    const data = JSON.parse(content.slice(content.indexOf('{'), content.lastIndexOf('}') + 1));
    expect(data).toMatchObject({
      workspace: `slack:${B}`,
      userId: 'U1',
      groups: [],
      answeredQuestions: [],
      reports: [],
    });
    expect(data.stats).toMatchObject({ points: 0, answered: 0 });

    // Nothing that reached the fake on B's behalf names A's member or group.
    const forB = fake.calls.slice(bStart).filter((c) => c.method !== 'users.info');
    expect(forB.length).toBeGreaterThan(10);
    expect(leaks([...forB.map((c) => c.body), ...seen.map((c) => c.body)])).toEqual([]);
  }, 30_000);
});

describe('Teams tenants with the same user ids and group names', () => {
  it('show tenant B nothing of tenant A', async () => {
    const suffix = `${process.pid}-${Date.now()}`;
    const simA = new TeamsSim(service.url, connector, `tid-a-${suffix}`);
    const simB = new TeamsSim(service.url, connector, `tid-b-${suffix}`);
    const alice = new TeamsMember(service, simA, 'alice');
    const zelda = new TeamsMember(service, simA, 'zelda');
    const aliceB = new TeamsMember(service, simB, 'alice');
    const bobB = new TeamsMember(service, simB, 'bob');
    const all = (cards: Json[]) => cards.map((c) => cardText(c)).join('\n');
    const channel = '19:shared@thread.tacv2';

    // Tenant A studies.
    expect(all(await alice.say('group create alpha'))).toMatch(/Created the study group/);
    expect(all(await zelda.say('group join alpha'))).toMatch(/You joined/);
    await alice.quiz(2);
    const [feedback] = await zelda.quiz(3);
    const reportAction = elements(feedback).find((e) => e.verb === 'report') as Json;
    expect((await zelda.act({ ...reportAction.data, reason: 'wrong-key' })).value).toBeDefined();
    await alice.say('daily now', simA.channel(channel, '5001'));
    const { shared, postId: aPostId, item: aItem } = await channelPost(connector, channel, service.core.bank);
    await zelda.act(answerWith(shared, aItem.key), simA.channel(channel, '5001'));
    // The control: A's own views do show A's data.
    expect(all(await alice.say('leaderboard all'))).toMatch(/Zelda/);
    expect(all(await alice.say('groups'))).toMatch(/alpha/);
    expect(all(await alice.say('reports', simA.channel(channel, '5002')))).toMatch(/Reported questions/);

    // A's coalesced tally edit of its channel card (due within 5 s) is A's too: it comes first.
    await connector.waitFor(() => connector.ok('update', channel)[0], 10_000, "A's tally edit");

    // Tenant B: bob earns points; alice (same ids as A's alice) looks everywhere.
    const bStart = connector.calls.length;
    await bobB.quiz(1);
    const seen: Json[] = [];
    const look = async (line: string, conversation?: Record<string, unknown>) => {
      const cards = await aliceB.say(line, conversation);
      seen.push(...cards);
      return all(cards);
    };
    const progress = await look('progress');
    expect(progress).toMatch(/Progress|progress/);
    expect(progress).not.toMatch(/\b[1-9]\d* points/);
    for (const period of ['all', 'week', 'streak'])
      expect(await look(`leaderboard ${period}`)).toMatch(/Bob/);
    expect(await look('groups')).toMatch(/No study groups yet/);
    expect(await look('leaderboard week alpha')).toMatch(NO_SUCH_GROUP);
    expect(await look('group join alpha')).toMatch(NO_SUCH_GROUP);
    expect(await look('reports', simB.channel(channel, '6003'))).toMatch(/No question has been reported/);
    expect(await look('organizers', simB.channel(channel, '6001'))).toMatch(/no organizer yet/);
    const exportCards = await aliceB.say('export');
    seen.push(...exportCards);
    const exported = exportCards
      .flatMap((c) => elements(c))
      .flatMap((e) => (e.type === 'RichTextBlock' ? e.inlines.map((i: Json) => i.text) : []))
      .join('');
    const data = JSON.parse(exported.slice(exported.indexOf('{'), exported.lastIndexOf('}') + 1));
    expect(data).toMatchObject({
      workspace: simB.tenant,
      userId: 'aad-alice',
      groups: [],
      answeredQuestions: [],
      reports: [],
    });
    expect(data.stats).toMatchObject({ points: 0, answered: 0 });

    // B's alice names A's channel question: she sees no card of A's, gains nothing, A's tally does not move.
    const before = await service.store.postAnswers(simA.tenant, aPostId);
    const refresh = await aliceB.act({ verb: 'refresh', t: 'post', id: aPostId }, simB.channel(channel));
    seen.push(refresh.value);
    expect(cardText(refresh.value)).toMatch(/no longer available/);
    const answer = await aliceB.act(answerWith(shared, aItem.key), simB.channel(channel, '6002'));
    seen.push(answer.value, ...answer.sent);
    expect(JSON.stringify(answer.value)).not.toMatch(/Correct answer/);
    expect(await service.store.postAnswers(simA.tenant, aPostId)).toEqual(before);
    expect((await service.store.getStats(simB.tenant, 'aad-alice')).points).toBe(0);

    // Nothing that reached the connector on B's behalf names A's member or group.
    const forB = connector.calls.slice(bStart).map((c) => c.body);
    expect(forB.length).toBeGreaterThan(10);
    expect(leaks([...forB, ...seen])).toEqual([]);
  }, 30_000);
});
