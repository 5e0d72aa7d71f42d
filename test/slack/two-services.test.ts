import type { Service } from '../../src/service';
import { testRedisUrl } from '../setup/redis';
import { FakeSlackApi } from './fake-slack-api';
import {
  answerAction,
  blockAction,
  blockText,
  cardIds,
  eventCallback,
  send,
  slashCommand,
  startSlackService,
  uniqueTeam,
} from './slack-harness';

/**
 * Two replicas of the service on one Redis (RedisStore), as in production: whichever
 * replica gets a delivery, a retry or a repeated click is processed once.
 */
let fake: FakeSlackApi;
let a: Service;
let b: Service;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  a = await startSlackService(fake, { redisUrl: testRedisUrl() });
  b = await startSlackService(fake, { redisUrl: testRedisUrl() });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await fake?.close();
});

it('processes an Events API delivery and its retry on the other replica once', async () => {
  const team = uniqueTeam();
  const event = {
    type: 'message',
    channel_type: 'im',
    channel: `D${team}`,
    user: 'U1',
    text: 'help',
    ts: '1.1',
  };
  const first = eventCallback(team, event);
  const eventId = JSON.parse(first.body).event_id as string;
  const retry = eventCallback(team, event, eventId, {
    'x-slack-retry-num': '1',
    'x-slack-retry-reason': 'http_timeout',
  });
  expect((await send(a, first)).status).toBe(200);
  expect((await send(b, retry)).status).toBe(200);
  await fake.waitFor('reply', () =>
    fake.callsTo('chat.postMessage').find((c) => c.body.channel === `D${team}`),
  );
  await new Promise((r) => setTimeout(r, 300));
  expect(fake.callsTo('chat.postMessage').filter((c) => c.body.channel === `D${team}`)).toHaveLength(1);
});

it('counts the same click sent to both replicas once: one point, one ephemeral feedback', async () => {
  const team = uniqueTeam();
  const tenant = `slack:${team}`;
  const channel = { id: `C${team}`, name: 'study' };
  await send(
    a,
    slashCommand(fake, {
      team,
      user: 'U1',
      channel: channel.id,
      channelName: channel.name,
      text: 'daily now',
    }),
  );
  const card = await fake.waitFor('card', () =>
    fake.callsTo('chat.postMessage').find((c) => c.body.channel === channel.id),
  );
  const ids = cardIds(card.body.blocks);
  const item = a.core.bank.item(ids.questionId);
  if (!item) throw new Error('unknown item');
  const click = blockAction(fake, {
    team,
    user: 'U2',
    channel,
    message: { ...card.body, ts: card.response?.ts },
    ...answerAction(card.body.blocks, item.key),
  });
  const [ra, rb] = await Promise.all([send(a, click), send(b, click)]);
  expect([ra.status, rb.status]).toEqual([200, 200]);
  await fake.waitFor('feedback', () =>
    fake.callsTo('respond').find((c) => blockText(c.body.blocks).includes('Correct answer')),
  );
  await new Promise((r) => setTimeout(r, 300));
  const responseId = JSON.parse(new URLSearchParams(click.body).get('payload') ?? '{}')
    .response_url.split('/')
    .pop();
  expect(fake.callsTo('respond').filter((c) => c.body.responseId === responseId)).toHaveLength(1);
  expect((await a.store.getStats(tenant, 'U2')).points).toBe(10);
  expect((await b.store.postAnswers(tenant, ids.id)).answered).toBe(1);
});
