import type { AdapterFactory, PlatformAdapter } from '../../src/platform-adapter';
import { createBotAuthentication } from './auth';
import { StudyBot, turnLogger } from './bot';
import { StudyCloudAdapter } from './cloud-adapter';
import { TeamsMessenger } from './messenger';
import { PostViews } from './post-views';
import { mountMessages } from './receiver';
import { TeamsRefs } from './refs';
import { defaultRetryPolicy, type RetryPolicy } from './retry';

/**
 * The Teams adapter: `POST /api/messages` through botbuilder's `CloudAdapter`,
 * Adaptive Cards for every reply, proactive sends from stored conversation references.
 * Always on: with no `MicrosoftAppId` it runs anonymously for local use (the Agents
 * Playground) and says so in the log.
 */
export const createTeamsAdapter: AdapterFactory = (deps) => createTeamsAdapterWith(deps);

/** The factory with tunables for tests (a fast retry policy). */
export function createTeamsAdapterWith(
  deps: Parameters<AdapterFactory>[0],
  options: { retry?: RetryPolicy } = {},
): PlatformAdapter {
  const { core, store, logger, config } = deps;
  // Connector calls are counted where they are retried.
  const retry = deps.metrics
    ? { ...(options.retry ?? defaultRetryPolicy), metrics: deps.metrics }
    : options.retry;
  const teams = config.teams;
  if (!teams.appId) {
    logger.warn(
      {},
      'Teams: MicrosoftAppId is not set, so /api/messages accepts anonymous requests (fine for the Agents Playground, never for production)',
    );
  }
  const auth = createBotAuthentication(teams);
  const adapter = new StudyCloudAdapter(auth);
  adapter.onTurnError = async (ctx, err) => {
    turnLogger(ctx, logger).error({ err, type: ctx.activity?.type }, 'Teams turn failed');
  };
  const refs = new TeamsRefs(store);
  const views = new PostViews(store);
  const messenger = new TeamsMessenger({
    adapter,
    appId: teams.appId ?? '',
    refs,
    views,
    logger,
    ...(retry ? { retry } : {}),
  });
  const bot = new StudyBot({
    core,
    store,
    refs,
    views,
    messenger,
    logger,
    ...(retry ? { retry } : {}),
  });
  return {
    platform: 'teams',
    messenger,
    mount(server) {
      mountMessages(server, { adapter, auth, bot, logger });
    },
  };
}
