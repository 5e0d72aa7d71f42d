import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/core/ports/logger.port';
import { startService } from '../../src/service';
import { MemoryStore } from '../../src/store/memory/memory-store';

const root = join(__dirname, '..', '..');

describe('the service', () => {
  it('answers /healthz, and /readyz only while the store answers', async () => {
    const store = new MemoryStore();
    const service = await startService(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), {
      logger: silentLogger,
      adapters: [],
      store,
    });
    try {
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      store.ping = async () => false;
      expect((await fetch(`${service.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${service.url}/nope`)).status).toBe(404);
    } finally {
      await service.close();
    }
  });

  it('refuses to start with a broken question pack, naming file, id and field', async () => {
    await expect(
      startService(loadConfig({ PORT: '0', QUESTION_PACK: 'test/fixtures/pack-broken' }), {
        logger: silentLogger,
        adapters: [],
        store: new MemoryStore(),
        root,
      }),
    ).rejects.toThrow(/items\.yaml: item "broken-1", field "key"/);
  });

  it('starts with `npm start`’s entry point on Redis and exits cleanly on SIGTERM', async () => {
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'src', 'main.ts')], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(out).toContain('redis store connected');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toContain('shutting down');
  });
});
