import { spawnSync } from 'node:child_process';
import { runCheck } from '../../src/packs/check-cli';
import { MINI, ROOT, singleYaml, tmpPack } from './tmp-pack';

const FILE = 'questions/pack/broken.yaml';

describe('questions:check on broken files', () => {
  const cases: Array<[string, string, { id: string; field: RegExp | string; message: RegExp }]> = [
    [
      'a key that is not an option',
      singleYaml({ key: 'z' }),
      { id: 'broken-1', field: 'key', message: /"z" is not an option/ },
    ],
    [
      'a wrong option without a why',
      singleYaml({ whyB: false }),
      { id: 'broken-1', field: 'options.b.why', message: /needs a "why"/ },
    ],
    [
      'a sub-skill not in the domain',
      singleYaml({ skill: '4.1' }),
      { id: 'broken-1', field: 'skill', message: /"4.1" is not in domain "pipelines"/ },
    ],
    [
      'a link on another host',
      singleYaml({ link: 'https://stackoverflow.com/questions/1' }),
      { id: 'broken-1', field: 'links.0', message: /learn\.microsoft\.com or docs\.github\.com/ },
    ],
    [
      'a YAML syntax error',
      `${singleYaml()}  - type: single\n    id: [unclosed\n`,
      { id: '-', field: '-', message: /^YAML: / },
    ],
  ];

  it.each(cases)('fails on %s, naming file, item id and field', (_name, yaml, want) => {
    const pack = tmpPack({ 'broken.yaml': yaml });
    try {
      const run = runCheck(['--pack', pack.dir, '--json']);
      expect(run.exitCode).toBe(1);
      const problems = run.result?.problems ?? [];
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            file: FILE,
            id: want.id,
            field: want.field,
            message: expect.stringMatching(want.message),
          }),
        ]),
      );
      const text = runCheck(['--pack', pack.dir]);
      expect(text.exitCode).toBe(1);
      expect(text.stdout).toContain(`${FILE}: item "${want.id}", field "${want.field}"`);
    } finally {
      pack.cleanup();
    }
  });

  it('fails on a duplicate id across files', () => {
    const pack = tmpPack({ 'broken.yaml': singleYaml(), 'other.yaml': singleYaml() });
    try {
      const run = runCheck(['--pack', pack.dir, '--json']);
      expect(run.exitCode).toBe(1);
      expect(run.result?.problems).toEqual([
        expect.objectContaining({
          file: 'questions/pack/other.yaml',
          id: 'broken-1',
          field: 'id',
          message: expect.stringMatching(/duplicate id/),
        }),
      ]);
    } finally {
      pack.cleanup();
    }
  });

  it('passes a valid file', () => {
    const pack = tmpPack({ 'ok.yaml': singleYaml() });
    try {
      expect(runCheck(['--pack', pack.dir]).exitCode).toBe(0);
    } finally {
      pack.cleanup();
    }
  });
});

describe('questions:check coverage minimums', () => {
  it('reports but does not fail a partial pack without --strict', () => {
    const run = runCheck(['--pack', MINI]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('OK (coverage minimums not enforced)');
    expect(run.stdout).toContain('not yet: items: expected >= 300 items, got 11');
    expect(run.stdout).toMatch(/A\s+3\s+37\.5 %\s+ABOVE 35 %/);
    expect(run.stdout).toMatch(/warning: "mini-pipe-1" .* ~ "mini-pipe-2"/);
  });

  it('fails the same pack with --strict', () => {
    const run = runCheck(['--pack', MINI, '--strict']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('FAIL: items: expected >= 300 items, got 11');
    expect(run.stdout).toContain('FAILED: coverage minimums not met');
  });

  it('enforces the minimums when the manifest says complete: true', () => {
    const pack = tmpPack({}, { withItems: true, complete: true });
    try {
      const run = runCheck(['--pack', pack.dir, '--json']);
      expect(run.exitCode).toBe(1);
      expect(run.result?.enforced).toBe(true);
      expect(run.result?.problems).toEqual([]);
    } finally {
      pack.cleanup();
    }
  });

  it('prints the report as JSON with --json', () => {
    const run = runCheck(['--pack', MINI, '--json']);
    const parsed = JSON.parse(run.stdout);
    expect(parsed).toMatchObject({ ok: true, enforced: false, report: { items: 11 } });
    expect(parsed.nearDuplicates).toHaveLength(1);
  });

  it('rejects unknown options with exit code 2', () => {
    expect(runCheck(['--nope']).exitCode).toBe(2);
  });

  it('works as a command (npx tsx src/packs/check-cli.ts)', () => {
    const cli = (...args: string[]) =>
      spawnSync('npx', ['tsx', 'src/packs/check-cli.ts', '--pack', 'test/fixtures/pack-mini', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
      });
    const loose = cli();
    expect(loose.status).toBe(0);
    expect(loose.stdout).toContain('Pack AZ-400 (test/fixtures/pack-mini): 11 items');
    expect(cli('--strict').status).toBe(1);
  });
});
