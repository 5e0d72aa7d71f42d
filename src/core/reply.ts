import type { ItemType } from './item';
import type { AnswerTarget, NavAction, ReportReason } from './model';

/**
 * Who sees a reply: everyone in the conversation (`here`), only the caller in this
 * conversation (`private`: Slack ephemeral, Teams 1:1 chat), or the caller's direct
 * chat with the bot (`direct`).
 */
export type Audience = 'here' | 'private' | 'direct';

/** An option as shown: the letter is assigned after the shuffle. */
export interface OptionView {
  readonly id: string;
  readonly letter: string;
  readonly text: string;
}

/** A domain or sub-skill as shown. */
export interface Tag {
  readonly id: string;
  readonly name: string;
}

/** A question to answer. Carries no key: grading happens on the server. */
export interface QuestionCard {
  readonly kind: 'question';
  readonly target: AnswerTarget;
  readonly questionId: string;
  readonly type: ItemType;
  readonly domain: Tag;
  readonly skill: Tag;
  /** Series goal or case-study scenario the question belongs to. */
  readonly context?: { readonly kind: 'series' | 'case'; readonly title: string; readonly text: string };
  readonly stem: string;
  /** Multiple answer: how many to choose. Ordering: how many steps to place. */
  readonly choose?: number;
  readonly options: readonly OptionView[];
  /** "Question 2 of 5" in a session. */
  readonly position?: { readonly index: number; readonly total: number };
  /** Channel posts: when the answer is revealed (local "HH:MM"), how many answered, whether closed. */
  readonly answerBy?: string;
  readonly tally?: number;
  readonly closed?: boolean;
  /** Mock exam: the section, time left, the user's current choice, whether flagged. */
  readonly exam?: {
    readonly section: 'main' | 'series' | 'case';
    readonly minutesLeft: number;
    readonly chosen: readonly string[];
    readonly flagged: boolean;
    readonly answered: number;
    readonly total: number;
  };
  /** Buttons to offer besides answering (mock exams). */
  readonly actions?: readonly NavAction[];
}

/** Feedback after one answer, for the person who answered. */
export interface Feedback {
  readonly kind: 'feedback';
  readonly target: AnswerTarget;
  readonly questionId: string;
  readonly type: ItemType;
  readonly stem: string;
  readonly correct: boolean;
  readonly earned: number;
  readonly possible: number;
  readonly chosen: readonly OptionView[];
  /** The key, in order for ordering questions. */
  readonly answer: readonly OptionView[];
  readonly explanation: string;
  /** Why each wrong option the user chose is wrong. */
  readonly whyWrong: ReadonlyArray<{ readonly option: OptionView; readonly why: string }>;
  readonly links: readonly string[];
  readonly points: number;
  readonly totalPoints: number;
  readonly streak: number;
  /** Set when this answer came after the reveal, or repeated an earlier one. */
  readonly note?: 'late' | 'repeat' | 'already-answered';
  /** The session continues: offer a "Next" button. */
  readonly hasNext: boolean;
}

/** Per-domain result line. */
export interface DomainScore {
  readonly domain: Tag;
  readonly correct: number;
  readonly total: number;
}

/** End of a practice session. */
export interface QuizSummary {
  readonly kind: 'summary';
  readonly correct: number;
  readonly total: number;
  readonly domains: readonly DomainScore[];
  readonly pointsEarned: number;
  readonly totalPoints: number;
  readonly streak: number;
  /** The sub-skills to drill next, weakest first. */
  readonly drill: readonly Tag[];
}

/** A submitted mock exam: the score, per-domain parts, and every miss as a post-mortem. */
export interface ExamResult {
  readonly kind: 'exam-result';
  /** `round(1000 × earned / possible)`. */
  readonly score: number;
  readonly passingScore: number;
  readonly passed: boolean;
  readonly earned: number;
  readonly possible: number;
  readonly answered: number;
  readonly total: number;
  readonly minutes: number;
  readonly timedOut: boolean;
  /** Leaderboard points that landed at submit. */
  readonly points: number;
  /** Per domain: parts right (`correct`) of parts possible (`total`). */
  readonly domains: readonly DomainScore[];
  readonly misses: ReadonlyArray<{
    readonly questionId: string;
    readonly type: ItemType;
    readonly stem: string;
    readonly chosen: readonly OptionView[];
    readonly answer: readonly OptionView[];
    readonly earned: number;
    readonly possible: number;
    readonly explanation: string;
    readonly links: readonly string[];
  }>;
}

/** One leaderboard row. */
export interface BoardEntry {
  readonly rank: number;
  readonly name: string;
  readonly userId: string;
  readonly score: number;
}

/** A leaderboard: top entries, and the caller's own rank when `me` is set. */
export interface Leaderboard {
  readonly kind: 'leaderboard';
  readonly period: 'week' | 'all' | 'streak';
  readonly scope: { readonly kind: 'workspace' } | { readonly kind: 'group'; readonly name: string };
  /** Week label for weekly boards ("2026-W48"). */
  readonly week?: string;
  readonly entries: readonly BoardEntry[];
  readonly me?: { readonly rank: number | null; readonly score: number; readonly hidden: boolean };
}

/** A user's own figures. */
export interface Progress {
  readonly kind: 'progress';
  readonly name: string;
  readonly streak: number;
  readonly bestStreak: number;
  readonly freezes: number;
  readonly streakMode: 'daily' | 'weekdays';
  readonly streakAtRisk: boolean;
  readonly points: number;
  readonly weekPoints: number;
  readonly rank: number | null;
  readonly answered: number;
  readonly correct: number;
  readonly domains: readonly DomainScore[];
  readonly dueReviews: number;
  /** Estimated exam score out of 1000, ± its margin (wide with few answers). */
  readonly readiness: { readonly score: number; readonly margin: number; readonly passingScore: number };
  readonly examDate?: string;
  readonly daysToExam?: number;
}

/** Reveal of a channel question, posted in its thread. */
export interface Reveal {
  readonly kind: 'reveal';
  readonly postId: string;
  readonly stem: string;
  readonly answer: readonly OptionView[];
  readonly explanation: string;
  readonly links: readonly string[];
  readonly answered: number;
  readonly correct: number;
  readonly firstCorrect: readonly string[];
}

/** A yes/no question to the user (e.g. "forget me"). */
export interface Confirm {
  readonly kind: 'confirm';
  readonly action: 'forget-me';
  readonly text: string;
}

/** A report was filed. */
export interface ReportAck {
  readonly kind: 'report-ack';
  readonly questionId: string;
  readonly reason: ReportReason;
}

/** A file for the user (e.g. `export`): Slack uploads it; elsewhere it is shown inline. */
export interface FileReply {
  readonly kind: 'file';
  readonly name: string;
  readonly mime: string;
  readonly content: string;
}

/** Plain text in the CommonMark subset: **bold**, _italics_, `code`, [links](url), "- " lists. */
export interface Text {
  readonly kind: 'text';
  readonly text: string;
}

/** Everything the core can ask an adapter to show. */
export type ReplyBody =
  | Text
  | QuestionCard
  | Feedback
  | QuizSummary
  | ExamResult
  | Leaderboard
  | Progress
  | Reveal
  | Confirm
  | ReportAck
  | FileReply;

/**
 * A reply and who should see it (default: `here`). `shareable` marks a `private` reply
 * that holds nothing personal (a "try again", a pointer to the DM): where a channel has no
 * private messages (Teams), it is said `here`, in the caller's thread, rather than in the
 * caller's 1:1 chat, where it would be lost (store down) or pointless (the pointer).
 */
export type Reply = ReplyBody & { readonly audience?: Audience; readonly shareable?: true };
