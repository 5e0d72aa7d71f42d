import { type Card, createEmptyCard, fsrs, generatorParameters, Rating, State } from 'ts-fsrs';

/** A user's review card for one question, as FSRS schedules it. */
export type ReviewCard = Card;

/** How an answer rates the card: wrong → Again; right → Good; right in under 20 s → Easy. */
export function ratingFor(correct: boolean, answerMs?: number): Rating.Again | Rating.Good | Rating.Easy {
  if (!correct) return Rating.Again;
  return answerMs !== undefined && answerMs < 20_000 ? Rating.Easy : Rating.Good;
}

/**
 * Desired retention: 0.85 far from the exam, rising linearly to 0.93 over the last 60
 * days before it (no exam date: 0.9, FSRS's default).
 */
export function retentionFor(daysToExam?: number): number {
  if (daysToExam === undefined || daysToExam < 0) return 0.9;
  if (daysToExam >= 60) return 0.85;
  return Math.round((0.93 - (daysToExam / 60) * 0.08) * 1000) / 1000;
}

const schedulers = new Map<number, ReturnType<typeof fsrs>>();
function scheduler(retention: number) {
  let s = schedulers.get(retention);
  if (!s) {
    s = fsrs(
      generatorParameters({ request_retention: retention, enable_fuzz: false, enable_short_term: false }),
    );
    schedulers.set(retention, s);
  }
  return s;
}

/** The card after an answer at `now`. A missing card starts as FSRS's new card. */
export function reviewCard(
  card: ReviewCard | undefined,
  now: Date,
  rating: Rating.Again | Rating.Good | Rating.Easy,
  retention = 0.9,
): ReviewCard {
  return scheduler(retention).next(card ?? createEmptyCard(now), now, rating).card;
}

/** Probability of recalling the card at `now` (0..1); 0 for a card never reviewed. */
export function retrievability(card: ReviewCard | undefined, now: Date): number {
  if (!card || card.state === State.New) return 0;
  return scheduler(0.9).get_retrievability(card, now, false);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * A compact text form of a card (about 40 bytes), for storing one field per card:
 * due and last review in epoch seconds, stability, difficulty, scheduled days,
 * learning steps, reps, lapses, state.
 */
export function packCard(c: ReviewCard): string {
  const sec = (d?: Date) => (d ? Math.round(d.getTime() / 1000).toString(36) : '');
  return [
    sec(c.due),
    round(c.stability),
    round(c.difficulty),
    c.scheduled_days,
    c.learning_steps,
    c.reps,
    c.lapses,
    c.state,
    sec(c.last_review),
  ].join(',');
}

/** Reads a card written by {@link packCard}; undefined for anything malformed. */
export function unpackCard(s: string | undefined): ReviewCard | undefined {
  if (!s) return undefined;
  const p = s.split(',');
  if (p.length !== 9) return undefined;
  const date = (x: string | undefined) => (x ? new Date(Number.parseInt(x, 36) * 1000) : undefined);
  const due = date(p[0]);
  if (!due || Number.isNaN(due.getTime())) return undefined;
  const n = p.slice(1, 8).map(Number);
  if (n.some((x) => Number.isNaN(x))) return undefined;
  const last = date(p[8]);
  return {
    due,
    stability: n[0] as number,
    difficulty: n[1] as number,
    elapsed_days: 0,
    scheduled_days: n[2] as number,
    learning_steps: n[3] as number,
    reps: n[4] as number,
    lapses: n[5] as number,
    state: n[6] as State,
    ...(last ? { last_review: last } : {}),
  };
}
