import { z } from 'zod';

/** A stable identifier: lowercase letters, digits, dots and dashes. */
export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'use lowercase letters, digits, "." and "-" (max 64)');

/** One sub-skill of a domain, e.g. `3.3` "Design and implement pipelines". */
export const skillSchema = z.strictObject({
  id: z.string().regex(/^\d+\.\d+$/, 'a sub-skill id looks like "3.3"'),
  name: z.string().min(3),
});

/** A domain (skills group) of the exam with its published weight band in percent. */
export const domainSchema = z
  .strictObject({
    id: idSchema,
    number: z.number().int().min(1).max(9),
    name: z.string().min(3),
    aliases: z.array(z.string().min(2)).default([]),
    weight: z.strictObject({ min: z.number().min(0).max(100), max: z.number().min(0).max(100) }),
    skills: z.array(skillSchema).min(1),
  })
  .refine((d) => d.weight.min <= d.weight.max, { message: 'weight.min must not exceed weight.max' });

/** The exam's format, used by the mock exam. */
export const formatSchema = z.strictObject({
  questions: z.number().int().min(1).max(200),
  minutes: z.number().int().min(1).max(600),
  passingScore: z.number().int().min(1).max(1000),
  maxScore: z.literal(1000).default(1000),
});

/**
 * The pack manifest (`questions/<pack>/manifest.yaml`). `complete: true` makes the
 * question checker apply the coverage minimums without `--strict`.
 */
export const manifestSchema = z.strictObject({
  $schema: z.string().optional(),
  exam: z.string().min(2),
  title: z.string().min(3),
  complete: z.boolean().default(false),
  format: formatSchema,
  domains: z.array(domainSchema).min(1),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type Domain = z.infer<typeof domainSchema>;
export type Skill = z.infer<typeof skillSchema>;
