import { type Ctx, text } from '../context';
import type { Reply } from '../reply';
import { nudgeJobId, reminderJobId } from './reminders';

/** `export`: the user's own data as JSON (adapters send it as a file where they can). */
export async function exportData(ctx: Ctx): Promise<Reply[]> {
  const data = await ctx.store.exportUser(ctx.tenant, ctx.userId);
  const json = JSON.stringify(
    { exportedAt: ctx.now().toISOString(), workspace: ctx.tenant, ...data },
    null,
    2,
  );
  return [
    text('Here is everything I keep about you:'),
    { kind: 'file', name: 'study-companion-export.json', mime: 'application/json', content: json },
  ];
}

/** `forget me`: asks first. */
export function confirmForget(): Reply[] {
  return [
    {
      kind: 'confirm',
      action: 'forget-me',
      text: '**Delete all your data?** Your points, streak, answers, review cards, groups and settings in this workspace will be gone for good. This cannot be undone.',
    },
  ];
}

/** The answer to the confirmation: deletes every trace of the user, or nothing. */
export async function forget(ctx: Ctx, yes: boolean): Promise<Reply[]> {
  if (!yes) return [text('Nothing was deleted.')];
  const exam = await ctx.store.getActiveSession(ctx.tenant, ctx.userId, 'exam');
  // Queued jobs that name the user go first, so none runs after the data is gone.
  if (exam) await ctx.scheduler?.cancel(`exam:${exam}`);
  await ctx.scheduler?.cancel(reminderJobId(ctx.tenant, ctx.userId));
  await ctx.scheduler?.cancel(nudgeJobId(ctx.tenant, ctx.userId));
  for (const id of [ctx.userId, ...(ctx.actor.aliases ?? [])]) await ctx.store.forgetUser(ctx.tenant, id);
  return [
    text(
      'Done: everything I kept about you in this workspace is deleted. If you come back, you start fresh.',
    ),
  ];
}
