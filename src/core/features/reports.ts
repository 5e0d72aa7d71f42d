import { type Ctx, text } from '../context';
import type { ReportReason } from '../model';
import type { Reply } from '../reply';
import { isOrganizer, organizersOnly } from './organizers';

const reasonWords: Record<ReportReason, string> = {
  'wrong-key': 'wrong answer key',
  unclear: 'unclear',
  outdated: 'outdated',
};

/** The "Report" action on feedback: stores one report per member and question. */
export async function reportQuestion(
  ctx: Ctx,
  questionId: string,
  reason: ReportReason,
  note?: string,
): Promise<Reply[]> {
  if (!ctx.bank.item(questionId)) return [text("I can't find that question any more.", 'private')];
  const trimmed = note?.trim().slice(0, 500);
  await ctx.store.addReport(ctx.tenant, {
    questionId,
    userId: ctx.userId,
    reason,
    ...(trimmed ? { note: trimmed } : {}),
    at: ctx.now().getTime(),
  });
  return [{ kind: 'report-ack', questionId, reason, audience: 'private' }];
}

/**
 * `reports` (organizers): reported questions, worst first (most reports, then the lowest
 * share of correct first answers), each with its reasons, notes and share correct.
 */
export async function listReports(ctx: Ctx): Promise<Reply[]> {
  if (!(await isOrganizer(ctx))) return [organizersOnly()];
  const reports = await ctx.store.reports(ctx.tenant);
  if (reports.length === 0)
    return [
      text('No question has been reported. Members can report one from the feedback they get.', 'private'),
    ];
  const byQuestion = new Map<string, typeof reports>();
  for (const r of reports) byQuestion.set(r.questionId, [...(byQuestion.get(r.questionId) ?? []), r]);
  const stats = await ctx.store.questionStats(ctx.tenant, [...byQuestion.keys()]);
  const share = (q: string) => {
    const s = stats[q];
    return s && s.total > 0 ? s.correct / s.total : 1;
  };
  const rows = [...byQuestion]
    .sort((a, b) => b[1].length - a[1].length || share(a[0]) - share(b[0]))
    .slice(0, 15)
    .map(([q, rs]) => {
      const counts = new Map<ReportReason, number>();
      for (const r of rs) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
      const reasons = [...counts].map(([r, n]) => `${n}× ${reasonWords[r]}`).join(', ');
      const s = stats[q];
      const correct = s
        ? `${Math.round((s.correct / s.total) * 100)}% right on first try (${s.total} answers)`
        : 'no answers yet';
      const notes = rs.flatMap((r) => (r.note ? [`  > ${r.note}`] : [])).slice(0, 3);
      const item = ctx.bank.item(q);
      const stem = item ? item.stem.trim().split('\n')[0]?.slice(0, 90) : '(no longer in the pack)';
      return [`- \`${q}\`: ${reasons}; ${correct}\n  _${stem}…_`, ...notes].join('\n');
    });
  return [text(`**Reported questions** (worst first)\n${rows.join('\n')}`, 'private')];
}
