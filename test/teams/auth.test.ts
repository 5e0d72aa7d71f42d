import type { Service } from '../../src/service';
import { FakeConnector } from './fake-connector';
import { FakeIssuer } from './fake-issuer';
import { startTeams, TeamsSim } from './teams-harness';

const APP_ID = '00000000-0000-0000-0000-00000000a99';

describe('Teams inbound authentication (app id set, local OpenID issuer)', () => {
  let service: Service;
  let connector: FakeConnector;
  let issuer: FakeIssuer;
  let sim: TeamsSim;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    issuer = await new FakeIssuer().start();
    service = await startTeams({
      teams: {
        appId: APP_ID,
        appPassword: 'not-a-real-secret',
        appType: 'SingleTenant',
        tenantId: 'tid-auth',
        openIdMetadataUrl: issuer.metadataUrl,
      },
    });
    sim = new TeamsSim(service.url, connector, 'tid-auth');
  });
  afterAll(async () => {
    await service.close();
    await issuer.stop();
    await connector.stop();
  });

  // A refresh of an unknown post is answered in the HTTP response: no outbound call,
  // so no token from the Microsoft login endpoint is needed.
  const refresh = () =>
    sim.invoke('alice', sim.channel(), { verb: 'refresh', t: 'post', id: 'p-unknown' }, 'automatic');

  it('accepts a token signed by the channel issuer', async () => {
    const res = await sim.post(refresh(), { authorization: `Bearer ${issuer.token(APP_ID, connector.url)}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  });

  it('refuses a request without a token with 401', async () => {
    expect((await sim.post(refresh())).status).toBe(401);
    expect((await sim.post(refresh(), { authorization: 'Bearer not.a.jwt' })).status).toBe(401);
  });

  it('refuses a token signed by another key, for another app, or from another issuer with 401', async () => {
    // botframework-connector prints the published key when a signature does not match.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const stranger = issuer.token(APP_ID, connector.url, { key: FakeIssuer.strangerKey() });
    expect((await sim.post(refresh(), { authorization: `Bearer ${stranger}` })).status).toBe(401);
    const otherApp = issuer.token('some-other-app', connector.url);
    expect((await sim.post(refresh(), { authorization: `Bearer ${otherApp}` })).status).toBe(401);
    const otherIssuer = issuer.token(APP_ID, connector.url, { issuer: 'https://evil.example.com' });
    expect((await sim.post(refresh(), { authorization: `Bearer ${otherIssuer}` })).status).toBe(401);
    expect(connector.calls).toHaveLength(0);
    quiet.mockRestore();
  });

  it('still answers 400 to a malformed activity before looking at the token', async () => {
    expect((await sim.post({ type: 123 })).status).toBe(400);
  });
});
