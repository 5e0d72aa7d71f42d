import {
  type Activity,
  CloudAdapter,
  type ConfigurationBotFrameworkAuthentication,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';

/** What authenticating an inbound request yields (botframework-connector's AuthenticateRequestResult). */
export type AuthResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/**
 * `CloudAdapter` with its turn runner exposed for an already authenticated request.
 * `CloudAdapter.process` answers 500 to any error, including a token with a bad
 * signature; authenticating first lets the receiver answer 401 for those.
 */
export class StudyCloudAdapter extends CloudAdapter {
  /** Runs one turn for an activity whose request was authenticated by the caller. */
  runAuthenticated(
    auth: AuthResult,
    activity: Activity,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}
