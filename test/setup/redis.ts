import Redis, { Cluster } from 'ioredis';

/**
 * A connection to the test Redis (global setup sets `REDIS_URL`). Fails loudly
 * when there is none: Redis tests never skip.
 */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url)
    throw new Error(
      'REDIS_URL is not set: jest global setup should have started redis-server (see test/setup/global-setup.ts)',
    );
  return url;
}

/** A fresh ioredis client on the test Redis, using logical database `db`. */
export function testRedis(db = 0): Redis {
  return new Redis(testRedisUrl(), { db, lazyConnect: false, maxRetriesPerRequest: 1 });
}

/**
 * A fresh ioredis `Cluster` client on the test Redis Cluster (global setup sets
 * `REDIS_CLUSTER_NODES`, `host:port` comma-separated). Fails loudly when there is none.
 */
export function testCluster(): Cluster {
  const nodes = process.env.REDIS_CLUSTER_NODES;
  if (!nodes)
    throw new Error(
      'REDIS_CLUSTER_NODES is not set: jest global setup should have started a Redis Cluster (see test/setup/redis-cluster.ts)',
    );
  const startup = nodes.split(',').map((hostPort) => {
    const [host = '127.0.0.1', port = '6379'] = hostPort.trim().split(':');
    return { host, port: Number(port) };
  });
  return new Cluster(startup, { redisOptions: { maxRetriesPerRequest: 1 } });
}

/**
 * Every key matching `pattern`, on a single Redis or on every master of a cluster
 * (SCAN only walks the node it is sent to).
 */
export async function scanKeys(client: Redis | Cluster, pattern: string): Promise<string[]> {
  // A cluster client knows its nodes only once connected: the PING waits for that.
  if (client instanceof Cluster) await client.ping();
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
  }
  return found;
}

/** A tenant id unique to one test, so tests never see each other's data. */
export function uniqueTenant(prefix = 'test'): string {
  return `local:${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
