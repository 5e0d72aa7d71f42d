import type Redis from 'ioredis';
import type { QuestionCard, Reply } from '../../src/core';
import { StudyCore, systemClock } from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import { RedisStore } from '../../src/store/redis/redis-store';
import { actor, fixtureBank } from '../core/fixtures';
import { RecordingMessenger } from '../core/recording-messenger';
import { testRedisUrl, uniqueTenant } from '../setup/redis';

/**
 * Sequential round trips of one answer through the core, on the store as the service
 * connects it (auto-pipelining on): each socket write of the store's connection is one
 * flush, and a flush that waits for the previous one's answer is one more round trip.
 */
describe('answer round trips through the core (Redis)', () => {
  let store: RedisStore;
  let core: StudyCore;
  let writes: string[][];

  beforeAll(async () => {
    store = await RedisStore.connect(testRedisUrl(), { clock: systemClock });
    core = new StudyCore({
      bank: fixtureBank(),
      store,
      clock: systemClock,
      logger: silentLogger,
      messenger: new RecordingMessenger(),
    });
    writes = [];
    const stream = (store.client as Redis).stream;
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      // Each command of a flush starts with `*<argc>`; its name is the first argument.
      const names = String(chunk)
        .split(/^\*\d+\r\n\$\d+\r\n/m)
        .slice(1)
        .map((c) => c.slice(0, c.indexOf('\r')).toLowerCase());
      writes.push(names);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  });

  afterAll(() => store.close());

  const only = (replies: Reply[], kind: Reply['kind']) => replies.filter((r) => r.kind === kind);

  it('answers a channel question in two: token, reads and any replay guard together, then the record', async () => {
    const tenant = uniqueTenant('art');
    const channel = { platform: 'local', tenant, id: 'C1', kind: 'channel', name: 'devops' } as const;
    const organizer = actor('olga', { tenant });
    await core.handle(organizer, channel, { kind: 'command', text: 'daily now' });
    const messenger = core.messenger as RecordingMessenger;
    const card = messenger.posts.at(-1)?.reply as QuestionCard;
    const answer = (userId: string) =>
      core.handle(actor(userId, { tenant }), channel, {
        kind: 'answer',
        target: card.target,
        questionId: card.questionId,
        choice: [...(core.bank.item(card.questionId)?.key ?? [])],
      });
    // Warm-up: a script's first call on a connection may need its EVAL.
    await answer('warm');

    writes.length = 0;
    const replies = await answer('ana');
    expect(only(replies, 'feedback')).toHaveLength(1);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toHaveLength(2);
    expect(writes[1]).toEqual(['evalsha']);

    // A platform's replay guard handed to the core is claimed in the same first round trip;
    // a repeated delivery records nothing and answers nothing.
    const click = (guard: () => Promise<boolean>) =>
      core.handle(
        actor('ben', { tenant }),
        channel,
        {
          kind: 'answer',
          target: card.target,
          questionId: card.questionId,
          choice: [...(core.bank.item(card.questionId)?.key ?? [])],
        },
        undefined,
        guard,
      );
    const guard = () => store.claimOnce(`${tenant}:delivery-1`, 60);
    writes.length = 0;
    expect(only(await click(guard), 'feedback')).toHaveLength(1);
    expect(writes.map((w) => w.length)).toEqual([3, 1]);
    expect(writes[0]).toContain('set');
    expect(await click(guard)).toEqual([]);
    expect(await store.postAnswers(tenant, card.target.id)).toMatchObject({ answered: 3 });
  });

  it('answers a quiz question in three: token, reads and session together, the record, the session saved', async () => {
    const tenant = uniqueTenant('art');
    const ana = actor('ana', { tenant });
    const dm = { platform: 'local', tenant, id: 'dm-ana', kind: 'dm' } as const;
    const started = await core.handle(ana, dm, { kind: 'command', text: 'quiz 3' });
    const first = only(started, 'question')[0] as QuestionCard;
    const answer = async (c: QuestionCard) =>
      core.handle(ana, dm, {
        kind: 'answer',
        target: c.target,
        questionId: c.questionId,
        choice: [...(core.bank.item(c.questionId)?.key ?? [])],
      });
    await answer(first);
    const next = only(await core.handle(ana, dm, { kind: 'next', target: first.target }), 'question')[0];

    writes.length = 0;
    expect(only(await answer(next as QuestionCard), 'feedback')).toHaveLength(1);
    expect(writes).toEqual([['evalsha', 'evalsha', 'get'], ['evalsha'], ['set']]);
  });
});
