import { type Ctx, text } from '../context';
import { studyPlan } from '../learning/plan';
import { readiness } from '../learning/readiness';
import type { Reply } from '../reply';
import { dayNumber, dayString, parseDay } from '../time';

/** `plan YYYY-MM-DD`: sets the exam date and proposes a weekly plan toward it. */
export async function setPlan(ctx: Ctx, date: string): Promise<Reply[]> {
  const today = dayNumber(ctx.now(), await ctx.userTz());
  const examDay = parseDay(date) as number;
  if (examDay <= today)
    return [text('Pick an exam date in the future, for example `plan ' + dayString(today + 42) + '`.')];
  if (examDay - today > 365)
    return [text('That is more than a year away. Pick a date within the next 12 months.')];
  await ctx.store.updateProfile(ctx.tenant, ctx.userId, { examDate: date });
  ctx.profileChanged();
  const stats = await ctx.store.getStats(ctx.tenant, ctx.userId);
  const plan = studyPlan(ctx.bank, today, examDay, readiness(ctx.bank, stats.domains));
  const name = (id: string) => ctx.bank.domain(id).name;
  const weeks = plan.weeks.map(
    (w) =>
      `- **Week ${w.week}** (${w.from} → ${w.to}): ${w.focus.map(name).join(', ')}; ${w.questions} questions${w.mockExam ? ' + a mock exam (`exam`)' : ''}`,
  );
  const start = plan.weeks[0]?.from ?? date;
  const lead =
    start > dayString(today) ? `Until ${start}, keep a daily \`quiz\` habit; the plan starts then.\n` : '';
  return [
    text(
      `Exam on **${date}**: ${plan.daysLeft} days to go. Spaced repetition now aims higher as the date nears.\n${lead}${weeks.join('\n')}\nFocus follows the exam weights and your weakest domains; \`progress\` shows your readiness.`,
    ),
  ];
}

/** `certified YYYY-MM-DD`: records a pass and tells when the free renewal opens. */
export async function setCertified(ctx: Ctx, date: string): Promise<Reply[]> {
  const passed = parseDay(date) as number;
  const today = dayNumber(ctx.now(), await ctx.userTz());
  if (passed > today)
    return [
      text(
        'That date is in the future. Use the date you passed, for example `certified ' +
          dayString(today) +
          '`.',
      ),
    ];
  await ctx.store.updateProfile(ctx.tenant, ctx.userId, { certifiedOn: date });
  const expires = new Date(
    Date.UTC(Number(date.slice(0, 4)) + 1, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))),
  );
  const opens = new Date(expires);
  opens.setUTCMonth(opens.getUTCMonth() - 6);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return [
    text(
      `Congratulations on passing AZ-400! 🎉 Expert certifications last a year: yours runs to about **${iso(expires)}**. The free online renewal assessment opens six months before, around **${iso(opens)}**; you can retake it, and passing adds a year.`,
    ),
  ];
}
