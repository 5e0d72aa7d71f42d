import { z } from 'zod';

/** A Bot Framework channel account (user or bot). */
const account = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
  role: z.string().optional(),
});

const entity = z.looseObject({ type: z.string() });

/**
 * The shape an incoming activity must have before `CloudAdapter` sees it. CloudAdapter
 * answers 500 to malformed activities (a numeric `type`, a message without
 * `conversation` or `from`, an unusable `serviceUrl`); this schema turns those into 400s.
 * Unknown fields pass through untouched.
 */
export const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: z.string().min(1).max(1024),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    name: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  text: z.string().max(20_000).optional(),
  name: z.string().max(256).optional(),
  action: z.string().max(64).optional(),
  value: z.unknown().optional(),
  replyToId: z.string().max(512).optional(),
  localTimezone: z.string().max(64).optional(),
  entities: z.array(entity).max(100).optional(),
  membersAdded: z.array(account).max(1000).optional(),
  membersRemoved: z.array(account).max(1000).optional(),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: z.string() }).optional(),
      channel: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(),
      team: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(),
      eventType: z.string().optional(),
    })
    .optional(),
});

/** An incoming activity that passed {@link activitySchema}. */
export type InboundActivity = z.infer<typeof activitySchema>;

/** A short, safe description of why an activity was refused (paths only, no values). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}
