import type { Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import type { Logger } from '../../src/core';
import { annotateRequest, requestLogger } from '../../src/http/request-context';
import { activitySchema, describeIssues } from './activity-schema';
import { isAuthFailure } from './auth';
import { REQUEST_LOGGER, type StudyBot } from './bot';
import type { AuthResult, StudyCloudAdapter } from './cloud-adapter';
import { tenantOf } from './identity';

/** The Bot Framework messaging endpoint. */
export const MESSAGES_PATH = '/api/messages';

/** Activities are small; anything bigger is not from the Bot Connector. */
const MAX_BODY_BYTES = 256 * 1024;

interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * Mounts `POST /api/messages`: JSON parsed on this route only (the Slack route needs
 * its raw body), the activity's shape checked with zod (400 instead of CloudAdapter's
 * 500 for garbage), the token checked (401), then the turn run by `CloudAdapter`.
 * Turn errors are logged and answered 500, never thrown out of the handler.
 */
export function mountMessages(
  server: Server,
  deps: {
    adapter: StudyCloudAdapter;
    auth: ConfigurationBotFrameworkAuthentication;
    bot: StudyBot;
    logger: Logger;
  },
): void {
  const handle = async (req: Request, logger: Logger): Promise<HttpResult> => {
    const parsed = activitySchema.safeParse(req.body);
    if (!parsed.success) {
      logger.warn({ issues: describeIssues(parsed.error) }, 'refused a malformed Teams activity');
      return { status: 400, body: { error: 'invalid activity', detail: describeIssues(parsed.error) } };
    }
    const activity = parsed.data as unknown as Activity;
    const header = String(req.headers.authorization ?? '');
    let auth: AuthResult;
    try {
      auth = await deps.auth.authenticateRequest(activity, header);
    } catch (err) {
      if (isAuthFailure(err)) {
        logger.warn({ reason: (err as Error).message }, 'refused a Teams request with no valid token');
        return { status: 401, body: { error: 'unauthorized' } };
      }
      throw err;
    }
    annotateRequest(req, { tenant: tenantOf(activity) });
    const invoke = await deps.adapter.runAuthenticated(auth, activity, (ctx) => {
      ctx.turnState.set(REQUEST_LOGGER, logger);
      return deps.bot.run(ctx);
    });
    logger.debug(
      {
        type: activity.type,
        name: activity.name,
        conversation: activity.conversation.conversationType,
        status: invoke?.status ?? 200,
      },
      'Teams activity handled',
    );
    return { status: invoke?.status ?? 200, body: invoke?.body };
  };

  const parseBody = restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false });
  server.post(MESSAGES_PATH, parseBody, (req: Request, res: Response, next: restify.Next) => {
    annotateRequest(req, { platform: 'teams' });
    const logger = requestLogger(deps.logger, req);
    handle(req, logger)
      .catch((err: unknown): HttpResult => {
        logger.error(
          { err, type: (req.body as { type?: unknown } | undefined)?.type },
          'Teams activity failed',
        );
        return { status: 500, body: { error: 'internal error' } };
      })
      .then((r) => {
        if (r.body === undefined) res.send(r.status);
        else res.send(r.status, r.body);
        next();
      });
  });
}
