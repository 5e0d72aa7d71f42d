import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root and the fixture pack (a manifest copy and eleven items). */
export const ROOT = join(__dirname, '..', '..');
export const MINI = join(ROOT, 'test', 'fixtures', 'pack-mini');

/**
 * A throwaway pack at `<tmp>/questions/pack` (loadPack names files relative to the
 * directory two levels up, so problems read `questions/pack/<file>`).
 * `withItems: true` copies the fixture's question files too.
 */
export function tmpPack(
  files: Record<string, string> = {},
  opts: { withItems?: boolean; complete?: boolean } = {},
) {
  const base = mkdtempSync(join(tmpdir(), 'sc-pack-'));
  const dir = join(base, 'questions', 'pack');
  mkdirSync(dir, { recursive: true });
  if (opts.withItems) cpSync(MINI, dir, { recursive: true });
  let manifest = readFileSync(join(MINI, 'manifest.yaml'), 'utf8');
  if (opts.complete) manifest = manifest.replace('complete: false', 'complete: true');
  writeFileSync(join(dir, 'manifest.yaml'), manifest);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** A valid single-answer item as YAML lines (indented for an `items:` list), with overrides. */
export function singleYaml(
  o: { id?: string; key?: string; skill?: string; link?: string; whyB?: boolean } = {},
) {
  return `# yaml-language-server: $schema=../schema/question-file.schema.json
items:
  - type: single
    id: ${o.id ?? 'broken-1'}
    domain: pipelines
    skill: "${o.skill ?? '3.3'}"
    difficulty: 2
    stem: Which YAML keyword runs a job only after another job succeeds?
    options:
      - id: a
        text: dependsOn
      - id: b
        text: trigger${o.whyB === false ? '' : '\n        why: A trigger starts a whole pipeline, not a job after another.'}
      - id: c
        text: pool
        why: The pool picks agents; it does not order jobs.
    key: [${o.key ?? 'a'}]
    explanation: dependsOn makes a job wait for the jobs it names, which must succeed by default.
    links:
      - ${o.link ?? 'https://learn.microsoft.com/en-us/azure/devops/pipelines/process/phases'}
`;
}
