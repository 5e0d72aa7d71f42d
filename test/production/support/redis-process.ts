import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from '../../setup/redis-cluster';

/** How a test's own `redis-server` runs. */
export interface RedisProcessOptions {
  /** `DEBUG DIGEST` needs it: Redis 7 refuses DEBUG by default (PITFALLS.md). */
  readonly debug?: boolean;
  /** AOF with an fsync per write, in a temporary folder kept across restarts. */
  readonly durable?: boolean;
}

/**
 * A `redis-server` of one test's own, on a free port of 127.0.0.1, that the test may
 * stop (SIGTERM) and start again on the same port and folder. The shared test Redis
 * (`REDIS_URL`) is never stopped; this one is, which is why it exists.
 */
export class RedisProcess {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: RedisProcessOptions,
  ) {}

  static async start(options: RedisProcessOptions = {}): Promise<RedisProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'sc-redis-'));
    const redis = new RedisProcess(await freePort(), dir, options);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Whether the server process is running. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server (again, on the same port and folder) and waits until it answers PING. */
  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir];
    args.push(
      ...(this.options.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    );
    if (this.options.debug) args.push('--enable-debug-command', 'local');
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
      if (await this.pings()) return;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer PING`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the server with SIGTERM (Redis flushes its AOF and exits) and waits for the exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** Stops the server and removes its folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** `DEBUG DIGEST`: a hash of the whole data set, all zeros when empty (needs `debug`). */
  digest(): Promise<string> {
    return this.command(['DEBUG', 'DIGEST']) as Promise<string>;
  }

  /** Runs one command on a short-lived connection of its own. */
  async command(args: string[]): Promise<unknown> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const [name, ...rest] = args as [string, ...string[]];
      return await client.call(name, ...rest);
    } finally {
      client.disconnect();
    }
  }

  private async pings(): Promise<boolean> {
    try {
      return (await this.command(['PING'])) === 'PONG';
    } catch {
      return false;
    }
  }
}
