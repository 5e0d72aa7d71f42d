import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bank } from '../../src/core/bank';
import type { Item } from '../../src/core/item';
import { CsvSyntaxError, parseCsv } from '../../src/packs/csv';
import { runImport } from '../../src/packs/import-cli';
import { CSV_COLUMNS, importCsv, splitPairs } from '../../src/packs/import-csv';
import { loadPack } from '../../src/packs/load-pack';
import { MINI, ROOT, tmpPack } from './tmp-pack';

const SAMPLE = join(ROOT, 'test', 'fixtures', 'sample-questions.csv');
const manifest = loadPack(MINI).manifest;

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\r\nlines",\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', ''] },
    ]);
  });

  it('drops a byte-order mark, skips blank lines, reads a last line without a break', () => {
    expect(parseCsv('\ufeffa,b\n\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
    ]);
    expect(parseCsv('""\n')).toEqual([{ line: 1, fields: [''] }]);
  });

  it('rejects bad quoting with the line', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"x"y\n')).toThrow(/line 2: text after a closing quote/);
    expect(() => parseCsv('a\nx"y\n')).toThrow(/line 2: a quote inside an unquoted field/);
  });
});

describe('splitPairs', () => {
  it('splits id=text pairs on unescaped bars', () => {
    expect(splitPairs('a=One|b= x = y |c=a \\| b \\\\')).toEqual([
      { id: 'a', text: 'One' },
      { id: 'b', text: 'x = y' },
      { id: 'c', text: 'a | b \\' },
    ]);
    expect(splitPairs('no equals')).toEqual([{ error: expect.stringContaining('id=text') }]);
  });
});

const strip = ({ file: _file, ...rest }: Item) => rest;

describe('questions:import', () => {
  it('round-trips the sample CSV into YAML that loadPack reads back as the same items', () => {
    const pack = tmpPack({}, { withItems: true });
    try {
      const run = runImport([SAMPLE, '--pack', pack.dir]);
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      const out = join(pack.dir, 'sample-questions.yaml');
      expect(run.written).toBe(out);
      expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
        '# yaml-language-server: $schema=../schema/question-file.schema.json',
      );

      const direct = importCsv(readFileSync(SAMPLE, 'utf8'), manifest);
      expect(direct.rejected).toEqual([]);
      const expected = Bank.build(manifest, [{ file: 'x', entries: direct.entries }]).items.map(strip);
      const loaded = loadPack(pack.dir)
        .items.filter((i) => i.file?.endsWith('sample-questions.yaml'))
        .map(strip);
      expect(loaded).toEqual(expected);
      expect(loaded.map((i) => i.id)).toEqual([
        'csv-artifacts-upstream',
        'csv-sensitive-scan',
        'csv-release-order',
        'csv-bar-in-text',
      ]);

      const byId = new Map(loaded.map((i) => [i.id, i]));
      expect(byId.get('csv-artifacts-upstream')?.stem).toContain(
        'internal feed. You must give them one feed URL, and keep',
      );
      expect(byId.get('csv-sensitive-scan')).toMatchObject({ type: 'multiple', choose: 2, key: ['a', 'b'] });
      expect(byId.get('csv-sensitive-scan')?.stem).toContain('repository?\nEach correct answer');
      expect(byId.get('csv-sensitive-scan')?.links).toHaveLength(2);
      expect(byId.get('csv-release-order')).toMatchObject({ type: 'order', key: ['b', 'c', 'a'] });
      const bar = byId.get('csv-bar-in-text');
      expect(bar?.stem).toContain('"design.psd"');
      expect(bar?.options.map((o) => o.text)).toEqual([
        'Track them with Git LFS: git lfs track "*.psd"',
        'Pipe the history through a filter: git log | grep psd',
        'Add them to .gitignore',
      ]);
      expect(bar?.options[1]?.why).toBe('Searching the history does not change how the files are stored.');

      // A second import without --force does not overwrite.
      expect(runImport([SAMPLE, '--pack', pack.dir]).exitCode).toBe(1);
    } finally {
      pack.cleanup();
    }
  });

  const header = CSV_COLUMNS.join(',');
  const link = 'https://learn.microsoft.com/en-us/azure/devops/pipelines/process/phases';
  const row = (o: Partial<Record<(typeof CSV_COLUMNS)[number], string>>) => {
    const cells: Record<string, string> = {
      id: 'good-1',
      type: 'single',
      domain: 'pipelines',
      skill: '3.3',
      difficulty: '2',
      stem: 'Which YAML keyword makes a job wait for another job?',
      options: 'a=dependsOn|b=trigger|c=pool',
      key: 'a',
      choose: '',
      explanation: 'dependsOn makes a job wait for the jobs it names.',
      why: 'b=A trigger starts a whole pipeline.|c=The pool picks agents for the job.',
      links: link,
      ...o,
    };
    return CSV_COLUMNS.map((c) => `"${(cells[c] ?? '').replace(/"/g, '""')}"`).join(',');
  };

  const bad = [
    header,
    row({}), // row 2: good
    row({ id: 'bad-key', key: 'z' }), // 3
    row({ id: 'no-why', why: 'b=A trigger starts a whole pipeline.' }), // 4
    row({ id: 'bad-skill', skill: '4.1' }), // 5
    row({ id: 'bad-host', links: 'https://example.com/x' }), // 6
    row({ id: 'good-1' }), // 7: duplicate of row 2
    row({ id: 'a-series', type: 'series' }), // 8
    'short,row', // 9
    row({
      id: 'bad-choose',
      type: 'multiple',
      options: 'a=1|b=2|c=3|d=4',
      key: 'a;b',
      choose: '3',
      why: 'c=Three is wrong here.|d=Four is wrong here.',
    }), // 10
    row({
      id: 'good-2',
      type: 'multiple',
      options: 'a=1|b=2|c=3|d=4',
      key: 'a;b',
      why: 'c=Three is wrong here.|d=Four is wrong here.',
    }), // 11: choose defaults to 2
  ].join('\n');

  it('rejects bad rows with row number, id, field and reason', () => {
    const result = importCsv(bad, manifest, new Set(['mini-pipe-1']));
    expect(result.total).toBe(10);
    expect(result.entries.map((e) => e.id)).toEqual(['good-1', 'good-2']);
    expect(result.rows).toEqual([2, 11]);
    const got = result.rejected.map((p) => [p.row, p.id, p.field]);
    expect(got).toEqual([
      [3, 'bad-key', 'key'],
      [3, 'bad-key', 'options.a.why'], // with key z, option a is a wrong option too
      [4, 'no-why', 'options.c.why'],
      [5, 'bad-skill', 'skill'],
      [6, 'bad-host', 'links.0'],
      [7, 'good-1', 'id'],
      [8, 'a-series', 'type'],
      [9, 'short', '-'],
      [10, 'bad-choose', 'choose'],
    ]);
    expect(result.rejected[0]?.message).toMatch(/"z" is not an option id/);
    expect(result.rejected[5]?.message).toMatch(/also in row 2/);
    expect(result.rejected[6]?.message).toMatch(/YAML only/);
  });

  it('rejects ids already in the pack, unknown columns and CSV syntax errors', () => {
    expect(
      importCsv([header, row({ id: 'mini-pipe-1' })].join('\n'), manifest, new Set(['mini-pipe-1'])).rejected,
    ).toEqual([
      expect.objectContaining({ row: 2, field: 'id', message: expect.stringMatching(/already in the pack/) }),
    ]);
    expect(importCsv(`${header},extra\n`, manifest).rejected[0]).toMatchObject({
      row: 1,
      field: 'header',
      message: expect.stringMatching(/unknown column "extra"/),
    });
    expect(importCsv('id,type\n', manifest).rejected.map((p) => p.message)).toContain(
      'missing column "stem"',
    );
    expect(importCsv(`${header}\n"unclosed`, manifest).rejected[0]).toMatchObject({ row: 0, line: 2 });
  });

  it('writes nothing and exits 1 when a row is rejected; --partial writes the good rows', () => {
    const pack = tmpPack({ 'batch.csv': bad });
    const csv = join(pack.dir, 'batch.csv');
    const out = join(pack.dir, 'batch.yaml');
    try {
      const run = runImport([csv, '--pack', pack.dir]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('row 3 (line 3), item "bad-key", field "key"');
      expect(run.stderr).toContain('2 of 10 rows good, 8 rejected; nothing written');
      expect(existsSync(out)).toBe(false);

      const partial = runImport([csv, '--out', out, '--partial']);
      expect(partial.exitCode).toBe(1);
      expect(partial.written).toBe(out);
      expect(loadPack(pack.dir).items.map((i) => i.id)).toEqual(['good-1', 'good-2']);
      expect(readdirSync(pack.dir).sort()).toEqual(['batch.csv', 'batch.yaml', 'manifest.yaml']);
    } finally {
      pack.cleanup();
    }
  });

  it('prints usage and exits 2 without a CSV file', () => {
    expect(runImport([]).exitCode).toBe(2);
  });
});
