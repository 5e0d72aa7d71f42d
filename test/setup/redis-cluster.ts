import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway three-master Redis Cluster (no replicas, no persistence) on free ports of
 * 127.0.0.1, for the store contract suite. Each node's cluster bus gets its own free
 * port too (`--cluster-port`, Redis 7), since `port + 10000` may not exist for ports the
 * OS hands out.
 */
export interface RedisClusterProcess {
  /** `host:port` of each master, e.g. `127.0.0.1:40001`. */
  readonly nodes: readonly string[];
  readonly children: readonly ChildProcess[];
  /** Where the nodes' `nodes-N.conf` files live; removed by {@link stopRedisCluster}. */
  readonly dir: string;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before use). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Distinct free ports (asked for one by one, so two calls cannot hand out the same one). */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

const cli = (port: number, ...args: string[]) =>
  spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' });

async function until(what: string, ms: number, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster: ${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts the three nodes, assigns the 16384 slots with `redis-cli --cluster create`, and
 * waits until every node reports `cluster_state:ok`. Throws with the cause (and stops
 * what it started) when any step fails: cluster tests never skip.
 */
export async function startRedisCluster(): Promise<RedisClusterProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-redis-cluster-'));
  const [a, b, c, ...bus] = await freePorts(6);
  const ports = [a, b, c] as number[];
  const children = ports.map((port, i) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-port',
        String(bus[i]),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  const cluster: RedisClusterProcess = { nodes: ports.map((p) => `127.0.0.1:${p}`), children, dir };
  try {
    for (const [i, port] of ports.entries()) {
      await until(`node ${port} did not answer PING`, 10_000, () => {
        const child = children[i];
        if (child?.exitCode !== null) throw new Error(`redis-server on ${port} exited (${child?.exitCode})`);
        return cli(port, 'ping').stdout?.trim() === 'PONG';
      });
    }
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...cluster.nodes, '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
    await until('the cluster did not reach cluster_state:ok', 15_000, () =>
      ports.every((p) => /cluster_state:ok/.test(cli(p, 'cluster', 'info').stdout ?? '')),
    );
  } catch (err) {
    await stopRedisCluster(cluster);
    throw err;
  }
  return cluster;
}

/** Stops the nodes (TERM, then KILL after 3 s) and removes their files. */
export async function stopRedisCluster(cluster: RedisClusterProcess): Promise<void> {
  await Promise.all(
    cluster.children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 3000);
          force.unref();
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  rmSync(cluster.dir, { recursive: true, force: true });
}
