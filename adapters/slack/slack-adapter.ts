import { App } from '@slack/bolt';
import { ConfigError } from '../../src/config';
import type { AdapterFactory, PlatformAdapter } from '../../src/platform-adapter';
import { boltLogger } from './bolt-logger';
import { BotIdentity } from './bot-identity';
import { firstDelivery } from './dedupe';
import { registerListeners } from './listeners';
import { SlackMessenger } from './messenger';
import { RestifyReceiver } from './receiver';
import { clientOptions, createWebClient } from './web-client';

/**
 * The Slack adapter: a Bolt app on the service's restify server (`POST /slack/events`),
 * or on Socket Mode when `config.slack.appToken` is set; Block Kit rendering; the Slack
 * {@link SlackMessenger}. Returns undefined when Slack is not configured.
 */
export const createSlackAdapter: AdapterFactory = (deps) => {
  const cfg = deps.config.slack;
  if (!cfg) return undefined;
  const { logger, store } = deps;
  const client = createWebClient(cfg, logger, deps.metrics);
  const messenger = new SlackMessenger(client, store, logger);
  const bot = new BotIdentity(client, logger);
  // Our own authorize instead of Bolt's token check: Bolt's auth.test at construction is
  // an unhandled rejection when Slack cannot be reached; BotIdentity logs and retries.
  const authorize = async () => ({ botToken: cfg.botToken, ...(await bot.get()) });
  const common = {
    authorize,
    clientOptions: clientOptions(cfg, logger, deps.metrics),
    logger: boltLogger(logger),
    convoStore: false as const,
  };

  let receiver: RestifyReceiver | undefined;
  let app: App;
  if (cfg.appToken) {
    app = new App({ ...common, appToken: cfg.appToken, socketMode: true });
    // Over Socket Mode there is no signature to guard, but Slack still retries events.
    app.use(async ({ body, next }) => {
      if (
        await firstDelivery(
          store,
          { body: body as unknown as Record<string, unknown>, interactive: false },
          logger,
        )
      )
        await next();
    });
  } else {
    if (!cfg.signingSecret)
      throw new ConfigError(
        'Slack over HTTP needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).',
      );
    receiver = new RestifyReceiver({ signingSecret: cfg.signingSecret, store, clock: deps.clock, logger });
    app = new App({ ...common, receiver });
  }
  app.error(async (err) => {
    logger.error({ err: err.message, code: err.code }, 'slack app error');
  });
  registerListeners(app, { core: deps.core, store, logger, client, messenger });

  const adapter: PlatformAdapter = {
    platform: 'slack',
    messenger,
    mount(server) {
      receiver?.mount(server);
    },
    async start() {
      await bot.get();
      if (cfg.appToken) await app.start();
    },
    async stop() {
      if (cfg.appToken) await app.stop();
      await receiver?.stop();
    },
  };
  return adapter;
};
