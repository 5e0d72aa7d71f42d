import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from '../../test/setup/redis-cluster';
import { track } from './processes';

/** The Redis a benchmark uses, and how to stop it when the benchmark started it. */
export interface BenchRedis {
  readonly url: string;
  /** True when the benchmark started this server (nothing else uses it). */
  readonly own: boolean;
  /** The server's process id when the benchmark started it. */
  readonly pid?: number;
  stop(): Promise<void>;
}

/**
 * `REDIS_URL` when set; else a throwaway `redis-server` on a free port of 127.0.0.1 (no
 * persistence), stopped by `stop()`. Fails with the cause when neither works.
 */
export async function benchRedis(): Promise<BenchRedis> {
  const given = process.env.REDIS_URL;
  if (given) return { url: given, own: false, stop: async () => {} };
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  track(child);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `redis-server exited (${child.exitCode}): is it installed? (apt-get install redis-server)`,
      );
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    const ok = await probe
      .connect()
      .then(() => probe.ping())
      .then(
        () => true,
        () => false,
      );
    probe.disconnect();
    if (ok) break;
    if (Date.now() > deadline) throw new Error('redis-server did not answer within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    own: true,
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
