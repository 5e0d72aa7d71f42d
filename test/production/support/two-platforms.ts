import { createSlackAdapter } from '../../../adapters/slack';
import { createTeamsAdapterWith } from '../../../adapters/teams';
import type { Config } from '../../../src/config';
import { type Logger, type Store, silentLogger } from '../../../src/core';
import { type Service, startService } from '../../../src/service';
import type { FakeSlackApi } from '../../slack/fake-slack-api';
import { slackConfig } from '../../slack/slack-harness';

/** What can differ between the services of the production tests. */
export interface TwoPlatformOptions {
  /** Teams settings; default anonymous (no app id). */
  readonly teams?: Config['teams'];
  /** A store built by the test; else `redisUrl` (the service builds RedisStore and BullMQ) or memory. */
  readonly store?: Store;
  readonly redisUrl?: string;
  readonly logger?: Logger;
  readonly extra?: Partial<Config>;
}

/**
 * The service with both platforms on port 0: Slack against the fake Web API (signing
 * secret of the Slack harness), Teams anonymous unless `teams` says otherwise, with the
 * Teams harness's fast retry policy.
 */
export function startTwoPlatforms(fake: FakeSlackApi, options: TwoPlatformOptions = {}): Promise<Service> {
  const config = slackConfig(fake, {
    teams: options.teams ?? { appType: 'SingleTenant' },
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...options.extra,
  });
  return startService(config, {
    logger: options.logger ?? silentLogger,
    adapters: [
      createSlackAdapter,
      (deps) => createTeamsAdapterWith(deps, { retry: { attempts: 6, baseMs: 5, maxMs: 200 } }),
    ],
    ...(options.store ? { store: options.store } : {}),
  });
}
