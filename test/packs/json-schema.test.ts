import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../../src/packs/json-schema';
import { ROOT } from './tmp-pack';

describe('questions/schema/*.json', () => {
  const generated = jsonSchemas();

  it.each(Object.keys(generated))('%s is up to date (run npm run questions:schema if not)', (name) => {
    const committed = readFileSync(join(ROOT, 'questions', 'schema', name), 'utf8');
    expect(committed).toBe(generated[name]);
  });

  it('describes the question file: five entry types, required fields, no extra keys', () => {
    const schema = JSON.parse(generated['question-file.schema.json'] ?? '{}');
    const entries = schema.properties.items.items.oneOf as Array<{
      properties: { type: { const: string } };
      required: string[];
      additionalProperties: boolean;
    }>;
    expect(entries.map((e) => e.properties.type.const)).toEqual([
      'single',
      'multiple',
      'order',
      'series',
      'case',
    ]);
    expect(entries[0]?.required).toEqual(
      expect.arrayContaining(['id', 'domain', 'skill', 'stem', 'options', 'key', 'explanation', 'links']),
    );
    expect(entries.every((e) => e.additionalProperties === false)).toBe(true);
  });

  it('describes the manifest as written: complete is optional', () => {
    const schema = JSON.parse(generated['manifest.schema.json'] ?? '{}');
    expect(schema.required).not.toContain('complete');
    expect(schema.properties.complete.type).toBe('boolean');
  });
});
