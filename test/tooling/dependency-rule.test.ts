import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

/** Runs the project's dependency rule on a scratch tree holding the given core files. */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'deprule-'));
  try {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true },
        include: ['src'],
      }),
    );
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = spawnSync(depcruise, ['src', '--config', '.dependency-cruiser.cjs'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the dependency rule (npm run deps:check)', () => {
  it('passes a core that imports itself, zod, ts-fsrs and croner', () => {
    const r = cruise({
      'src/core/a.ts':
        "import { z } from 'zod';\nimport { FSRS } from 'ts-fsrs';\nimport { Cron } from 'croner';\nimport { b } from './b';\nexport const a = [z, FSRS, Cron, b];\n",
      'src/core/b.ts': 'export const b = 1;\n',
    });
    expect(r.output).toContain('no dependency violations');
    expect(r.status).toBe(0);
  });

  it.each([
    ['an SDK', "import { App } from '@slack/bolt';\nexport const x = App;\n", 'core-is-pure'],
    ['a store client', "import Redis from 'ioredis';\nexport const x = Redis;\n", 'core-is-pure'],
    [
      'node I/O',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      'core-no-node-builtins',
    ],
    ['code outside the core', "import { y } from '../store/y';\nexport const x = y;\n", 'core-is-pure'],
  ])('fails when a core file imports %s', (_what, source, rule) => {
    const r = cruise({ 'src/core/bad.ts': source, 'src/store/y.ts': 'export const y = 1;\n' });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(rule);
  });
});
