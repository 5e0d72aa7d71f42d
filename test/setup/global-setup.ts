import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Jest global setup: the Redis that tests use. With `REDIS_URL` set, that server is
 * used. Without it, a throwaway `redis-server` is started on a free port (no
 * persistence) and stopped in global teardown. With neither, the run fails with
 * instructions: Redis tests never skip.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

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

export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL) return;
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    throw new Error(
      'The tests need Redis. Either set REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379) or install ' +
        'redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server) so the tests can start a throwaway one.',
    );
  }
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
