/**
 * Validates chosen question files against the pack's manifest, alone:
 *   npx tsx scripts/validate-files.ts questions/az400/3.3-pipelines.yaml [...]
 * Prints every problem with file, item id and field, and a count per type and skill.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PackError } from '../src/core/bank';
import { loadPack } from '../src/packs/load-pack';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npx tsx scripts/validate-files.ts <question file>...');
  process.exit(2);
}
const tmp = join(mkdtempSync(join(tmpdir(), 'qv-')), 'questions', 'pack');
cpSync(join(dirname(files[0] as string), 'manifest.yaml'), join(tmp, 'manifest.yaml'));
for (const f of files) cpSync(f, join(tmp, basename(f)));
try {
  const bank = loadPack(tmp);
  const count = (f: (i: (typeof bank.items)[number]) => string) =>
    bank.items.reduce<Record<string, number>>((acc, i) => {
      acc[f(i)] = (acc[f(i)] ?? 0) + 1;
      return acc;
    }, {});
  console.log(`OK: ${bank.items.length} items`);
  console.log(
    'by type:',
    count((i) => (i.parent ? i.parent.kind : i.type)),
  );
  console.log(
    'by skill:',
    count((i) => i.skill),
  );
  console.log(
    'key positions:',
    count((i) =>
      i.type === 'yesno' ? 'yes/no' : i.key.map((k) => i.options.findIndex((o) => o.id === k)).join('+'),
    ),
  );
} catch (e) {
  console.error(e instanceof PackError ? e.message : e);
  process.exitCode = 1;
} finally {
  rmSync(dirname(dirname(tmp)), { recursive: true, force: true });
}
