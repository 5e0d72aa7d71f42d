import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import { silentLogger } from '../../src/core';
import { startService } from '../../src/service';
import { MemoryStore } from '../../src/store';
import { testRedisUrl } from '../setup/redis';
import { testConfig } from '../setup/service-config';
import type { FakeConnector } from '../teams/fake-connector';
import { TeamsSim } from '../teams/teams-harness';

const root = join(__dirname, '..', '..');

/**
 * A Bot Connector that holds every call until released: the bot's reply to a Teams
 * message waits on it, so the message's HTTP request stays in flight as long as the
 * test wants. Answers what the real one does to a reply (`{ id }`).
 */
class GatedConnector {
  readonly held: IncomingMessage[] = [];
  private readonly waiting: ServerResponse[] = [];
  private open = false;
  private readonly server: Server = createServer((req, res) => {
    req.resume();
    this.held.push(req);
    if (this.open) this.answer(res);
    else this.waiting.push(res);
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  release(): void {
    this.open = true;
    for (const res of this.waiting.splice(0)) this.answer(res);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `act-${this.held.length}` }));
  }
}

/** `npm start`'s entry point (through tsx) on the test Redis, with its JSON log collected. */
class ServiceProcess {
  out = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(env: Record<string, string> = {}) {
    this.child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'src', 'main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        REDIS_URL: testRedisUrl(),
        SLACK_BOT_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        SLACK_APP_TOKEN: '',
        MicrosoftAppId: '',
        MicrosoftAppPassword: '',
        ...env,
      },
    });
    this.child.stdout.on('data', (d: Buffer) => {
      this.out += d.toString();
    });
    this.child.stderr.on('data', (d: Buffer) => {
      this.out += d.toString();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Resolves once the log has a line with message `msg`; fails after 20 s. */
  async logged(msg: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const line = this.out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === msg);
      if (line) return line;
      if (Date.now() > deadline || this.child.exitCode !== null)
        throw new Error(`no "${msg}" line in the log:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }
}

/** Whether a new TCP connection to `url`'s port is refused. */
function refused(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown of the service process', () => {
  let connector: GatedConnector;

  beforeEach(async () => {
    connector = await new GatedConnector().start();
  });

  afterEach(async () => {
    await connector.stop();
  });

  /** Starts the process and sends a Teams message whose reply the connector holds. */
  async function withRequestInFlight(env: Record<string, string> = {}) {
    const service = new ServiceProcess(env);
    const { url } = (await service.logged('study companion is listening')) as { url: string };
    // TeamsSim reads only the connector's url (the activities' serviceUrl).
    const sim = new TeamsSim(url, connector as unknown as FakeConnector, 'tid-shutdown');
    // A chat of its own: the store on the shared Redis remembers (chat, activity id) pairs.
    const user = `sam${process.pid}${Math.random().toString(36).slice(2, 8)}`;
    const inFlight = sim.post(sim.message(user, sim.personal(user), 'help'));
    const deadline = Date.now() + 10_000;
    while (connector.held.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (connector.held.length === 0)
      throw new Error(`the reply never reached the connector:\n${service.out}`);
    return { service, url, inFlight };
  }

  it('on SIGTERM refuses new connections, finishes the request in flight, and exits 0', async () => {
    const { service, url, inFlight } = await withRequestInFlight();

    service.signal('SIGTERM');
    const draining = await service.logged('draining: no new connections');
    expect(draining.inFlight).toBe(1);
    expect(await refused(url)).toBe(true);

    connector.release();
    expect((await inFlight).status).toBe(200);
    expect(await service.exited).toBe(0);
    await service.logged('stopped');
    const access = await service.logged('request');
    expect(access).toMatchObject({ route: '/api/messages', status: 200, platform: 'teams' });
  });

  it('exits with code 1 once SHUTDOWN_TIMEOUT_MS has passed with a request still in flight', async () => {
    const { service, inFlight } = await withRequestInFlight({ SHUTDOWN_TIMEOUT_MS: '500' });
    // The request fails with the process; nothing waits on it.
    inFlight.catch(() => undefined);

    service.signal('SIGTERM');
    expect(await service.exited).toBe(1);
    expect(await service.logged('shutdown took too long: exiting anyway')).toMatchObject({ timeoutMs: 500 });
  });
});

describe('Service.close', () => {
  it('waits for a scheduled job that is running, then closes the store', async () => {
    const store = new MemoryStore();
    const service = await startService(testConfig(), { logger: silentLogger, adapters: [], store });
    const events: string[] = [];
    let started!: () => void;
    const jobStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let finish!: () => void;
    // The job's first store call waits for the test: the job is in flight meanwhile.
    store.getPost = () => {
      started();
      return new Promise((resolve) => {
        finish = () => {
          events.push('job finished');
          resolve(undefined);
        };
      });
    };
    const closeStore = store.close.bind(store);
    store.close = async () => {
      events.push('store closed');
      await closeStore();
    };
    await service.scheduler.at(
      new Date(),
      { name: 'reveal', tenant: 'local:close', postId: 'p1' },
      'slow-job',
    );
    await jobStarted;

    const closed = service.close().then(() => events.push('service closed'));
    // Intake is already closed; the job is still running.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
    finish();
    await closed;
    expect(events).toEqual(['job finished', 'store closed', 'service closed']);
  });
});
