import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Document, isMap, isSeq, parse, type YAMLSeq } from 'yaml';
import { Bank, PackError } from '../core/bank';
import type { Manifest } from '../core/schema/manifest.schema';
import { type EntryDef, entrySchema, type OptionDef } from '../core/schema/question.schema';
import { CsvSyntaxError, parseCsv } from './csv';
import { QUESTION_FILE_SCHEMA_COMMENT } from './json-schema';

/** The CSV columns, in the suggested order (any order works; the header names them). */
export const CSV_COLUMNS = [
  'id',
  'type',
  'domain',
  'skill',
  'difficulty',
  'stem',
  'options',
  'key',
  'choose',
  'explanation',
  'why',
  'links',
] as const;

/** Columns that may be left out of the header (`choose` defaults to the key count, `why` to none). */
const OPTIONAL_COLUMNS: ReadonlySet<string> = new Set(['choose', 'why']);

/** Why a CSV row (or the whole file, row 0 / the header row 1) was rejected. */
export interface RowProblem {
  /** Spreadsheet row number: the header is row 1, the first question row 2. 0 for the whole file. */
  readonly row: number;
  /** Line of the file where the row starts (differs from `row` when quoted fields hold line breaks). */
  readonly line: number;
  readonly id: string;
  readonly field: string;
  readonly message: string;
}

/** The outcome of {@link importCsv}: the entries of the good rows, and every problem of the bad ones. */
export interface ImportResult {
  readonly entries: EntryDef[];
  /** Row numbers of `entries`, in the same order. */
  readonly rows: number[];
  readonly rejected: RowProblem[];
  /** Number of data rows read. */
  readonly total: number;
}

/** Splits `a=Text|b=Text` on unescaped `|` (write `\|` for a literal bar, `\\` for a backslash). */
export function splitPairs(text: string): Array<{ id: string; text: string } | { error: string }> {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      cur += text[i + 1];
      i++;
    } else if (c === '|') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq <= 0) return { error: `"${p.slice(0, 40)}" is not of the form id=text` };
      return { id: p.slice(0, eq).trim(), text: p.slice(eq + 1).trim() };
    });
}

type Cells = Record<string, string>;

/** Turns one row's cells into the entry object the schema expects; problems go to `bad`. */
function rowToEntry(
  cells: Cells,
  bad: (field: string, message: string) => void,
): Record<string, unknown> | undefined {
  const type = cells['type'] ?? '';
  if (type === 'series' || type === 'case') {
    bad(
      'type',
      'yes/no series and case studies are written in YAML only; the CSV import takes single, multiple and order',
    );
    return undefined;
  }
  const options: OptionDef[] = [];
  for (const p of splitPairs(cells['options'] ?? '')) {
    if ('error' in p) bad('options', p.error);
    else options.push({ id: p.id, text: p.text });
  }
  for (const p of splitPairs(cells['why'] ?? '')) {
    if ('error' in p) {
      bad('why', p.error);
      continue;
    }
    const i = options.findIndex((o) => o.id === p.id);
    if (i < 0) bad('why', `"${p.id}" is not an option id`);
    else options[i] = { ...options[i]!, why: p.text };
  }
  const key = (cells['key'] ?? '').split(/[;,\s]+/).filter((k) => k !== '');
  const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : s);
  const chooseCell = cells['choose'] ?? '';
  if (type !== 'multiple' && chooseCell !== '')
    bad('choose', '"choose" is only for multiple-answer questions');
  return {
    type,
    id: cells['id'],
    domain: cells['domain'],
    skill: cells['skill'],
    difficulty: num(cells['difficulty'] ?? ''),
    stem: cells['stem'],
    ...(type === 'multiple' ? { choose: chooseCell === '' ? key.length : num(chooseCell) } : {}),
    options,
    key,
    explanation: cells['explanation'],
    links: (cells['links'] ?? '').split(/\s+/).filter((l) => l !== ''),
  };
}

/**
 * Reads question rows from CSV text (columns: {@link CSV_COLUMNS}) and validates each
 * with the question schema and the bank's consistency rules (keys, counts, `why`s,
 * domain and sub-skill of `manifest`, unique ids — also against `existingIds`, the ids
 * already in the pack). Good rows become entries; bad rows are listed with row number,
 * id, field and reason. Pure: no file access.
 */
export function importCsv(
  text: string,
  manifest: Manifest,
  existingIds: ReadonlySet<string> = new Set(),
): ImportResult {
  const rejected: RowProblem[] = [];
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    return {
      entries: [],
      rows: [],
      total: 0,
      rejected: [{ row: 0, line: e.line, id: '-', field: '-', message: e.message }],
    };
  }
  const [header, ...data] = records;
  if (!header)
    return {
      entries: [],
      rows: [],
      total: 0,
      rejected: [{ row: 0, line: 1, id: '-', field: '-', message: 'the file is empty' }],
    };
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const headerProblem = (message: string) =>
    rejected.push({ row: 1, line: header.line, id: '-', field: 'header', message });
  const known: ReadonlySet<string> = new Set(CSV_COLUMNS);
  for (const n of names)
    if (!known.has(n)) headerProblem(`unknown column "${n}" (columns: ${CSV_COLUMNS.join(',')})`);
  for (const c of CSV_COLUMNS)
    if (!OPTIONAL_COLUMNS.has(c) && !names.includes(c)) headerProblem(`missing column "${c}"`);
  if (new Set(names).size !== names.length) headerProblem('a column is named twice');
  if (rejected.length > 0) return { entries: [], rows: [], total: data.length, rejected };

  const entries: EntryDef[] = [];
  const rows: number[] = [];
  const idRows = new Map<string, number>();
  data.forEach((record, index) => {
    const row = index + 2;
    const cells: Cells = {};
    names.forEach((n, i) => {
      cells[n] = (record.fields[i] ?? '').replace(/\r\n/g, '\n').trim();
    });
    const id = cells['id'] || '-';
    const problems: RowProblem[] = [];
    const bad = (field: string, message: string) =>
      problems.push({ row, line: record.line, id, field, message });
    if (record.fields.length !== names.length) {
      bad(
        '-',
        `has ${record.fields.length} fields, the header has ${names.length} (quote fields that hold commas)`,
      );
      rejected.push(...problems);
      return;
    }
    const raw = rowToEntry(cells, bad);
    if (raw) {
      const parsed = entrySchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          bad(issue.path.map(String).join('.') || '(row)', issue.message);
      } else if (problems.length === 0) {
        try {
          Bank.build(manifest, [{ file: 'csv', entries: [parsed.data] }]);
        } catch (e) {
          if (!(e instanceof PackError)) throw e;
          for (const p of e.problems) bad(p.field, p.message);
        }
        if (existingIds.has(parsed.data.id)) bad('id', 'duplicate id (already in the pack)');
        const other = idRows.get(parsed.data.id);
        if (other !== undefined) bad('id', `duplicate id (also in row ${other})`);
        if (problems.length === 0) {
          idRows.set(parsed.data.id, row);
          entries.push(parsed.data);
          rows.push(row);
        }
      }
    }
    rejected.push(...problems);
  });
  return { entries, rows, rejected, total: data.length };
}

/**
 * Renders entries as a question file: the JSON Schema comment line, an optional
 * comment, then `items:` with keys in flow style (`key: [a, c]`).
 */
export function toQuestionYaml(entries: readonly EntryDef[], comment?: string): string {
  const ordered = entries.map(inFileOrder);
  const doc = new Document({ items: ordered });
  const items = doc.get('items') as YAMLSeq;
  for (const item of items.items) {
    const key = isMap(item) ? item.get('key', true) : undefined;
    if (isSeq(key)) key.flow = true;
  }
  const head = [QUESTION_FILE_SCHEMA_COMMENT, ...(comment ? comment.split('\n').map((l) => `# ${l}`) : [])];
  const body = doc.toString({
    lineWidth: 100,
    minContentWidth: 40,
    blockQuote: 'literal',
    flowCollectionPadding: false,
  });
  const out = `${head.join('\n')}\n${body}`;
  // Guard: what we write must read back as the same entries.
  const back = (parse(body) as { items: unknown }).items;
  if (JSON.stringify(back) !== JSON.stringify(ordered))
    throw new Error('internal: the YAML does not read back the same');
  return out;
}

/** An entry with its fields in the order people write them (stem, options, key, explanation, links). */
function inFileOrder(e: EntryDef): EntryDef {
  if (e.type === 'series' || e.type === 'case') return e;
  const options = e.options.map((o) => ({
    id: o.id,
    text: o.text,
    ...(o.why !== undefined ? { why: o.why } : {}),
  }));
  const head = {
    type: e.type,
    id: e.id,
    domain: e.domain,
    skill: e.skill,
    difficulty: e.difficulty,
    stem: e.stem,
  };
  const tail = { explanation: e.explanation, links: e.links };
  if (e.type === 'multiple') return { ...head, type: e.type, choose: e.choose, options, key: e.key, ...tail };
  return { ...head, type: e.type, options, key: e.key, ...tail };
}

/**
 * The item ids already used by the question files of a pack directory (every `*.yaml`
 * but the manifest and `except`), read leniently so half-written files do not block an
 * import: files that do not parse are skipped.
 */
export function packIds(dir: string, except?: string): Set<string> {
  const ids = new Set<string>();
  const skip = except ? resolve(except) : undefined;
  const collect = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) collect(n);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o['id'] === 'string' && ('type' in o || 'text' in o)) ids.add(o['id']);
      for (const k of ['items', 'statements', 'questions']) if (k in o) collect(o[k]);
    }
  };
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.yaml') || name === 'manifest.yaml' || resolve(join(dir, name)) === skip) continue;
    try {
      collect(parse(readFileSync(join(dir, name), 'utf8')));
    } catch {
      // a file being written; the pack check reports it
    }
  }
  return ids;
}
