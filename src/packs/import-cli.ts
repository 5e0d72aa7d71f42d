/**
 * `npm run questions:import -- <file.csv> [--pack <dir>] [--out <file.yaml>] [--partial] [--force]`
 *
 * Turns a CSV of single, multiple and order questions into a question file of a pack
 * (columns and formats: docs/questions.md). Every row is checked with the question
 * schema and the bank's consistency rules against the pack's manifest and ids.
 * Any rejected row is printed with its row number and reason and the exit code is 1;
 * by default nothing is written then. With `--partial` the good rows are written anyway
 * (exit code still 1). An existing output file is only replaced with `--force`.
 * Exit codes: 0 all rows imported, 1 rows rejected or file unreadable, 2 usage error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { manifestSchema } from '../core/schema/manifest.schema';
import { importCsv, packIds, toQuestionYaml } from './import-csv';

/** The outcome of an import run. */
export interface ImportRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The file written, if any. */
  readonly written?: string;
}

const USAGE =
  'usage: questions:import -- <file.csv> [--pack <dir>] [--out <pack>/<name>.yaml] [--partial] [--force]';

/** Runs an import on command-line arguments, without touching the process (for tests and the CLI). */
export function runImport(argv: readonly string[]): ImportRun {
  let values: { pack?: string; out?: string; partial?: boolean; force?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        pack: { type: 'string' },
        out: { type: 'string' },
        partial: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (e) {
    return { exitCode: 2, stdout: '', stderr: `${(e as Error).message}\n${USAGE}\n` };
  }
  const csvPath = positionals[0];
  if (!csvPath || positionals.length > 1) return { exitCode: 2, stdout: '', stderr: `${USAGE}\n` };
  const pack = values.pack ?? (values.out ? dirname(values.out) : 'questions/az400');
  const out = values.out ?? join(pack, `${basename(csvPath).replace(/\.csv$/i, '')}.yaml`);
  const fail = (message: string): ImportRun => ({ exitCode: 1, stdout: '', stderr: `${message}\n` });

  if (existsSync(out) && !values.force) return fail(`${out} exists; pass --force to replace it`);
  let manifestText: string;
  let csvText: string;
  try {
    manifestText = readFileSync(join(pack, 'manifest.yaml'), 'utf8');
    csvText = readFileSync(csvPath, 'utf8');
  } catch (e) {
    return fail((e as Error).message);
  }
  const manifest = manifestSchema.safeParse(parseDocument(manifestText).toJS());
  if (!manifest.success)
    return fail(`${join(pack, 'manifest.yaml')} is invalid; run npm run questions:check`);

  const result = importCsv(csvText, manifest.data, packIds(pack, out));
  const err: string[] = [];
  for (const p of result.rejected) {
    const where = p.row === 0 ? `line ${p.line}` : `row ${p.row} (line ${p.line})`;
    err.push(`${csvPath}: ${where}, item "${p.id}", field "${p.field}": ${p.message}`);
  }
  const badRows = new Set(result.rejected.map((p) => p.row)).size;
  const summary = `${result.entries.length} of ${result.total} rows good, ${badRows} rejected`;
  const write = result.entries.length > 0 && (result.rejected.length === 0 || values.partial);
  if (!write) {
    const why =
      result.rejected.length > 0 ? 'nothing written (pass --partial to write the good rows)' : 'no rows';
    return { exitCode: 1, stdout: '', stderr: `${[...err, `${summary}; ${why}`].join('\n')}\n` };
  }
  writeFileSync(
    out,
    toQuestionYaml(result.entries, `Imported from ${basename(csvPath)} by npm run questions:import.`),
  );
  return {
    exitCode: result.rejected.length > 0 ? 1 : 0,
    stdout: `${summary}; wrote ${result.entries.length} items to ${out}\nnext: npm run questions:check\n`,
    stderr: err.length > 0 ? `${err.join('\n')}\n` : '',
    written: out,
  };
}

if (require.main === module) {
  const run = runImport(process.argv.slice(2));
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exitCode = run.exitCode;
}
