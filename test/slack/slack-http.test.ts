import type { Service } from '../../src/service';
import { FakeSlackApi, type RecordedCall } from './fake-slack-api';
import {
  answerAction,
  blockAction,
  blockText,
  cardIds,
  elements,
  eventCallback,
  send,
  sign,
  signed,
  slashCommand,
  startSlackService,
  uniqueTeam,
} from './slack-harness';

let fake: FakeSlackApi;
let service: Service;
let team: string;
const tenant = () => `slack:${team}`;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  service = await startSlackService(fake);
});

afterAll(async () => {
  await service?.close();
  await fake?.close();
});

beforeEach(() => {
  team = uniqueTeam();
});

const responds = (pred: (c: RecordedCall) => boolean = () => true) => fake.callsTo('respond').filter(pred);
const inChannel = (c: RecordedCall) => c.body.response_type === 'in_channel';

describe('transport', () => {
  it('calls auth.test at start with the bot token', () => {
    const auth = fake.callsTo('auth.test');
    expect(auth.length).toBeGreaterThanOrEqual(1);
    expect(auth[0]?.token).toBe('xoxb-test-token');
  });

  it('answers url_verification and ssl_check', async () => {
    const r = await send(
      service,
      signed(
        JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }),
        'application/json',
      ),
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ challenge: 'abc123' });
    const ssl = await send(service, signed('ssl_check=1&token=x', 'application/x-www-form-urlencoded'));
    expect(ssl.status).toBe(200);
  });

  it('refuses bad and stale signatures with 401 and changes nothing', async () => {
    const before = fake.calls.length;
    const good = slashCommand(fake, {
      team,
      user: 'U1',
      channel: 'D1',
      channelName: 'directmessage',
      text: 'quiz',
    });
    const bad = await send(service, { ...good, signature: sign(good.body, good.ts, 'wrong-secret') });
    const staleTs = good.ts - 6 * 60;
    const stale = await send(service, { ...good, ts: staleTs, signature: sign(good.body, staleTs) });
    const missing = await send(service, { ...good, signature: '' });
    expect([bad.status, stale.status, missing.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls.length).toBe(before);
    expect(await service.store.getActiveSession(tenant(), 'U1')).toBeUndefined();
  });

  it('answers 400 to a malformed body and 413 to an oversized one', async () => {
    expect((await send(service, signed('{not json', 'application/json'))).status).toBe(400);
    expect((await send(service, signed('x'.repeat(1024 * 1024 + 10), 'application/json'))).status).toBe(413);
  });

  it('acknowledges a replayed signed request but processes it once', async () => {
    const req = eventCallback(team, {
      type: 'message',
      channel_type: 'im',
      channel: 'DREPLAY',
      user: 'U1',
      text: 'help',
      ts: '1.1',
    });
    const first = await send(service, req);
    await fake.waitFor('help reply', () =>
      fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'DREPLAY'),
    );
    const second = await send(service, req);
    const retry = eventCallback(
      team,
      { type: 'message', channel_type: 'im', channel: 'DREPLAY', user: 'U1', text: 'help', ts: '1.1' },
      JSON.parse(req.body).event_id,
      {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      },
    );
    const third = await send(service, retry);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'DREPLAY')).toHaveLength(1);
  });
});

describe('direct messages and the slash command', () => {
  it('answers `help` typed in the DM with the command list', async () => {
    const r = await send(
      service,
      eventCallback(team, {
        type: 'message',
        channel_type: 'im',
        channel: 'DHELP',
        user: 'U1',
        text: 'help',
        ts: '2.1',
      }),
    );
    expect(r.status).toBe(200);
    const post = await fake.waitFor('help', () =>
      fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'DHELP'),
    );
    expect(blockText(post.body.blocks)).toContain('quiz');
    expect(post.token).toBe('xoxb-test-token');
    // users.info gave the actor its time zone and name
    expect(fake.callsTo('users.info').some((c) => c.body.user === 'U1')).toBe(true);
  });

  it('ignores bot messages and message subtypes', async () => {
    await send(
      service,
      eventCallback(team, {
        type: 'message',
        channel_type: 'im',
        channel: 'DBOT',
        bot_id: 'B9',
        user: 'U9',
        text: 'help',
        ts: '3.1',
      }),
    );
    await send(
      service,
      eventCallback(team, {
        type: 'message',
        channel_type: 'im',
        channel: 'DBOT',
        subtype: 'message_changed',
        user: 'U9',
        text: 'help',
        ts: '3.2',
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'DBOT')).toHaveLength(0);
  });

  it('runs `/study quiz` in the DM: card, answer click, feedback, Next', async () => {
    const cmd = slashCommand(fake, {
      team,
      user: 'UQ',
      channel: 'DQ',
      channelName: 'directmessage',
      text: 'quiz 2',
    });
    const r = await send(service, cmd);
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(3000);
    const responseId = new URLSearchParams(cmd.body).get('response_url')?.split('/').pop();
    const card = await fake.waitFor(
      'quiz card',
      () =>
        responds(
          (c) => c.body.responseId === responseId && inChannel(c) && elements(c.body.blocks).length > 0,
        )[0],
    );
    const ids = cardIds(card.body.blocks);
    expect(ids.kind).toBe('s');
    const item = service.core.bank.item(ids.questionId);
    if (!item) throw new Error('unknown item');
    const answerClick = blockAction(fake, {
      team,
      user: 'UQ',
      channel: { id: 'DQ', name: 'directmessage' },
      message: { ...card.body, ts: '10.1' },
      ...answerAction(card.body.blocks, item.key),
    });
    const res = await send(service, answerClick);
    expect(res.status).toBe(200);
    const feedback = await fake.waitFor(
      'feedback',
      () => responds((c) => blockText(c.body.blocks).includes('Correct answer'))[0],
    );
    expect(blockText(feedback.body.blocks)).toContain('Correct!');
    expect(blockText(feedback.body.blocks)).toContain('sc_next');
    // the answered card lost its buttons
    const replaced = await fake.waitFor(
      'card closed',
      () => responds((c) => c.body.replace_original === true)[0],
    );
    expect(elements(replaced.body.blocks)).toHaveLength(0);
    const stats = await service.store.getStats(tenant(), 'UQ');
    expect(stats.answered).toBe(1);
    expect(stats.points).toBe(10);

    const next = elements(feedback.body.blocks).find((e: { action_id: string }) => e.action_id === 'sc_next');
    const before = responds().length;
    const nextClick = blockAction(fake, {
      team,
      user: 'UQ',
      channel: { id: 'DQ', name: 'directmessage' },
      message: { ...feedback.body, ts: '10.2' },
      action: { type: 'button', action_id: 'sc_next', value: next.value },
    });
    // Sent twice (a replay): acknowledged both times, run once. A click other than an
    // answer is claimed before its listener runs; an answer's claim goes with the core's reads.
    expect((await send(service, nextClick)).status).toBe(200);
    expect((await send(service, nextClick)).status).toBe(200);
    const cards = () =>
      responds()
        .slice(before)
        .filter((c) => inChannel(c) && elements(c.body.blocks).length > 0);
    const second = await fake.waitFor('second card', () => cards()[0]);
    expect(cardIds(second.body.blocks).questionId).not.toBe(ids.questionId);
    await new Promise((r) => setTimeout(r, 200));
    expect(cards()).toHaveLength(1);
    // The answer click again: acknowledged, nothing recorded or sent twice.
    const sent = responds().length;
    expect((await send(service, answerClick)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(responds()).toHaveLength(sent);
    expect((await service.store.getStats(tenant(), 'UQ')).answered).toBe(1);
  });
});

it('uploads `export` as a file into the DM', async () => {
  await send(
    service,
    eventCallback(team, {
      type: 'message',
      channel_type: 'im',
      channel: 'DEXP',
      user: 'UEXP',
      text: 'export',
      ts: '9.1',
    }),
  );
  const done = await fake.waitFor('upload completed', () =>
    fake.callsTo('files.completeUploadExternal').find((c) => c.body.channel_id === 'DUEXP'),
  );
  expect(done.body.files).toContain('study-companion-export.json');
  const upload = fake.callsTo('upload').pop();
  // the file content travels to the upload URL (multipart), not through a message
  expect(upload?.body.content).toContain('{');
});

describe('App Home', () => {
  it('publishes progress and quiz buttons; a button starts the quiz in the DM', async () => {
    await send(
      service,
      eventCallback(team, {
        type: 'app_home_opened',
        user: 'UH',
        channel: 'DUH',
        tab: 'home',
        event_ts: '5.1',
      }),
    );
    const view = await fake.waitFor('views.publish', () =>
      fake.callsTo('views.publish').find((c) => c.body.user_id === 'UH'),
    );
    expect(view.body.view.type).toBe('home');
    const text = blockText(view.body.view.blocks);
    expect(text).toContain('Streak');
    expect(text).toContain('review');
    expect(text).toMatch(/░/);
    const quiz = elements(view.body.view.blocks).find((e: { value: string }) => e.value === 'quiz');
    expect(quiz).toBeDefined();
    expect(elements(view.body.view.blocks).some((e: { value: string }) => e.value === 'quiz 10')).toBe(true);

    await send(
      service,
      blockAction(fake, {
        team,
        user: 'UH2',
        view: true,
        action: { type: 'button', action_id: quiz.action_id, value: 'quiz' },
      }),
    );
    await fake.waitFor('conversations.open', () =>
      fake.callsTo('conversations.open').find((c) => c.body.users === 'UH2'),
    );
    const dm = await fake.waitFor('quiz in DM', () =>
      fake
        .callsTo('chat.postMessage')
        .find((c) => c.body.channel === 'DUH2' && elements(c.body.blocks).length > 0),
    );
    expect(cardIds(dm.body.blocks).kind).toBe('s');
  });
});

describe('channels', () => {
  const channel = { id: 'CDEV', name: 'devops' };

  it('answers an @mention; personal figures stay private', async () => {
    await send(
      service,
      eventCallback(team, {
        type: 'app_mention',
        user: 'UM',
        channel: channel.id,
        text: '<@UBOT> progress',
        ts: '6.1',
      }),
    );
    const eph = await fake.waitFor('ephemeral progress', () =>
      fake.callsTo('chat.postEphemeral').find((c) => c.body.user === 'UM'),
    );
    expect(blockText(eph.body.blocks)).toContain('Progress for');
    await send(
      service,
      eventCallback(team, {
        type: 'app_mention',
        user: 'UM',
        channel: channel.id,
        text: '<@UBOT> quiz',
        ts: '6.2',
      }),
    );
    await fake.waitFor('quiz in DM', () =>
      fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'DUM'),
    );
    const cmd = slashCommand(fake, {
      team,
      user: 'UM',
      channel: channel.id,
      channelName: channel.name,
      text: 'progress',
    });
    await send(service, cmd);
    const id = new URLSearchParams(cmd.body).get('response_url')?.split('/').pop();
    await fake.waitFor('respond', () => responds((c) => c.body.responseId === id)[0]);
    const publicPosts = [
      ...fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel.id),
      ...responds((c) => c.body.responseId === id && inChannel(c)),
    ];
    expect(publicPosts.filter((c) => /Progress for|Quiz of/.test(blockText(c.body.blocks)))).toHaveLength(0);
    expect(responds((c) => c.body.responseId === id).every((c) => c.body.response_type === 'ephemeral')).toBe(
      true,
    );
  });

  it('posts `daily now`, takes clicks from two users privately, updates the tally, reveals in the thread', async () => {
    const ch = { id: `C${team}`, name: 'devops' };
    const cmd = slashCommand(fake, {
      team,
      user: 'U1',
      channel: ch.id,
      channelName: ch.name,
      text: 'daily now',
    });
    expect((await send(service, cmd)).status).toBe(200);
    const card = await fake.waitFor('channel card', () =>
      fake.callsTo('chat.postMessage').find((c) => c.body.channel === ch.id),
    );
    expect(card.body.metadata.event_type).toBe('study_companion_send');
    const ids = cardIds(card.body.blocks);
    expect(card.body.metadata.event_payload.send_key).toBe(`post:${ids.id}`);
    expect(ids.kind).toBe('p');
    const ack = await fake.waitFor(
      'private ack',
      () => responds((c) => blockText(c.body.blocks).includes('Posted today'))[0],
    );
    expect(ack.body.response_type).toBe('ephemeral');

    const item = service.core.bank.item(ids.questionId);
    if (!item) throw new Error('unknown item');
    const wrong =
      item.type === 'order'
        ? [...item.key].reverse()
        : item.options
            .filter((o) => !item.key.includes(o.id))
            .slice(0, item.key.length)
            .map((o) => o.id);
    const message = { ...card.body, ts: card.response?.ts };
    const before = responds().length;
    for (const [user, choice] of [
      ['U1', item.key],
      ['U2', wrong],
    ] as const) {
      const click = answerAction(card.body.blocks, choice);
      const r = await send(service, blockAction(fake, { team, user, channel: ch, message, ...click }));
      expect(r.status).toBe(200);
    }
    const feedbacks = await fake.waitFor('two feedbacks', () => {
      const f = responds()
        .slice(before)
        .filter((c) => blockText(c.body.blocks).includes('Correct answer'));
      return f.length === 2 ? f : undefined;
    });
    for (const f of feedbacks) {
      expect(f.body.response_type).toBe('ephemeral');
      expect(f.body.replace_original).toBe(false);
    }
    expect((await service.store.getStats(tenant(), 'U1')).points).toBe(10);
    expect((await service.store.getStats(tenant(), 'U2')).points).toBe(0);
    // nothing but the card itself was posted publicly
    expect(fake.callsTo('chat.postMessage').filter((c) => c.body.channel === ch.id)).toHaveLength(1);

    await service.core.runJob({ name: 'tally', tenant: tenant(), postId: ids.id });
    // The last edit: the scheduled tally job may also have run between the two clicks.
    const update = fake
      .callsTo('chat.update')
      .filter((c) => c.body.channel === ch.id)
      .at(-1);
    expect(update?.body.ts).toBe(card.response?.ts);
    expect(blockText(update?.body.blocks)).toContain('2 answered');

    await service.core.reveal(tenant(), ids.id);
    const reveal = fake.callsTo('chat.postMessage').find((c) => c.body.channel === ch.id && c.body.thread_ts);
    expect(reveal?.body.thread_ts).toBe(card.response?.ts);
    expect(blockText(reveal?.body.blocks)).toContain('1 of 2 got it right');
    const closed = fake
      .callsTo('chat.update')
      .filter((c) => c.body.channel === ch.id)
      .pop();
    expect(elements(closed?.body.blocks)).toHaveLength(0);
    expect(blockText(closed?.body.blocks)).toContain('Closed');
  });

  it('tells the user privately how to invite the bot when it is not in the channel', async () => {
    fake.fail('chat.postMessage', 'CPRIV', 'not_in_channel');
    const cmd = slashCommand(fake, {
      team,
      user: 'U1',
      channel: 'CPRIV',
      channelName: 'secret',
      text: 'daily now',
    });
    await send(service, cmd);
    const hint = await fake.waitFor(
      'invite hint',
      () => responds((c) => blockText(c.body.blocks).includes('/invite @Study Companion'))[0],
    );
    expect(hint.body.response_type).toBe('ephemeral');
  });
});

describe('lifecycle and rate limits', () => {
  it('remembers an uninstall', async () => {
    await send(service, eventCallback(team, { type: 'app_uninstalled', event_ts: '7.1' }));
    await fake.waitFor('flag', () => true);
    const deadline = Date.now() + 3000;
    while (!(await service.store.getConversationRef(tenant(), 'slack:uninstalled')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await service.store.getConversationRef(tenant(), 'slack:uninstalled')).toBe(true);
  });

  it('retries a 429 after Retry-After and delivers', async () => {
    fake.rateLimitOnce('chat.postMessage', 1);
    await send(
      service,
      eventCallback(team, {
        type: 'message',
        channel_type: 'im',
        channel: 'D429',
        user: 'U1',
        text: 'help',
        ts: '8.1',
      }),
    );
    const ok = await fake.waitFor(
      'delivered after 429',
      () => fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'D429'),
      10_000,
    );
    const limited = fake.calls.find((c) => c.method === 'chat.postMessage' && c.status === 429);
    expect(limited).toBeDefined();
    expect(ok.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });
});
