import type { ChildProcess } from 'node:child_process';

/** Stops the throwaway redis-server that global setup started, if any. */
export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as { __scRedis?: ChildProcess }).__scRedis;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 3000).unref();
  });
}
