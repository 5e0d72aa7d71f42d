import type { Bank } from '../bank';
import { dayString } from '../time';
import type { Readiness } from './readiness';

/** One week of a study plan. */
export interface PlanWeek {
  readonly week: number;
  readonly from: string;
  readonly to: string;
  /** Domain ids to focus on, most important first. */
  readonly focus: readonly string[];
  /** Practice questions to answer that week, and whether to sit a mock exam. */
  readonly questions: number;
  readonly mockExam: boolean;
}

/** A plan from today to the exam. */
export interface StudyPlan {
  readonly examDate: string;
  readonly daysLeft: number;
  readonly weeks: readonly PlanWeek[];
}

/**
 * A weekly plan to the exam date: a 4-week sprint when the exam is 5 weeks away or
 * less (fewer weeks if sooner), up to 10 weeks when it is far (the plan then starts
 * 10 weeks before the exam). Each week focuses on the domains with the largest
 * weight × weakness (1 − estimated share right); the last week is mock exams and review.
 */
export function studyPlan(bank: Bank, today: number, examDay: number, ready: Readiness): StudyPlan {
  const daysLeft = examDay - today;
  const weeksLeft = Math.max(1, Math.ceil(daysLeft / 7));
  const count = daysLeft <= 35 ? Math.min(4, weeksLeft) : Math.min(10, weeksLeft);
  const start = examDay - count * 7;
  const need = bank.manifest.domains
    .map((d) => {
      const est = ready.domains.find((r) => r.domain === d.id)?.estimate ?? 0.5;
      return { id: d.id, need: ((d.weight.min + d.weight.max) / 2) * (1 - est) };
    })
    .sort((a, b) => b.need - a.need);
  const weeks: PlanWeek[] = [];
  for (let i = 0; i < count; i++) {
    const from = Math.max(today, start + i * 7);
    const to = Math.min(examDay - 1, start + i * 7 + 6);
    const last = i === count - 1;
    // Rotate through the needs so every domain gets a turn, the neediest most often.
    const focus = last
      ? need.map((n) => n.id)
      : [need[i % Math.min(3, need.length)]?.id, need[(i + 3) % need.length]?.id].filter(
          (x): x is string => !!x,
        );
    weeks.push({
      week: i + 1,
      from: dayString(from),
      to: dayString(Math.max(from, to)),
      focus: [...new Set(focus)],
      questions: last ? 40 : 60,
      mockExam: last || (i + 1) % 3 === 0,
    });
  }
  return { examDate: dayString(examDay), daysLeft, weeks };
}
