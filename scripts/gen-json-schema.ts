/**
 * Writes the JSON Schemas of the question pack files, generated from the zod schemas:
 *   npm run questions:schema
 * → questions/schema/manifest.schema.json and questions/schema/question-file.schema.json.
 * YAML files point at them with a first-line comment, for editor completion and checks:
 *   # yaml-language-server: $schema=../schema/question-file.schema.json
 * A jest test fails when the committed files differ from freshly generated output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../src/packs/json-schema';

const outDir = process.argv[2] ?? join(__dirname, '..', 'questions', 'schema');
mkdirSync(outDir, { recursive: true });
for (const [name, text] of Object.entries(jsonSchemas())) {
  writeFileSync(join(outDir, name), text);
  console.log(`wrote ${join(outDir, name)}`);
}
