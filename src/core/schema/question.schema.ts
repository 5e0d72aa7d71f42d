import { z } from 'zod';
import { idSchema } from './manifest.schema';

const allowedLinkHosts = ['learn.microsoft.com', 'docs.github.com'];

/** A documentation link on one of the allowed hosts. */
export const linkSchema = z
  .url({ protocol: /^https$/ })
  .refine((u) => allowedLinkHosts.includes(new URL(u).hostname), {
    message: `links must point at ${allowedLinkHosts.join(' or ')}`,
  });

/** An answer option. `why` explains why a wrong option is wrong (required on wrong options). */
export const optionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,23}$/, 'option ids are short: lowercase letters, digits, "-"'),
  text: z.string().min(1).max(400),
  why: z.string().min(10).optional(),
});

const itemBase = {
  id: idSchema,
  domain: idSchema,
  skill: z.string().regex(/^\d+\.\d+$/, 'a sub-skill id looks like "3.3"'),
  difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  stem: z.string().min(10),
  explanation: z.string().min(20),
  links: z.array(linkSchema).min(1),
};

/** One correct option among several. */
export const singleSchema = z.strictObject({
  type: z.literal('single'),
  ...itemBase,
  options: z.array(optionSchema).min(3).max(6),
  key: z.array(z.string()).length(1, 'a single-answer question has exactly one key'),
});

/** "Choose two/three": `choose` states the count, which must equal the number of keys. */
export const multipleSchema = z.strictObject({
  type: z.literal('multiple'),
  ...itemBase,
  choose: z.number().int().min(2).max(4),
  options: z.array(optionSchema).min(4).max(8),
  key: z.array(z.string()).min(2),
});

/** "Put the steps in order": `key` lists the steps in order; options not in `key` are distractors. */
export const orderSchema = z.strictObject({
  type: z.literal('order'),
  ...itemBase,
  options: z.array(optionSchema).min(3).max(7),
  key: z.array(z.string()).min(3).max(6),
});

/** A question that may stand inside a case study. */
export const caseQuestionSchema = z.discriminatedUnion('type', [singleSchema, multipleSchema, orderSchema]);

/** One statement (proposed solution) of a yes/no series; it is its own answerable item. */
export const statementSchema = z.strictObject({
  id: idSchema,
  text: z.string().min(10),
  answer: z.enum(['yes', 'no']),
  explanation: z.string().min(20),
  difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
  links: z.array(linkSchema).optional(),
});

/** A yes/no series: one goal, several proposed solutions, each judged yes or no. */
export const seriesSchema = z.strictObject({
  type: z.literal('series'),
  id: idSchema,
  domain: idSchema,
  skill: z.string().regex(/^\d+\.\d+$/),
  difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  stem: z.string().min(20),
  links: z.array(linkSchema).min(1),
  statements: z.array(statementSchema).min(2).max(5),
});

/** A case study: one scenario and several questions about it. */
export const caseSchema = z.strictObject({
  type: z.literal('case'),
  id: idSchema,
  title: z.string().min(3),
  scenario: z.string().min(100),
  questions: z.array(caseQuestionSchema).min(2).max(8),
});

/** Anything a question file's `items` list may hold. */
export const entrySchema = z.discriminatedUnion('type', [
  singleSchema,
  multipleSchema,
  orderSchema,
  seriesSchema,
  caseSchema,
]);

/** A question file (`questions/<pack>/*.yaml`, every file but the manifest). */
export const questionFileSchema = z.strictObject({
  $schema: z.string().optional(),
  items: z.array(entrySchema).min(1),
});

export type OptionDef = z.infer<typeof optionSchema>;
export type SingleDef = z.infer<typeof singleSchema>;
export type MultipleDef = z.infer<typeof multipleSchema>;
export type OrderDef = z.infer<typeof orderSchema>;
export type SeriesDef = z.infer<typeof seriesSchema>;
export type CaseDef = z.infer<typeof caseSchema>;
export type EntryDef = z.infer<typeof entrySchema>;
export type QuestionFile = z.infer<typeof questionFileSchema>;
