import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './processes';

/** What one autocannon run measured (latencies in ms). */
export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly failed: number;
}

/**
 * Runs autocannon for `seconds` (or for `amount` requests) with `connections` concurrent POSTs to `url`, in a
 * process of its own (its CPU is not the measured process's), and reads its JSON report.
 * Only 2xx answers count as done: the click gateway answers 2xx only once the click's
 * feedback reached the fake platform.
 */
export function autocannon(
  url: string,
  o: { connections: number; seconds: number; amount?: number },
): Promise<LoadResult> {
  const cli = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');
  const limit = o.amount ? ['-a', String(o.amount)] : ['-d', String(o.seconds)];
  const args = [cli, '-c', String(o.connections), ...limit, '-m', 'POST', '-t', '30', '-j', url];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const r = JSON.parse(out) as {
        latency: { p50: number; p99: number };
        duration: number;
        '2xx': number;
        non2xx: number;
        errors: number;
        timeouts: number;
      };
      resolve({
        rps: r['2xx'] / r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        ok: r['2xx'],
        failed: r.non2xx + r.errors + r.timeouts,
      });
    }),
  );
}
