import {
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { TeamsConfig } from '../../src/config';

/**
 * The public-cloud values of botframework-connector's `AuthenticationConstants`.
 * ConfigurationBotFrameworkAuthentication falls back to all of them only when none is
 * given; overriding one (the OpenID metadata URL, for tests with a local issuer) means
 * passing the rest too, or the issuer check compares against `undefined`.
 */
const publicCloud = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
} as const;

/**
 * Bot Framework authentication from the Teams settings. No app id: anonymous (local
 * use with the Agents Playground; every request is accepted). With an app id: inbound
 * tokens are checked against the channel's OpenID metadata, outbound calls get tokens
 * for the app registration (single-tenant by default, as new Azure Bots are).
 */
export function createBotAuthentication(teams: TeamsConfig): ConfigurationBotFrameworkAuthentication {
  if (!teams.appId) return new ConfigurationBotFrameworkAuthentication({});
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: teams.appId,
    MicrosoftAppType: teams.appType,
    ...(teams.appPassword ? { MicrosoftAppPassword: teams.appPassword } : {}),
    ...(teams.tenantId ? { MicrosoftAppTenantId: teams.tenantId } : {}),
    ...(teams.openIdMetadataUrl
      ? { ...publicCloud, ToBotFromChannelOpenIdMetadataUrl: teams.openIdMetadataUrl }
      : {}),
  };
  return new ConfigurationBotFrameworkAuthentication(options);
}

/** True for errors that mean "this request's token is not acceptable" (answer 401). */
export function isAuthFailure(err: unknown): boolean {
  const e = err as { name?: string; statusCode?: number } | undefined;
  if (e?.name === 'JsonWebTokenError' || e?.name === 'TokenExpiredError' || e?.name === 'NotBeforeError')
    return true;
  // botframework-connector's AuthenticationError carries the status it means (401, or 500 when metadata failed).
  return e?.statusCode === 401;
}
