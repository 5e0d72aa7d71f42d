/**
 * `npm run questions:check [-- --pack <dir>] [--strict] [--json]`
 *
 * Loads a question pack (schema and consistency: any problem fails with file, item id
 * and field), then prints its coverage report, near-duplicate stems (warnings) and the
 * coverage minimums. Minimums fail the check only with `--strict` or when the manifest
 * says `complete: true`, so partial batches can land.
 * Exit codes: 0 ok, 1 invalid pack or enforced minimums not met, 2 usage error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PackError, type PackProblem } from '../core/bank';
import {
  type CoverageReport,
  checkMinimums,
  computeCoverage,
  type MinimumCheck,
  type Share,
} from './coverage';
import { QUESTION_FILE_SCHEMA_COMMENT } from './json-schema';
import { loadPack } from './load-pack';
import { findNearDuplicates, NEAR_DUPLICATE_THRESHOLD, type NearDuplicate } from './near-duplicates';

const SCHEMA_COMMENT = QUESTION_FILE_SCHEMA_COMMENT;

/** What {@link runCheck} found; `--json` prints exactly this. */
export interface CheckResult {
  readonly ok: boolean;
  readonly pack: string;
  /** True when the coverage minimums decide the outcome (`--strict` or `complete: true`). */
  readonly enforced: boolean;
  readonly problems: readonly PackProblem[];
  readonly warnings: readonly string[];
  readonly report?: CoverageReport;
  readonly nearDuplicates: readonly NearDuplicate[];
  readonly minimums: readonly MinimumCheck[];
}

/** The outcome of a check run: exit code and the text to print. */
export interface CheckRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly result?: CheckResult;
}

const USAGE = 'usage: questions:check [--pack <dir>] [--strict] [--json]';

/** Runs the check on command-line arguments, without touching the process (for tests and the CLI). */
export function runCheck(argv: readonly string[]): CheckRun {
  let args: { pack: string; strict: boolean; json: boolean };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        pack: { type: 'string', default: 'questions/az400' },
        strict: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    args = {
      pack: values.pack ?? 'questions/az400',
      strict: values.strict ?? false,
      json: values.json ?? false,
    };
  } catch (e) {
    return { exitCode: 2, stdout: '', stderr: `${(e as Error).message}\n${USAGE}\n` };
  }
  const result = check(args.pack, args.strict);
  const stdout = args.json ? `${JSON.stringify(result, null, 2)}\n` : formatResult(result);
  return { exitCode: result.ok ? 0 : 1, stdout, stderr: '', result };
}

/** Loads and checks the pack in `dir`. */
function check(dir: string, strict: boolean): CheckResult {
  const warnings = schemaCommentWarnings(dir);
  let bank: ReturnType<typeof loadPack>;
  try {
    bank = loadPack(dir);
  } catch (e) {
    const problems: PackProblem[] =
      e instanceof PackError
        ? [...e.problems]
        : [{ file: dir, id: '-', field: '-', message: e instanceof Error ? e.message : String(e) }];
    return { ok: false, pack: dir, enforced: strict, problems, warnings, nearDuplicates: [], minimums: [] };
  }
  const report = computeCoverage(bank);
  const minimums = checkMinimums(report);
  const enforced = strict || bank.manifest.complete;
  const ok = !enforced || minimums.every((m) => m.ok);
  const nearDuplicates = findNearDuplicates(bank);
  return { ok, pack: dir, enforced, problems: [], warnings, report, nearDuplicates, minimums };
}

function schemaCommentWarnings(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.yaml') && n !== 'manifest.yaml')
      .sort()
      .filter(
        (n) =>
          !/^# yaml-language-server: \$schema=\S*question-file\.schema\.json\s*$/.test(
            readFileSync(join(dir, n), 'utf8').split('\n', 1)[0] ?? '',
          ),
      )
      .map((n) => `${join(dir, n)}: first line should be "${SCHEMA_COMMENT}"`);
  } catch {
    return [];
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
const share = (s: Share) => `${String(s.count).padStart(4)} ${pct(s.share)}`;

/** The human-readable report. */
export function formatResult(r: CheckResult): string {
  const lines: string[] = [];
  const out = (s = '') => lines.push(s);
  for (const w of r.warnings) out(`warning: ${w}`);
  if (r.problems.length > 0 || !r.report) {
    out(
      `FAILED: the pack in ${r.pack} is invalid (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}):`,
    );
    for (const p of r.problems) out(`  ${p.file}: item "${p.id}", field "${p.field}": ${p.message}`);
    return `${lines.join('\n')}\n`;
  }
  const rep = r.report;
  out(`Pack ${rep.exam} (${r.pack}): ${rep.items} items, complete: ${rep.complete}`);
  out(
    r.enforced
      ? 'Coverage minimums: enforced'
      : 'Coverage minimums: reported only (enforced with --strict or `complete: true` in the manifest)',
  );
  out();
  out('By domain (share of items against the weight band):');
  for (const d of rep.domains) {
    out(
      `  ${d.id.padEnd(12)} ${share(d)}   band ${d.weight.min}-${d.weight.max} %   ${d.inBand ? 'ok' : 'OUTSIDE BAND'}`,
    );
  }
  out();
  out('By sub-skill:');
  for (const s of rep.skills)
    out(`  ${s.id.padEnd(5)} ${s.name.padEnd(44)} ${share(s)}${s.count < 3 ? '   (< 3)' : ''}`);
  out();
  const t = rep.types;
  out('By type:');
  out(`  single              ${share(t.single)}`);
  out(`  multiple            ${share(t.multiple)}`);
  out(`  order               ${share(t.order)}`);
  out(`  series statements   ${share(t.seriesStatements)}`);
  out(`  case questions      ${share(t.caseQuestions)}   (counted under their type above too)`);
  out(
    `  series: ${t.series}${rep.seriesSizes.length ? ` (${rep.seriesSizes.map((s) => `${s.id}: ${s.size}`).join(', ')})` : ''}`,
  );
  out(
    `  case studies: ${t.cases}${rep.caseSizes.length ? ` (${rep.caseSizes.map((c) => `${c.id}: ${c.size}`).join(', ')})` : ''}`,
  );
  out();
  out('By difficulty:');
  for (const d of [1, 2, 3] as const) out(`  ${d}  ${share(rep.difficulty[d])}`);
  out();
  out('Key positions (keys of single and multiple items):');
  if (rep.keyPositions.length === 0) out('  (no keys)');
  for (const k of rep.keyPositions) {
    out(`  ${k.label}  ${String(k.keys).padStart(4)} ${pct(k.share)}${k.flagged ? '   ABOVE 35 %' : ''}`);
  }
  out();
  if (r.nearDuplicates.length === 0)
    out(`Near-duplicate stems (similarity >= ${NEAR_DUPLICATE_THRESHOLD}): none`);
  else {
    out(`Near-duplicate stems (similarity >= ${NEAR_DUPLICATE_THRESHOLD}; warnings, review them):`);
    for (const n of r.nearDuplicates) {
      out(
        `  warning: "${n.a.id}" (${n.a.file ?? '?'}) ~ "${n.b.id}" (${n.b.file ?? '?'}): ${n.similarity.toFixed(2)}`,
      );
    }
  }
  out();
  const failing = r.minimums.filter((m) => !m.ok);
  out(`Coverage minimums: ${r.minimums.length - failing.length} of ${r.minimums.length} met`);
  for (const m of failing)
    out(`  ${r.enforced ? 'FAIL' : 'not yet'}: ${m.rule}: expected ${m.expected}, got ${m.actual}`);
  out();
  out(
    r.ok ? (r.enforced ? 'OK' : 'OK (coverage minimums not enforced)') : 'FAILED: coverage minimums not met',
  );
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const run = runCheck(process.argv.slice(2));
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exitCode = run.exitCode;
}
