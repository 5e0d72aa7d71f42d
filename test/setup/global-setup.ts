import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { freePort, type RedisClusterProcess, startRedisCluster } from './redis-cluster';

/**
 * Jest global setup: the Redis servers that tests use.
 *
 * - A single Redis: with `REDIS_URL` set, that server is used; without it, a throwaway
 *   `redis-server` is started on a free port (no persistence).
 * - A three-master Redis Cluster for the store contract suite: with `REDIS_CLUSTER_NODES`
 *   set (`host:port,host:port,…`), that cluster is used; without it, a throwaway one is
 *   started (see `redis-cluster.ts`).
 *
 * Global teardown stops what was started here. Without `redis-server` on the PATH and
 * without the variables, the run fails with instructions: Redis tests never skip.
 */
async function waitForPong(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (r.stdout?.trim() === 'PONG') return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('redis-server did not answer PING within 10 s');
}

function requireRedisServer(): void {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    throw new Error(
      'The tests need Redis. Either set REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379) and ' +
        'REDIS_CLUSTER_NODES (e.g. 127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002), or install ' +
        'redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server) so the tests can start throwaway ones.',
    );
  }
}

async function startSingle(): Promise<void> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--enable-debug-command',
      'local',
    ],
    { stdio: 'ignore', detached: false },
  );
  await waitForPong(port, child);
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  process.env.SC_TEST_REDIS_PID = String(child.pid);
  (globalThis as { __scRedis?: ChildProcess }).__scRedis = child;
}

export default async function globalSetup(): Promise<void> {
  if (!process.env.REDIS_URL || !process.env.REDIS_CLUSTER_NODES) requireRedisServer();
  if (!process.env.REDIS_URL) await startSingle();
  if (!process.env.REDIS_CLUSTER_NODES) {
    const cluster = await startRedisCluster();
    process.env.REDIS_CLUSTER_NODES = cluster.nodes.join(',');
    (globalThis as { __scRedisCluster?: RedisClusterProcess }).__scRedisCluster = cluster;
  }
}
