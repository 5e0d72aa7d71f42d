import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository root (bench/lib is two levels down). */
export const ROOT = join(__dirname, '..', '..');

/** Every child started here; killed when this process exits, however it exits. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * Starts `node [--import tsx] <entry>` with `env` added to this process's environment
 * (TypeScript entries run through tsx's loader in that one process, no extra wrapper
 * process). Its output is dropped unless `BENCH_VERBOSE` is set, or `stdout` is `pipe`
 * (the caller reads it).
 */
export function startNode(
  entry: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  stdout: 'pipe' | 'drop' = 'drop',
): ChildProcess {
  const ts = entry.endsWith('.ts');
  const shown = process.env.BENCH_VERBOSE ? 'inherit' : 'ignore';
  const child = spawn(process.execPath, [...nodeArgs, ...(ts ? ['--import', 'tsx'] : []), entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout === 'pipe' ? 'pipe' : shown, shown],
  });
  track(child);
  return child;
}

/** Kills `child` when this process exits (for children started elsewhere, e.g. redis-server). */
export function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Polls `url` until it answers 200; fails when the process exits or after `timeoutMs`. */
export async function waitFor200(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process for ${url} exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Stops a child with SIGTERM (SIGKILL after 10 s) and waits for it to exit. */
export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
