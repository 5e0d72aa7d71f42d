import {
  type Activity,
  CloudAdapter,
  type ConfigurationBotFrameworkAuthentication,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';

/** What authenticating an inbound request yields (botframework-connector's AuthenticateRequestResult). */
export type AuthResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

type ConnectorFactory = NonNullable<AuthResult['connectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = AuthResult['claimsIdentity'];
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;

/** Clients kept per adapter: a few connector endpoints (regions) in practice; the bound is against odd senders. */
const MAX_CLIENTS = 64;

/** The bot's app id in a request's claims, as botframework-connector reads it (none when anonymous). */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue('aud') ?? identity.getClaimValue('appid') ?? '';
}

/** A bounded cache of promised clients; a failed creation is forgotten so the next turn tries again. */
class ClientCache<T> {
  private readonly clients = new Map<string, Promise<T>>();

  get(key: string, create: () => Promise<T>): Promise<T> {
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.clear();
      client = create();
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }
}

/**
 * `CloudAdapter` with its turn runner exposed for an already authenticated request.
 * `CloudAdapter.process` answers 500 to any error, including a token with a bad
 * signature; authenticating first lets the receiver answer 401 for those.
 *
 * CloudAdapter also builds a new `ConnectorClient` and `UserTokenClient` for every turn
 * (each an Azure HTTP pipeline: about a tenth of the CPU of an answer click,
 * docs/benchmarks.md), although both depend only on the bot's app id, the connector
 * endpoint and the audience, and keep nothing per turn (their credentials cache tokens).
 * Here they are built once per such key and reused.
 */
export class StudyCloudAdapter extends CloudAdapter {
  private readonly connectors = new ClientCache<ConnectorClient>();

  constructor(auth: ConfigurationBotFrameworkAuthentication) {
    super(withCachedUserTokenClients(auth));
  }

  /** Runs one turn for an activity whose request was authenticated by the caller. */
  runAuthenticated(
    auth: AuthResult,
    activity: Activity,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    const factory = auth.connectorFactory;
    if (!factory) return this.processActivity(auth, activity, logic);
    const appId = appIdOf(auth.claimsIdentity);
    const cached: ConnectorFactory = {
      create: (serviceUrl, audience) =>
        this.connectors.get(`${appId}|${serviceUrl}|${audience ?? ''}`, () =>
          factory.create(serviceUrl, audience),
        ),
    };
    return this.processActivity({ ...auth, connectorFactory: cached }, activity, logic);
  }
}

/**
 * The same authentication, with one `UserTokenClient` per app id (it is built from the
 * app id and the configuration only). Everything else is inherited from `auth` itself.
 */
function withCachedUserTokenClients(
  auth: ConfigurationBotFrameworkAuthentication,
): ConfigurationBotFrameworkAuthentication {
  const clients = new ClientCache<UserTokenClient>();
  const cached = Object.create(auth) as ConfigurationBotFrameworkAuthentication;
  cached.createUserTokenClient = (identity) =>
    clients.get(appIdOf(identity), () => auth.createUserTokenClient(identity));
  return cached;
}
