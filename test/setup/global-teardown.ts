import type { ChildProcess } from 'node:child_process';
import { type RedisClusterProcess, stopRedisCluster } from './redis-cluster';

/** Stops the throwaway redis-server and Redis Cluster that global setup started, if any. */
export default async function globalTeardown(): Promise<void> {
  const cluster = (globalThis as { __scRedisCluster?: RedisClusterProcess }).__scRedisCluster;
  const stopped = cluster ? stopRedisCluster(cluster) : Promise.resolve();
  const child = (globalThis as { __scRedis?: ChildProcess }).__scRedis;
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 3000).unref();
    });
  }
  await stopped;
}
