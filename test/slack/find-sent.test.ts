import type { Where } from '../../src/core';
import type { Service } from '../../src/service';
import { FakeSlackApi } from './fake-slack-api';
import { startSlackService } from './slack-harness';

describe('Slack send recovery', () => {
  let fake: FakeSlackApi;
  let service: Service;
  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    service = await startSlackService(fake);
  });
  afterAll(async () => {
    await service.close();
    await fake.close();
  });

  it('finds a message again by the send key carried in its metadata, and nothing for another key', async () => {
    const messenger = service.adapters.find((a) => a.platform === 'slack')?.messenger;
    if (!messenger?.findSent) throw new Error('the Slack messenger must implement findSent');
    const where: Where = { platform: 'slack', tenant: 'slack:T0', id: 'C42', kind: 'channel' };
    const ref = await messenger.post(
      where,
      { kind: 'text', text: 'Daily question' },
      { sendKey: 'daily:slack:T0:C42:2026-11-30' },
    );
    await messenger.post(
      where,
      { kind: 'text', text: 'In the thread' },
      { thread: ref, sendKey: 'reveal:p1' },
    );
    expect(await messenger.findSent(where, 'daily:slack:T0:C42:2026-11-30')).toEqual({ where, id: ref.id });
    expect(await messenger.findSent(where, 'daily:slack:T0:C42:2026-12-01')).toBeUndefined();
    const history = fake.calls.filter((c) => c.method === 'conversations.history');
    expect(history.at(-1)?.body).toMatchObject({ channel: 'C42' });
  });
});
