import { join } from 'node:path';
import restify from 'restify';
import { createSlackAdapter } from '../../adapters/slack';
import { StudyCore, silentLogger, systemClock } from '../../src/core';
import { loadPack } from '../../src/packs/load-pack';
import { MemoryStore } from '../../src/store/memory/memory-store';
import { FakeSlackApi } from './fake-slack-api';
import { slackConfig } from './slack-harness';

function deps(config: ReturnType<typeof slackConfig>) {
  const store = new MemoryStore(systemClock);
  const core = new StudyCore({
    bank: loadPack(join(__dirname, '..', 'fixtures', 'pack-core')),
    store,
    clock: systemClock,
    logger: silentLogger,
  });
  return { core, store, clock: systemClock, logger: silentLogger, config };
}

let fake: FakeSlackApi;
beforeAll(async () => {
  fake = await FakeSlackApi.start();
});
afterAll(() => fake.close());

it('is off without config.slack', async () => {
  const config = slackConfig(fake);
  const { slack: _unused, ...withoutSlack } = config;
  expect(await createSlackAdapter(deps(withoutSlack))).toBeUndefined();
});

it('builds a Socket Mode adapter when an app token is set, without an HTTP route', async () => {
  const base = slackConfig(fake);
  const config = { ...base, slack: { botToken: 'xoxb-t', appToken: 'xapp-1-test', apiUrl: fake.apiUrl } };
  const adapter = await createSlackAdapter(deps(config));
  expect(adapter?.platform).toBe('slack');
  const server = restify.createServer();
  adapter?.mount(server);
  expect(Object.keys(server.getDebugInfo().routes)).toHaveLength(0);
});
