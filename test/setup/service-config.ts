import type { Config } from '../../src/config';

/** The smallest service config of the tests: port 0 on localhost, silent, the fixture pack; `extra` on top. */
export function testConfig(extra: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    questionPack: 'test/fixtures/pack-core',
    teams: { appType: 'SingleTenant' },
    ...extra,
  };
}
