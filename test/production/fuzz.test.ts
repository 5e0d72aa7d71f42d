import { systemClock } from '../../src/core';
import type { Service } from '../../src/service';
import { RedisStore } from '../../src/store';
import { FakeSlackApi } from '../slack/fake-slack-api';
import { FakeConnector } from '../teams/fake-connector';
import { FakeIssuer } from '../teams/fake-issuer';
import { startTeams, TeamsSim } from '../teams/teams-harness';
import { CrashWatch } from './support/crash-watch';
import { SlackMember, TeamsMember } from './support/drive';
import { SlackFuzzer } from './support/fuzz-slack';
import { TeamsFuzzer } from './support/fuzz-teams';
import { LoopbackGuard } from './support/loopback-guard';
import { runPool } from './support/pool';
import { Prng } from './support/prng';
import { RecordingLogger } from './support/recording-logger';
import { RedisProcess } from './support/redis-process';
import { startTwoPlatforms } from './support/two-platforms';

/**
 * Fuzzing both HTTP endpoints with seeded payloads (FUZZ_SEED reproduces a run): 5,000
 * requests each, most of them validly signed or authorized so that they reach the
 * parsers. No request may get a 5xx or an answer outside what its kind allows, the
 * process stays up (`/healthz` after every batch, no unhandled rejection), nothing is
 * looked up outside 127.0.0.1, the core's catch-all never fires, and afterwards the
 * service still runs a quiz correctly on both platforms.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_129);
const CASES = 5000;
const BATCH = 500;
const CONCURRENCY = 12;
const APP_ID = '00000000-0000-0000-0000-00000000f022';

interface Outcome {
  readonly i: number;
  readonly kind: string;
  readonly status: number;
  readonly expected: readonly number[];
  readonly excerpt: string;
}

/** Sends one case; any network error is an outcome too (status 0: the server dropped the connection). */
async function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<number> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function healthy(url: string): Promise<boolean> {
  const res = await fetch(`${url}/healthz`);
  return res.status === 200;
}

let redis: RedisProcess;
let fake: FakeSlackApi;
let connector: FakeConnector;
let issuer: FakeIssuer;
let service: Service;
let authService: Service;
const logger = new RecordingLogger();
const guard = new LoopbackGuard();
const crashWatch = new CrashWatch();

beforeAll(async () => {
  guard.install();
  crashWatch.install();
  // A Redis of its own: thousands of random tenants stay out of the shared one.
  redis = await RedisProcess.start();
  fake = await FakeSlackApi.start();
  connector = await new FakeConnector().start();
  issuer = await new FakeIssuer().start();
  service = await startTwoPlatforms(fake, {
    store: await RedisStore.connect(redis.url, { clock: systemClock }),
    logger,
  });
  authService = await startTeams({
    store: await RedisStore.connect(redis.url, { clock: systemClock }),
    teams: {
      appId: APP_ID,
      appPassword: 'not-a-real-secret',
      appType: 'SingleTenant',
      tenantId: 'tid-fuzz',
      openIdMetadataUrl: issuer.metadataUrl,
    },
  });
});

afterAll(async () => {
  await authService?.close();
  await service?.close();
  await issuer?.stop();
  await connector?.stop();
  await fake?.close();
  await redis?.destroy();
  crashWatch.uninstall();
  guard.uninstall();
});

/** Runs `CASES` cases with a health check after each batch; returns what went wrong. */
async function fuzz(
  next: (i: number) => {
    kind: string;
    url: string;
    body: string | Buffer;
    headers: Record<string, string>;
    expect: readonly number[];
  },
  healthUrls: readonly string[],
): Promise<{ bad: Outcome[]; sick: number[]; kinds: Record<string, number> }> {
  const bad: Outcome[] = [];
  const sick: number[] = [];
  const kinds: Record<string, number> = {};
  await runPool(CASES, CONCURRENCY, async (i) => {
    const c = next(i);
    kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
    const status = await post(c.url, c.body, c.headers);
    if (status >= 500 || !c.expect.includes(status))
      bad.push({ i, kind: c.kind, status, expected: c.expect, excerpt: String(c.body).slice(0, 400) });
    if (i % BATCH === BATCH - 1) for (const url of healthUrls) if (!(await healthy(url))) sick.push(i);
  });
  return { bad, sick, kinds };
}

describe(`fuzzing with seed ${SEED}`, () => {
  it(`POST /slack/events: ${CASES} events, interactions and commands`, async () => {
    const rng = new Prng(SEED);
    const teams = Array.from({ length: 20 }, (_, i) => `TFZ${i}`);
    const gen = new SlackFuzzer(
      rng,
      fake,
      service.core.bank.items.map((item) => item.id),
      teams,
    );
    const { bad, sick, kinds } = await fuzz(
      () => ({ ...gen.next(), url: `${service.url}/slack/events` }),
      [service.url],
    );
    expect(bad).toEqual([]);
    expect(sick).toEqual([]);
    expect(kinds.command).toBeGreaterThan(1000);
    expect(kinds.event).toBeGreaterThan(1000);
    expect(kinds.interaction).toBeGreaterThan(1000);

    // Still answering: a quiz in a fresh workspace, graded right, points in the store.
    const member = new SlackMember(service, fake, 'TFZAFTER', 'UAFTER');
    const [feedback] = await member.quiz(1);
    expect(JSON.stringify(feedback?.body)).toContain('Correct!');
    expect((await service.store.getStats('slack:TFZAFTER', 'UAFTER')).points).toBe(10);
  }, 120_000);

  it(`POST /api/messages: ${CASES} activities and invokes, some with an app id`, async () => {
    const rng = new Prng(SEED + 1);
    const sims = Array.from({ length: 10 }, (_, i) => new TeamsSim(service.url, connector, `tid-fz-${i}`));
    const authSims = [new TeamsSim(authService.url, connector, 'tid-fuzz')];
    const ids = service.core.bank.items.map((item) => item.id);
    const gen = new TeamsFuzzer(rng, sims, ids);
    const authGen = new TeamsFuzzer(rng, authSims, ids);
    // botframework-connector prints keys it cannot match; the fuzz sends plenty of those.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const foreign = [
      '',
      'Bearer',
      'Bearer x.y.z',
      `Bearer ${issuer.token('another-app', connector.url)}`,
      `Bearer ${issuer.token(APP_ID, connector.url, { key: FakeIssuer.strangerKey() })}`,
    ];
    const { bad, sick, kinds } = await fuzz(
      (i) => {
        if (i % 10 !== 9) return { ...gen.next(), url: `${service.url}/api/messages` };
        // Every tenth goes to the service with an app id: half with a valid token, half with a bad one.
        const c = authGen.next(true);
        const good = rng.chance(0.5);
        const token = good ? issuer.token(APP_ID, connector.url) : rng.pick(foreign);
        return {
          ...c,
          kind: `${c.kind} ${good ? 'authorized' : 'unauthorized'}`,
          url: `${authService.url}/api/messages`,
          headers: { ...c.headers, ...(token ? { authorization: good ? `Bearer ${token}` : token } : {}) },
          expect: good ? [...c.expect, 401] : [400, 401, 413],
        };
      },
      [service.url, authService.url],
    );
    quiet.mockRestore();
    expect(bad).toEqual([]);
    expect(sick).toEqual([]);
    expect(kinds.message).toBeGreaterThan(1000);
    expect(kinds['card action']).toBeGreaterThan(1000);
    expect(kinds['invoke (app id) authorized']).toBeGreaterThan(100);

    // Still answering: a quiz in a fresh tenant, graded right.
    const member = new TeamsMember(service, new TeamsSim(service.url, connector, 'tid-fz-after'), 'after');
    const [feedback] = await member.quiz(1);
    expect(JSON.stringify(feedback)).toContain('Correct!');
  }, 120_000);

  it('crashed nothing, called nothing outside 127.0.0.1, and never hit the core catch-all', () => {
    expect(crashWatch.crashes).toEqual([]);
    expect(guard.names).toEqual([]);
    // The core answers "something went wrong" only for a bug: fuzzed input must not reach one.
    expect(logger.summary().filter((e) => e.msg === 'handling an intent failed')).toEqual([]);
  });
});
