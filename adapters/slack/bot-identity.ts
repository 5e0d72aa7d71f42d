import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/core';

/**
 * The bot's own user and bot ids from `auth.test`, asked once at start. A failure is
 * logged, never thrown (an unhandled rejection there would kill the process); the next
 * event asks again.
 */
export class BotIdentity {
  private ids?: Promise<{ botUserId?: string; botId?: string }>;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
  ) {}

  get(): Promise<{ botUserId?: string; botId?: string }> {
    this.ids ??= this.client.auth
      .test()
      .then((r) => {
        this.logger.info({ team: r.team_id, botUserId: r.user_id }, 'slack auth.test ok');
        return { ...(r.user_id ? { botUserId: r.user_id } : {}), ...(r.bot_id ? { botId: r.bot_id } : {}) };
      })
      .catch((err: unknown) => {
        this.logger.error(
          { err: (err as Error).message },
          'slack auth.test failed: check SLACK_BOT_TOKEN (will retry on the next event)',
        );
        this.ids = undefined;
        return {};
      });
    return this.ids;
  }
}
