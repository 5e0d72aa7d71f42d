import { defaultScheduleConfig } from '../../src/config';
import type { Item } from '../../src/core';
import type { Service } from '../../src/service';
import { FakeSlackApi, type RecordedCall } from '../slack/fake-slack-api';
import { answerAction, blockAction, cardIds, eventCallback, send, uniqueTeam } from '../slack/slack-harness';
import { cardOf, FakeConnector } from '../teams/fake-connector';
import { answerWith, cardText, channelPost, elements, type Json, TeamsSim } from '../teams/teams-harness';
import { CrashWatch } from './support/crash-watch';
import { hasAnswerControls, SlackMember, TeamsMember } from './support/drive';
import { LoopbackGuard } from './support/loopback-guard';
import { RecordingLogger } from './support/recording-logger';
import { RedisProcess } from './support/redis-process';
import { startTwoPlatforms } from './support/two-platforms';

/** The core's catch-all answer while the store is away. */
const TRY_AGAIN = /try again in a moment/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it holds; fails after `timeoutMs` saying what it waited for (and `explain()`). */
async function until(
  what: string,
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  explain?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${explain ? `: ${explain()}` : ''}`);
    await sleep(25);
  }
}

type Phase = 'up' | 'down' | 'back';

/** An answer whose feedback said points were awarded: it must be in the store afterwards. */
interface Acked {
  readonly tenant: string;
  readonly userId: string;
  readonly questionId: string;
  readonly points: number;
}

/** What the members' loops saw, by phase of the Redis outage. */
class Traffic {
  phase: Phase = 'up';
  stopped = false;
  readonly acked: Acked[] = [];
  readonly friendly: Record<Phase, number> = { up: 0, down: 0, back: 0 };
  /** Rounds that got no reply at all. */
  readonly silent: Record<Phase, number> = { up: 0, down: 0, back: 0 };
  readonly normal: Record<Phase, number> = { up: 0, down: 0, back: 0 };
  /** Members with a normal round after Redis came back. */
  readonly recovered = new Set<string>();
  readonly badStatuses: string[] = [];
  readonly errors: string[] = [];

  /** One round's outcome: a normal reply, the friendly "try again", or nothing at all. */
  saw(member: string, phase: Phase, text: string): void {
    if (TRY_AGAIN.test(text)) this.friendly[phase] += 1;
    else if (!/\w/.test(text)) this.silent[phase] += 1;
    else {
      this.normal[phase] += 1;
      if (phase === 'back') this.recovered.add(member);
    }
  }
}

describe('Redis stops and comes back while members answer', () => {
  let redis: RedisProcess;
  let fake: FakeSlackApi;
  let connector: FakeConnector;
  let service: Service;
  const logger = new RecordingLogger();
  const guard = new LoopbackGuard();
  const crashWatch = new CrashWatch();

  beforeAll(async () => {
    guard.install();
    crashWatch.install();
    redis = await RedisProcess.start({ durable: true });
    fake = await FakeSlackApi.start();
    connector = await new FakeConnector().start();
    // REDIS_URL in the config: the service builds its RedisStore and BullMQ itself.
    service = await startTwoPlatforms(fake, {
      redisUrl: redis.url,
      logger,
      extra: {
        userRate: { burst: 10_000, perSecond: 1000 },
        schedule: {
          ...defaultScheduleConfig,
          graceMs: 7_200_000,
          lockDurationMs: 1000,
          stalledIntervalMs: 1000,
          concurrency: 5,
        },
      },
    });
  });

  afterAll(async () => {
    await service?.close();
    await connector?.stop();
    await fake?.close();
    await redis?.destroy();
    crashWatch.uninstall();
    guard.uninstall();
  });

  /** Rounds of `quiz 1` and an answer in a Teams personal chat until stopped. */
  async function teamsLoop(traffic: Traffic, sim: TeamsSim, name: string): Promise<void> {
    const dm = sim.personal(name);
    const withAnswer = (card: unknown) => elements(card).some((e) => e.verb === 'answer');
    while (!traffic.stopped) {
      const phase = traffic.phase;
      const before = connector.calls.length;
      const res = await sim.post(sim.message(name, dm, 'quiz 1'));
      if (res.status !== 200) traffic.badStatuses.push(`teams message ${res.status}`);
      const cards = connector.calls
        .slice(before)
        .filter((c) => c.conversationId === dm.id && c.status < 300)
        .map(cardOf);
      const card = cards.find(withAnswer);
      if (!card) {
        traffic.saw(name, phase, cards.map((c) => cardText(c)).join('\n'));
        await sleep(50);
        continue;
      }
      const submit = elements(card).find((e) => e.verb === 'answer') as Json;
      const item = service.core.bank.item(submit.data.q) as Item;
      const answer = await sim.post(sim.invoke(name, dm, answerWith(card, item.key)));
      if (answer.status !== 200) traffic.badStatuses.push(`teams invoke ${answer.status}`);
      const text = JSON.stringify(answer.body);
      const points = /\+(\d+) points/.exec(text);
      if (points)
        traffic.acked.push({
          tenant: sim.tenant,
          userId: `aad-${name}`,
          questionId: item.id,
          points: Number(points[1]),
        });
      traffic.saw(name, phase, text);
      if (TRY_AGAIN.test(text)) await sleep(50);
    }
  }

  /** Rounds of `/study quiz 1` and a click on the key in a Slack DM until stopped. */
  async function slackLoop(traffic: Traffic, member: SlackMember): Promise<void> {
    const said = (c: RecordedCall) => hasAnswerControls(c) || TRY_AGAIN.test(JSON.stringify(c.body));
    const isFeedback = (c: RecordedCall) => /Correct answer|Correct order/.test(JSON.stringify(c.body));
    while (!traffic.stopped) {
      const phase = traffic.phase;
      try {
        const replies = await member.command('quiz 1', (c) => c.some(said));
        const card = replies.find(hasAnswerControls);
        if (!card) {
          traffic.saw(member.user, phase, JSON.stringify(replies.map((c) => c.body)));
          await sleep(50);
          continue;
        }
        const item = service.core.bank.item(cardIds(card.body.blocks).questionId) as Item;
        const answered = await member.click(
          { ...card.body, ts: '1.0' },
          answerAction(card.body.blocks, item.key),
          (c) => c.some((x) => isFeedback(x) || TRY_AGAIN.test(JSON.stringify(x.body))),
        );
        const text = JSON.stringify(answered.map((c) => c.body));
        const feedback = answered.find(isFeedback);
        const points = feedback && /\+(\d+) points/.exec(JSON.stringify(feedback.body));
        if (points)
          traffic.acked.push({
            tenant: `slack:${member.team}`,
            userId: member.user,
            questionId: item.id,
            points: Number(points[1]),
          });
        traffic.saw(member.user, phase, feedback ? JSON.stringify(feedback.body) : text);
      } catch (err) {
        // A request answered with another status than 200, or a reply that never came.
        traffic.errors.push(`${member.user} (${phase}): ${(err as Error).message.slice(0, 200)}`);
        await sleep(50);
      }
    }
  }

  it('keeps the service up, answers "try again" meanwhile, and loses no acknowledged answer', async () => {
    const traffic = new Traffic();
    const sim = new TeamsSim(service.url, connector, `tid-faults-${process.pid}`);
    const team = uniqueTeam();
    const teamsNames = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const slackMembers = Array.from({ length: 4 }, (_, i) => new SlackMember(service, fake, team, `UF${i}`));
    const loops = [
      ...teamsNames.map((n) => teamsLoop(traffic, sim, n)),
      ...slackMembers.map((m) => slackLoop(traffic, m)),
    ];

    try {
      await until('answers acknowledged before the outage', () => traffic.acked.length >= 20);
      traffic.phase = 'down';
      await redis.stop();
      await until(
        'friendly replies during the outage',
        () => traffic.friendly.down >= 10,
        20_000,
        () => JSON.stringify(traffic, (k, v) => (k === 'acked' ? v.length : v instanceof Set ? [...v] : v)),
      );

      // Meanwhile, on each kind of request: an answer, 200 (Slack acks in time), a friendly reply.
      const healthz = await fetch(`${service.url}/healthz`);
      expect(healthz.status).toBe(200);
      expect((await fetch(`${service.url}/readyz`)).status).toBe(503);
      const dmEvent = eventCallback(team, {
        type: 'message',
        channel_type: 'im',
        channel: 'DOUT',
        user: 'UOUT',
        text: 'progress',
        ts: '9.1',
      });
      const eventRes = await send(service, dmEvent);
      expect(eventRes.status).toBe(200);
      const eventReply = await fake.waitFor('the DM reply', () =>
        fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'DOUT'),
      );
      expect(JSON.stringify(eventReply.body)).toMatch(TRY_AGAIN);
      const click = blockAction(fake, {
        team,
        user: 'UOUT',
        channel: { id: 'DOUT', name: 'directmessage' },
        action: {
          type: 'button',
          action_id: 'sc_answer_0',
          value: JSON.stringify(['s', 'gone', 'fx-single-1', 'a']),
        },
      });
      expect((await send(service, click)).status).toBe(200);
      const teamsInvoke = await sim.post(
        sim.invoke('mout', sim.personal('mout'), { verb: 'next', t: 'session', id: 'gone' }),
      );
      expect(teamsInvoke.status).toBe(200);
      expect(JSON.stringify(teamsInvoke.body)).toMatch(TRY_AGAIN);

      traffic.phase = 'back';
      await redis.start();
      await until(
        'every member answered normally again',
        () => traffic.recovered.size === teamsNames.length + slackMembers.length,
        30_000,
      );
    } finally {
      // Whatever failed above, the loops end and Redis is up again before the service closes.
      traffic.stopped = true;
      if (!redis.running) await redis.start();
      await Promise.all(loops);
    }

    expect(crashWatch.crashes).toEqual([]);
    expect(guard.names).toEqual([]);
    expect(traffic.badStatuses).toEqual([]);
    expect(traffic.errors).toEqual([]);
    expect(traffic.friendly.down).toBeGreaterThanOrEqual(10);
    expect(traffic.silent).toEqual({ up: 0, down: 0, back: 0 });
    expect(traffic.normal.back).toBeGreaterThan(0);

    // Every acknowledged answer is in Redis: the question seen, at least the points awarded.
    const byUser = new Map<string, Acked[]>();
    for (const a of traffic.acked)
      byUser.set(`${a.tenant}|${a.userId}`, [...(byUser.get(`${a.tenant}|${a.userId}`) ?? []), a]);
    const missing: string[] = [];
    for (const [key, answers] of byUser) {
      const [tenant, userId] = key.split('|') as [string, string];
      const seen = await service.store.seenQuestions(tenant, userId);
      const stats = await service.store.getStats(tenant, userId);
      for (const a of answers) if (!seen.has(a.questionId)) missing.push(`${key} ${a.questionId}`);
      const awarded = answers.reduce((n, a) => n + a.points, 0);
      if (stats.points < awarded)
        missing.push(`${key}: ${stats.points} points in the store, ${awarded} acknowledged`);
    }
    expect(missing).toEqual([]);
    expect(traffic.acked.length).toBeGreaterThanOrEqual(20);

    // And a newcomer after the outage studies as usual.
    const newcomer = new TeamsMember(service, sim, 'newcomer');
    const [feedback] = await newcomer.quiz(1);
    expect(cardText(feedback)).toContain('Correct!');
    expect((await service.store.getStats(sim.tenant, 'aad-newcomer')).points).toBeGreaterThan(0);
  }, 90_000);
});

describe('Teams channel members while Redis is down', () => {
  const CHANNEL = '19:outage@thread.tacv2';
  let redis: RedisProcess;
  let fake: FakeSlackApi;
  let connector: FakeConnector;
  let service: Service;

  beforeAll(async () => {
    redis = await RedisProcess.start({ durable: true });
    fake = await FakeSlackApi.start();
    connector = await new FakeConnector().start();
    service = await startTwoPlatforms(fake, { redisUrl: redis.url });
  });

  afterAll(async () => {
    await service?.close();
    await connector?.stop();
    await fake?.close();
    await redis?.destroy();
  });

  it('hear "try again" in the thread or the invoke response, and nothing is half-written', async () => {
    const sim = new TeamsSim(service.url, connector, `tid-outage-${process.pid}`);
    const ben = new TeamsMember(service, sim, 'ben');
    // Ana organizes the channel's question; Ben has a 1:1 chat, known only to the store.
    await sim.post(sim.message('ana', sim.channel(CHANNEL, '3001'), 'daily now'));
    const { shared, postId, item } = await channelPost(connector, CHANNEL, service.core.bank, 5000);
    await ben.say('help');
    const thread = (messageId: string) => `${CHANNEL};messageid=${messageId}`;
    const repliesIn = (messageId: string) => connector.ok('reply', thread(messageId));

    await redis.stop();
    const during = connector.calls.length;
    try {
      // A command whose answer is private: the 1:1 chat is out of reach, so the core's
      // "try again" is said in the thread of the message.
      const said = await sim.post(sim.message('ben', sim.channel(CHANNEL, '3002'), 'progress'));
      expect(said.status).toBe(200);
      const reply = await connector.waitFor(() => repliesIn('3002')[0], 5000, 'the reply to "progress"');
      expect(cardText(cardOf(reply))).toMatch(/nothing was saved\. Please try again in a moment/);
      // A command that @mentions someone without an Entra id needs a look-up first.
      const cy = { id: '29:cy', name: 'Cy' };
      const added = await sim.post(
        sim.message('ana', sim.channel(CHANNEL, '3003'), 'organizer add <at>Cy</at>', [cy]),
      );
      expect(added.status).toBe(200);
      const excuse = await connector.waitFor(
        () => repliesIn('3003')[0],
        5000,
        'the reply to "organizer add"',
      );
      expect(cardText(cardOf(excuse))).toMatch(TRY_AGAIN);
      // An answer click on the channel post: the invoke response says it.
      const click = await sim.post(
        sim.invoke('ben', sim.channel(CHANNEL, '3001'), answerWith(shared, item.key)),
      );
      expect(click.status).toBe(200);
      expect(JSON.stringify(click.body)).toMatch(TRY_AGAIN);
      // One reply per message, and nothing else said anywhere.
      expect(repliesIn('3002')).toHaveLength(1);
      expect(repliesIn('3003')).toHaveLength(1);
      expect(connector.calls.slice(during)).toHaveLength(2);
    } finally {
      await redis.start();
    }

    // Nothing was written: no attempt on the post, no points, no organizer; Ben's click now counts.
    await until('the service ready again', async () => (await fetch(`${service.url}/readyz`)).status === 200);
    expect(await service.store.postAnswers(sim.tenant, postId)).toMatchObject({ answered: 0 });
    expect((await service.store.getStats(sim.tenant, 'aad-ben')).points).toBe(0);
    expect(await service.store.organizers(sim.tenant, CHANNEL)).toEqual(['aad-ana']);
    const { value } = await ben.act(answerWith(shared, item.key), sim.channel(CHANNEL, '3001'));
    expect(cardText(value)).toContain('Correct!');
    expect(await service.store.postAnswers(sim.tenant, postId)).toMatchObject({ answered: 1, correct: 1 });
  }, 30_000);
});

describe('Slack and Teams APIs answering 5xx and 429 for a while', () => {
  let fake: FakeSlackApi;
  let connector: FakeConnector;
  let service: Service;

  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    connector = await new FakeConnector().start();
    service = await startTwoPlatforms(fake);
  });

  afterAll(async () => {
    await service?.close();
    await connector?.stop();
    await fake?.close();
  });

  it('Slack: messages and feedback are retried until they arrive, each once', async () => {
    const team = uniqueTeam();
    // DM replies go through chat.postMessage: a 429 (Retry-After 0), then a 503.
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 0 }, { status: 503 });
    for (const user of ['UA1', 'UA2'])
      await send(
        service,
        eventCallback(team, {
          type: 'message',
          channel_type: 'im',
          channel: `D${user}`,
          user,
          text: 'help',
          ts: '1.1',
        }),
      );
    for (const user of ['UA1', 'UA2'])
      await fake.waitFor(
        'the help reply',
        () => fake.callsTo('chat.postMessage').find((c) => c.body.channel === `D${user}`),
        15_000,
      );

    // Slash commands and clicks answer through response_url: 503, 429, 500 before it works.
    const member = new SlackMember(service, fake, team, 'UA3');
    fake.failNext('respond', { status: 503 }, { status: 429, retryAfter: 0 }, { status: 500 });
    const [feedback] = await member.quiz(1);
    expect(JSON.stringify(feedback?.body)).toContain('Correct!');
    fake.failNext('respond', { status: 502 }, { status: 429, retryAfter: 0 });
    const progress = await member.command('progress', (c) =>
      c.some((x) => /Progress for/.test(JSON.stringify(x.body))),
    );

    const failed = fake.calls.filter((c) => c.status !== 200);
    expect(failed.map((c) => `${c.method} ${c.status}`).sort()).toEqual(
      [
        'chat.postMessage 429',
        'chat.postMessage 503',
        'respond 429',
        'respond 429',
        'respond 500',
        'respond 502',
        'respond 503',
      ].sort(),
    );
    // Nothing lost, nothing doubled: one help per DM, one feedback, one progress view.
    for (const user of ['UA1', 'UA2'])
      expect(fake.callsTo('chat.postMessage').filter((c) => c.body.channel === `D${user}`)).toHaveLength(1);
    expect(fake.callsTo('respond').filter((c) => /Correct answer/.test(JSON.stringify(c.body)))).toHaveLength(
      1,
    );
    expect(progress.filter((c) => /Progress for/.test(JSON.stringify(c.body)))).toHaveLength(1);
    expect((await service.store.getStats(`slack:${team}`, 'UA3')).points).toBe(10);
  }, 30_000);

  it('Teams: replies and channel posts are retried until they arrive, each once', async () => {
    const sim = new TeamsSim(service.url, connector, `tid-api-${process.pid}`);
    const members = ['ana', 'ben', 'cy'].map((n) => new TeamsMember(service, sim, n));
    connector.failNext(503);
    connector.failNext(429, { retryAfter: 0 });
    connector.failNext(500);
    connector.failNext(429, { retryAfter: 0 });
    const feedbacks = await Promise.all(members.map((m) => m.quiz(1)));
    for (const [feedback] of feedbacks) expect(cardText(feedback)).toContain('Correct!');
    // A proactive post in a channel: 502 then 429 before it lands.
    const channel = '19:api@thread.tacv2';
    connector.failNext(502, { match: (c) => c.conversationId === channel });
    connector.failNext(429, { retryAfter: 0, match: (c) => c.conversationId === channel });
    await members[0]?.say('daily now', sim.channel(channel, '7001'));
    await connector.waitFor(() => connector.ok('send', channel)[0], 5000, 'the channel post');

    expect(
      connector.calls
        .filter((c) => c.status >= 400)
        .map((c) => c.status)
        .sort(),
    ).toEqual([429, 429, 429, 500, 502, 503]);
    // Each member got one question card, and the channel one post.
    for (const m of members) {
      const questions = connector
        .ok(undefined, m.dm.id as string)
        .filter((c) => elements(cardOf(c)).some((e) => e.verb === 'answer'));
      expect(questions).toHaveLength(1);
    }
    expect(connector.ok('send', channel)).toHaveLength(1);
  }, 30_000);
});
