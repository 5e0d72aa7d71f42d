import { createSlackAdapter } from '../../adapters/slack';
import { createTeamsAdapter } from '../../adapters/teams';
import { type Config, secretsOf } from '../../src/config';
import { silentLogger } from '../../src/core';
import { createLogger } from '../../src/logger';
import { type Service, startService } from '../../src/service';
import { MemoryStore } from '../../src/store';
import { testConfig } from '../setup/service-config';
import { FakeSlackApi, type RecordedCall } from '../slack/fake-slack-api';
import {
  answerAction,
  blockAction,
  cardIds,
  elements,
  eventCallback,
  type SignedRequest,
  send,
  sign,
  slackConfig,
  slashCommand,
  uniqueTeam,
} from '../slack/slack-harness';
import { FakeConnector } from '../teams/fake-connector';
import { FakeIssuer } from '../teams/fake-issuer';
import { startTeams, TeamsSim } from '../teams/teams-harness';
import { scrape, scrapeUntil, seriesValue } from './scrape';

// Known secrets, distinctive enough that any appearance in the log is a leak.
const SIGNING_SECRET = 'obs-signing-secret-5f1c9a7e';
const BOT_TOKEN = 'xoxb-obs-bot-token-77aa31';
const APP_ID = '00000000-0000-0000-0000-0000000b5e11';
const APP_PASSWORD = 'obs-app-password-0c3d9e';
// Raw user ids that must only ever appear hashed.
const SLACK_USER = 'UOBSRAW01';
const TEAMS_USER = 'obsteamsuser';

/** The harness signs with its own secret: this service has another one. */
const resign = (r: SignedRequest): SignedRequest => ({ ...r, signature: sign(r.body, r.ts, SIGNING_SECRET) });

type LogLine = Record<string, unknown>;

describe('logs and metrics of a service with Slack and Teams configured', () => {
  const out: string[] = [];
  const lines = (): LogLine[] =>
    out.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((l) => JSON.parse(l));
  let fake: FakeSlackApi;
  let connector: FakeConnector;
  let issuer: FakeIssuer;
  let service: Service;
  let sim: TeamsSim;
  const team = uniqueTeam();
  const responds = (pred: (c: RecordedCall) => boolean) => fake.callsTo('respond').filter(pred);

  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    fake.users.set(SLACK_USER, { name: 'Robin', real_name: 'Robin Example' });
    connector = await new FakeConnector().start();
    issuer = await new FakeIssuer().start();
    const config: Config = {
      ...slackConfig(fake),
      logLevel: 'debug',
      slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl },
      teams: {
        appId: APP_ID,
        appPassword: APP_PASSWORD,
        appType: 'SingleTenant',
        tenantId: 'tid-obs',
        openIdMetadataUrl: issuer.metadataUrl,
      },
    };
    // The service's real logger, at debug (the most it ever writes), into memory.
    const logger = createLogger(config.logLevel, {
      secrets: secretsOf(config),
      destination: { write: (s: string) => void out.push(s) },
    });
    service = await startService(config, { logger, adapters: [createSlackAdapter, createTeamsAdapter] });
    sim = new TeamsSim(service.url, connector, 'tid-obs');
  });

  afterAll(async () => {
    await service?.close();
    await fake?.close();
    await connector?.stop();
    await issuer?.stop();
  });

  const command = (text: string, channel = 'DOBS', channelName = 'directmessage') =>
    resign(slashCommand(fake, { team, user: SLACK_USER, channel, channelName, text }));

  it('logs every request once with its id, route, status and duration; adapters add platform and tenant', async () => {
    const forged = command('help');
    const bad = await send(service, { ...forged, signature: sign(forged.body, forged.ts, 'wrong-secret') });
    expect(bad.status).toBe(401);

    const res = await fetch(`${service.url}/slack/events`, {
      method: 'POST',
      headers: {
        'x-request-id': 'trace-obs-0001',
        'content-type': forged.contentType,
        'x-slack-request-timestamp': String(forged.ts),
        'x-slack-signature': forged.signature,
      },
      body: forged.body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-obs-0001');
    expect((await fetch(`${service.url}/healthz`)).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const access = lines().filter((l) => l.msg === 'request' && l.route === '/slack/events');
    const refused = access.find((l) => l.status === 401);
    expect(refused).toMatchObject({ level: 30, method: 'POST', platform: 'slack' });
    expect(refused?.reqId).toEqual(expect.any(String));
    expect(refused?.ms).toEqual(expect.any(Number));
    expect(refused).not.toHaveProperty('tenant'); // unsigned: its team id is not believed
    const served = access.filter((l) => l.reqId === 'trace-obs-0001');
    expect(served).toHaveLength(1);
    expect(served[0]).toMatchObject({ status: 200, platform: 'slack', tenant: `slack:${team}` });
    // Probes stay out of the info log.
    expect(lines().find((l) => l.route === '/healthz')?.level).toBe(20);
  });

  it('tags the lines an adapter writes while handling a request with that request', async () => {
    fake.fail('chat.postMessage', 'COBSPRIV', 'not_in_channel');
    const cmd = command('daily now', 'COBSPRIV', 'secret');
    expect((await send(service, { ...cmd, headers: { 'x-request-id': 'trace-obs-0002' } })).status).toBe(200);
    // The adapter's own warning about the failed post, written after the HTTP answer.
    const warning = await fake.waitFor('the adapter warning', () =>
      lines().find((l) => l.msg === 'slack call failed' && l.code === 'not-in-channel'),
    );
    expect(warning).toMatchObject({ reqId: 'trace-obs-0002', platform: 'slack', tenant: `slack:${team}` });
    const byRequest = lines().filter((l) => l.reqId === 'trace-obs-0002');
    expect(byRequest.filter((l) => l.msg === 'request')).toHaveLength(1);
    for (const l of byRequest) expect(l).toMatchObject({ platform: 'slack', tenant: `slack:${team}` });
  });

  it('counts requests, answers, Slack API errors and 429s at /metrics', async () => {
    // An answer: `/study quiz 1`, then a click on the right option.
    const cmd = command('quiz 1');
    await send(service, cmd);
    const responseId = new URLSearchParams(cmd.body).get('response_url')?.split('/').pop();
    const card = await fake.waitFor('quiz card', () =>
      responds((c) => c.body.responseId === responseId && elements(c.body.blocks).length > 0).at(0),
    );
    const item = service.core.bank.item(cardIds(card.body.blocks).questionId);
    if (!item) throw new Error('unknown item');
    const click = resign(
      blockAction(fake, {
        team,
        user: SLACK_USER,
        channel: { id: 'DOBS', name: 'directmessage' },
        message: { ...card.body, ts: '10.1' },
        ...answerAction(card.body.blocks, item.key),
      }),
    );
    expect((await send(service, click)).status).toBe(200);

    // A 429 from the Web API, waited out and retried by the client.
    fake.rateLimitOnce('chat.postMessage', 1);
    const dm = resign(
      eventCallback(team, {
        type: 'message',
        channel_type: 'im',
        channel: 'DOBS429',
        user: SLACK_USER,
        text: 'help',
        ts: '8.1',
      }),
    );
    expect((await send(service, dm)).status).toBe(200);

    const text = await scrapeUntil(
      service.url,
      (t) =>
        seriesValue(t, 'sc_answers_recorded_total') >= 1 &&
        seriesValue(t, 'sc_platform_rate_limited_total', { platform: 'slack', method: 'chat.postMessage' }) >=
          1,
    );
    expect(
      seriesValue(text, 'sc_answers_recorded_total', { outcome: 'first_attempt', correct: 'true' }),
    ).toBe(1);
    expect(
      seriesValue(text, 'sc_platform_api_errors_total', {
        platform: 'slack',
        method: 'chat.postMessage',
        code: 'not_in_channel',
      }),
    ).toBeGreaterThanOrEqual(1);
    const refused = { route: '/slack/events', method: 'POST', status: '401' };
    expect(seriesValue(text, 'sc_http_requests_total', refused)).toBe(1);
    expect(seriesValue(text, 'sc_http_request_duration_seconds_count', refused)).toBe(1);
    expect(
      seriesValue(text, 'sc_http_requests_total', { route: '/slack/events', status: '200' }),
    ).toBeGreaterThan(4);
    expect(seriesValue(text, 'sc_store_errors_total')).toBe(0);
  });

  it('answers Teams requests: 401 without a token, 200 with one from the channel issuer', async () => {
    const refresh = sim.invoke(
      TEAMS_USER,
      sim.channel(),
      { verb: 'refresh', t: 'post', id: 'p-none' },
      'automatic',
    );
    expect((await sim.post(refresh)).status).toBe(401);
    const token = issuer.token(APP_ID, connector.url);
    expect((await sim.post(refresh, { authorization: `Bearer ${token}` })).status).toBe(200);
    const teamsLines = lines().filter((l) => l.msg === 'request' && l.route === '/api/messages');
    expect(teamsLines.map((l) => l.status).sort()).toEqual([200, 401]);
    expect(teamsLines.find((l) => l.status === 200)).toMatchObject({
      platform: 'teams',
      tenant: 'teams:tid-obs',
    });
    const text = await scrape(service.url);
    expect(seriesValue(text, 'sc_http_requests_total', { route: '/api/messages', status: '401' })).toBe(1);
  });

  it('never writes a configured secret, even at debug level', async () => {
    // An upstream that echoes credentials in its error (a proxy, a misconfigured fake):
    // the adapter logs the failure, and the logger must scrub what it carries.
    fake.fail('chat.postMessage', 'COBSLEAK', `echo ${BOT_TOKEN} ${SIGNING_SECRET} ${APP_PASSWORD}`);
    expect((await send(service, command('daily now', 'COBSLEAK', 'leaky'))).status).toBe(200);
    const failure = await fake.waitFor('the logged failure', () =>
      lines().find((l) => l.msg === 'slack call failed' && String(l.err).includes('echo')),
    );
    expect(failure.err).toBe('chat.postMessage: echo [redacted] [redacted] [redacted]');
    const log = out.join('');
    expect(lines().length).toBeGreaterThan(30);
    const metrics = await scrape(service.url);
    for (const secret of [SIGNING_SECRET, BOT_TOKEN, APP_PASSWORD]) {
      expect(log).not.toContain(secret);
      expect(metrics).not.toContain(secret); // error codes become labels: only Slack-shaped ones do
    }
  });

  it('writes no raw user id at info level and above (the production levels)', () => {
    // Debug lines do carry raw ids: the Slack Web API client logs request and response
    // bodies there (docs/operations.md says so).
    const production = lines()
      .filter((l) => (l.level as number) >= 30)
      .map((l) => JSON.stringify(l))
      .join('\n');
    expect(production).toContain(`slack:${team}`);
    for (const id of [SLACK_USER, TEAMS_USER]) expect(production).not.toContain(id);
  });
});

describe('Teams Bot Connector throttling', () => {
  it('counts a 429 from the connector and the retry that follows', async () => {
    const connector = await new FakeConnector().start();
    const service = await startTeams();
    try {
      const sim = new TeamsSim(service.url, connector, 'tid-429');
      connector.failNext(429, { retryAfter: 0 });
      const res = await sim.post(sim.message('ana', sim.personal('ana'), 'help'));
      expect(res.status).toBe(200);
      expect(connector.ok('reply').length).toBeGreaterThanOrEqual(1);
      const text = await scrape(service.url);
      expect(seriesValue(text, 'sc_platform_rate_limited_total', { platform: 'teams' })).toBe(1);
    } finally {
      await service.close();
      await connector.stop();
    }
  });
});

describe('Teams request logs', () => {
  it('tags the lines a Teams turn writes with its request, the connector retry included', async () => {
    const out: string[] = [];
    const logger = createLogger('info', { destination: { write: (s: string) => void out.push(s) } });
    const connector = await new FakeConnector().start();
    const service = await startTeams({ logger });
    try {
      const sim = new TeamsSim(service.url, connector, 'tid-logs');
      connector.failNext(503);
      const res = await sim.post(sim.message('ana', sim.personal('ana'), 'help'), {
        'x-request-id': 'trace-obs-0003',
      });
      expect(res.status).toBe(200);
      expect(connector.ok('reply').length).toBeGreaterThanOrEqual(1);
      const lines: LogLine[] = out.map((l) => JSON.parse(l));
      // The reply was retried inside the turn; the warning went to the request's logger.
      const retry = lines.find((l) => l.msg === 'Bot Connector call failed; retrying');
      expect(retry).toMatchObject({
        status: 503,
        reqId: 'trace-obs-0003',
        platform: 'teams',
        tenant: 'teams:tid-logs',
      });
      const byRequest = lines.filter((l) => l.reqId === 'trace-obs-0003');
      expect(byRequest.filter((l) => l.msg === 'request')).toHaveLength(1);
      for (const l of byRequest) expect(l).toMatchObject({ platform: 'teams', tenant: 'teams:tid-logs' });
    } finally {
      await service.close();
      await connector.stop();
    }
  });
});

describe('scheduled jobs', () => {
  it('counts jobs run and failed, and the store errors that failed them', async () => {
    const store = new MemoryStore();
    const service = await startService(testConfig(), { logger: silentLogger, adapters: [], store });
    try {
      // A reveal of an unknown post does nothing and succeeds.
      await service.scheduler.at(
        new Date(),
        { name: 'reveal', tenant: 'local:jobs', postId: 'p-none' },
        'job-ok',
      );
      await scrapeUntil(service.url, (t) => seriesValue(t, 'sc_jobs_run_total', { job: 'reveal' }) === 1);
      // The same job while the store fails: it fails, and so does the store call.
      store.getPost = async () => {
        throw new Error('connection lost');
      };
      await service.scheduler.at(
        new Date(),
        { name: 'reveal', tenant: 'local:jobs', postId: 'p-none' },
        'job-bad',
      );
      const text = await scrapeUntil(
        service.url,
        (t) => seriesValue(t, 'sc_jobs_failed_total', { job: 'reveal' }) === 1,
      );
      expect(seriesValue(text, 'sc_jobs_run_total', { job: 'reveal' })).toBe(2);
      expect(seriesValue(text, 'sc_job_duration_seconds_count', { job: 'reveal' })).toBe(2);
      expect(seriesValue(text, 'sc_store_errors_total', { operation: 'getPost' })).toBe(1);
    } finally {
      await service.close();
    }
  });
});
