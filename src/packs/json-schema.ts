import { z } from 'zod';
import { manifestSchema } from '../core/schema/manifest.schema';
import { questionFileSchema } from '../core/schema/question.schema';

/** The first line of every question file: it points editors at the JSON Schema. */
export const QUESTION_FILE_SCHEMA_COMMENT =
  '# yaml-language-server: $schema=../schema/question-file.schema.json';

/**
 * The JSON Schemas of the pack files, generated from the zod schemas, as file name →
 * file text (pretty-printed, trailing newline). They describe the *input* (YAML as
 * written: fields with defaults are optional). Refinements such as the link-host check
 * cannot be expressed in JSON Schema and are left out; `npm run questions:check`
 * still enforces them.
 */
export function jsonSchemas(): Record<string, string> {
  const render = (schema: z.ZodType, id: string, title: string): string => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-7' });
    return `${JSON.stringify({ ...json, $id: id, title }, null, 2)}\n`;
  };
  return {
    'manifest.schema.json': render(
      manifestSchema,
      'manifest.schema.json',
      'Study Companion question pack manifest',
    ),
    'question-file.schema.json': render(
      questionFileSchema,
      'question-file.schema.json',
      'Study Companion question file',
    ),
  };
}
