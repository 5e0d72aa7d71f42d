import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { Bank, PackError, type PackProblem } from '../core/bank';
import { manifestSchema } from '../core/schema/manifest.schema';
import { questionFileSchema } from '../core/schema/question.schema';

/** Reads and validates one YAML file; problems are collected with file, item id and field. */
function readYaml<T>(
  path: string,
  schema: z.ZodType<T>,
  problems: PackProblem[],
  root: string,
): T | undefined {
  const file = relative(root, path) || path;
  const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      problems.push({ file, id: '-', field: '-', message: `YAML: ${e.message.split('\n')[0]}` });
    return undefined;
  }
  const data: unknown = doc.toJS();
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push({
      file,
      id: itemIdAt(data, issue.path),
      field: fieldPath(issue.path),
      message: issue.message,
    });
  }
  return undefined;
}

/**
 * The id of the innermost item an issue path points into (`items.3.options.1.why` →
 * that item's id): entries with a `type`, and series statements (with an `answer`).
 */
function itemIdAt(data: unknown, path: readonly PropertyKey[]): string {
  let node: unknown = data;
  let id = '-';
  for (const key of path) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<PropertyKey, unknown>)[key];
    if (node === null || typeof node !== 'object') break;
    const n = node as { id?: unknown; type?: unknown; answer?: unknown };
    if (typeof n.id === 'string' && (n.type !== undefined || n.answer !== undefined)) id = n.id;
  }
  return id;
}

function fieldPath(path: readonly PropertyKey[]): string {
  // Drop the leading "items.N" so the field reads from the item ("options.2.why").
  const rest = path[0] === 'items' ? path.slice(2) : path;
  return rest.map(String).join('.') || '(item)';
}

/**
 * Loads `questions/<pack>/`: `manifest.yaml` and every other `*.yaml` file, validates
 * them with the core's schema and builds the {@link Bank}. Throws a {@link PackError}
 * naming file, item id and field for everything wrong, so start-up fails clearly.
 */
export function loadPack(dir: string): Bank {
  const problems: PackProblem[] = [];
  const root = join(dir, '..', '..');
  const manifest = readYaml(join(dir, 'manifest.yaml'), manifestSchema, problems, root);
  const files: Array<{ file: string; entries: z.infer<typeof questionFileSchema>['items'] }> = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') && n !== 'manifest.yaml')
    .sort()) {
    const path = join(dir, name);
    const parsed = readYaml(path, questionFileSchema, problems, root);
    if (parsed) files.push({ file: relative(root, path), entries: parsed.items });
  }
  if (problems.length > 0 || !manifest) throw new PackError(problems);
  return Bank.build(manifest, files);
}
