import type { Where } from '../model';
import type { StreakMode, StreakState } from '../streak';
import type { MessageRef } from './messenger.port';
import type { DailySchedule, Reminder, SendClaim } from './scheduler.port';

/** A user's settings. */
export interface UserProfile {
  /** Time zone the user set with `timezone` (wins over the platform's). */
  readonly tz?: string;
  readonly streakMode: StreakMode;
  /** Left the public boards with `leaderboard hide`. */
  readonly hidden: boolean;
  readonly examDate?: string;
  /** Date of a recorded pass (`certified YYYY-MM-DD`). */
  readonly certifiedOn?: string;
}

/** Correct and total answers. */
export interface Tally {
  readonly correct: number;
  readonly total: number;
}

/** A user's figures. Per-domain and per-skill tallies count every attempt. */
export interface UserStats {
  readonly points: number;
  readonly answered: number;
  readonly correct: number;
  readonly streak: StreakState;
  readonly domains: Readonly<Record<string, Tally>>;
  readonly skills: Readonly<Record<string, Tally>>;
}

/** A study group: a named one, or the group of a channel with a daily post. */
export interface Group {
  readonly id: string;
  readonly name: string;
  readonly kind: 'named' | 'channel';
  readonly members: number;
}

/** One answer of a practice session. */
export interface SessionAnswer {
  readonly choice: readonly string[];
  readonly correct: boolean;
  readonly earned: number;
  readonly possible: number;
  readonly points: number;
}

/** A practice quiz or review session in progress (or finished, until it expires). */
export interface Session {
  readonly id: string;
  readonly tenant: string;
  readonly userId: string;
  readonly kind: 'quiz';
  /** What drew the questions: a plain quiz, due reviews, or weak sub-skills. */
  readonly mode?: 'quiz' | 'review' | 'drill';
  readonly items: readonly string[];
  /** Index of the question currently shown, and when it was shown (for FSRS's "Easy"). */
  readonly index: number;
  readonly shownAt?: number;
  readonly answers: Readonly<Record<string, SessionAnswer>>;
  readonly startedAt: number;
  readonly done: boolean;
}

/** A section of a mock exam (see src/core/learning/exam-draw.ts). */
export interface ExamSectionState {
  readonly kind: 'main' | 'series' | 'case';
  readonly id: string;
  readonly items: readonly string[];
}

/** A mock exam in progress or submitted. It survives restarts: everything is in here. */
export interface ExamSession {
  readonly id: string;
  readonly tenant: string;
  readonly userId: string;
  readonly kind: 'exam';
  readonly sections: readonly ExamSectionState[];
  /** Current section and item within it. Sections before `section` are closed. */
  readonly section: number;
  readonly index: number;
  /** The user's choice per item (no grading until submit). */
  readonly answers: Readonly<Record<string, readonly string[]>>;
  readonly flagged: readonly string[];
  readonly startedAt: number;
  readonly deadline: number;
  readonly submittedAt?: number;
}

/** Anything `saveSession` keeps. */
export type AnySession = Session | ExamSession;

/** A question posted in a channel. */
export interface ChannelPost {
  readonly id: string;
  readonly tenant: string;
  readonly where: Where;
  readonly questionId: string;
  /** The option order shown on the shared card (option ids). */
  readonly order: readonly string[];
  readonly postedAt: number;
  readonly revealAt: number;
  /** Local "HH:MM" of the reveal, as shown on the card. */
  readonly answerBy: string;
  readonly revealed: boolean;
  readonly message?: MessageRef;
}

/**
 * A member's answer to a channel post as it was recorded: what they chose and the figures
 * they were shown, so that their result can be shown to them again.
 */
export interface PostResult {
  readonly choice: readonly string[];
  readonly correct: boolean;
  readonly points: number;
  readonly totalPoints: number;
  readonly streak: number;
  /** First time this member answered the question anywhere (else it could not score). */
  readonly firstAttempt: boolean;
  /** Answered after the reveal time. */
  readonly late: boolean;
}

/** The answerers of a channel post. */
export interface PostAnswers {
  readonly answered: number;
  readonly correct: number;
  /** User ids of the first correct answerers, earliest first (at most 5). */
  readonly firstCorrect: readonly string[];
}

/**
 * Everything one answer changes, computed by the core beforehand so that the store can
 * apply it in one atomic step (one EVALSHA on Redis).
 */
export interface AnswerRecord {
  readonly tenant: string;
  readonly userId: string;
  readonly name: string;
  /** (session or post, question): the same attempt recorded twice changes nothing. */
  readonly attempt: string;
  readonly questionId: string;
  readonly domain: string;
  readonly skill: string;
  readonly correct: boolean;
  /** Points for a correct first attempt (10), or 0 where answers do not score (late, mock exam). */
  readonly award: number;
  /** The user's local day number, and their streak mode. */
  readonly day: number;
  readonly streakMode: StreakMode;
  /** ISO week in the workspace time zone, and when its board may expire. */
  readonly week: string;
  readonly weekExpiresAt: number;
  /** The user's groups (their boards move too). */
  readonly groups: readonly string[];
  /**
   * A channel post: its id, the channel group the answer joins, what the member's result
   * keeps besides the figures this call computes (see {@link PostResult}), and the id the
   * platform addresses the member by, for the post's list of answerers.
   */
  readonly post?: {
    readonly id: string;
    readonly group: Group;
    readonly choice: readonly string[];
    readonly late: boolean;
    readonly address: string;
  };
  /** The question's review card after this answer (FSRS, packed), and when it is due. */
  readonly card?: { readonly packed: string; readonly due: number };
  readonly at: number;
}

/** What recording an answer did. */
export type RecordResult =
  | { readonly status: 'already-answered' }
  | {
      readonly status: 'recorded';
      /** First time this user answered this question anywhere: points were possible. */
      readonly firstAttempt: boolean;
      readonly points: number;
      readonly totalPoints: number;
      readonly weekPoints: number;
      readonly streak: StreakState;
      readonly usedFreezes: number;
      /** Answers so far on the post (for its tally). */
      readonly tally?: number;
    };

/** A member's report that a question is wrong, unclear or outdated. */
export interface QuestionReport {
  readonly questionId: string;
  readonly userId: string;
  readonly reason: 'wrong-key' | 'unclear' | 'outdated';
  readonly note?: string;
  readonly at: number;
}

/** Which board. */
export interface BoardRef {
  readonly period: 'week' | 'all' | 'streak';
  /** Absent: the workspace's board. */
  readonly groupId?: string;
  readonly week?: string;
}

/** Raw leaderboard rows: user id, name and score, best first; hidden users already left out. */
export interface BoardRows {
  readonly rows: ReadonlyArray<{ readonly userId: string; readonly name: string; readonly score: number }>;
  /** The caller's 1-based rank among visible users, or null. */
  readonly myRank: number | null;
  readonly myScore: number;
}

/** A token bucket: `capacity` tokens, refilled at `perSecond`. */
export interface Bucket {
  readonly key: string;
  readonly capacity: number;
  readonly perSecond: number;
}

/** What {@link Store.answerReads} returns. */
export interface AnswerReads {
  readonly profile: UserProfile;
  readonly workspaceTz: string | undefined;
  readonly groupIds: string[];
  /** The packed review card, if the user has one for the question. */
  readonly packed: string | undefined;
  /** The post asked for, if it exists. */
  readonly post: ChannelPost | undefined;
}

/**
 * The persistence port. It speaks the domain; each method is atomic. Two
 * implementations (`MemoryStore`, `RedisStore`) pass one contract suite. Keys are
 * always scoped by tenant: nothing of one workspace is visible from another.
 */
export interface Store {
  // Users
  getProfile(tenant: string, userId: string): Promise<UserProfile>;
  updateProfile(tenant: string, userId: string, patch: Partial<UserProfile>): Promise<UserProfile>;
  getStats(tenant: string, userId: string): Promise<UserStats>;
  /** Ids of the questions the user has answered at least once. */
  seenQuestions(tenant: string, userId: string): Promise<Set<string>>;

  // Review cards (FSRS state, packed by src/core/learning/cards.ts); written by recordAnswer
  getCard(tenant: string, userId: string, questionId: string): Promise<string | undefined>;
  cards(tenant: string, userId: string): Promise<Record<string, string>>;
  /** Question ids whose card is due at `now`, most overdue first. */
  dueCards(tenant: string, userId: string, now: number, limit: number): Promise<string[]>;
  dueCount(tenant: string, userId: string, now: number): Promise<number>;
  /** First-attempt tallies per question, across the workspace (for `reports`). */
  questionStats(tenant: string, questionIds: readonly string[]): Promise<Record<string, Tally>>;

  // Answers and sessions
  /**
   * What recording an answer reads first, in one round trip: the user's profile, the
   * workspace's time zone, the user's group ids, their review card of `questionId`, and
   * with `postId` that channel post. The same as the five reads apart, at once.
   */
  answerReads(tenant: string, userId: string, questionId: string, postId?: string): Promise<AnswerReads>;
  recordAnswer(record: AnswerRecord): Promise<RecordResult>;
  saveSession(session: AnySession, ttlSeconds: number): Promise<void>;
  getSession(tenant: string, id: string): Promise<AnySession | undefined>;
  /** The user's open session id of a kind (a quiz and a mock exam can both be open), if any. */
  getActiveSession(tenant: string, userId: string, kind?: AnySession['kind']): Promise<string | undefined>;
  setActiveSession(
    tenant: string,
    userId: string,
    id: string | undefined,
    kind?: AnySession['kind'],
  ): Promise<void>;

  // Boards
  leaderboard(tenant: string, board: BoardRef, userId: string, limit: number): Promise<BoardRows>;
  setHidden(tenant: string, userId: string, hidden: boolean): Promise<void>;

  // Groups
  createGroup(tenant: string, group: Omit<Group, 'members'>): Promise<'created' | 'exists'>;
  getGroup(tenant: string, groupId: string): Promise<Group | undefined>;
  joinGroup(tenant: string, groupId: string, userId: string): Promise<boolean>;
  leaveGroup(tenant: string, groupId: string, userId: string): Promise<boolean>;
  userGroups(tenant: string, userId: string): Promise<Group[]>;
  /** The ids of the user's groups, sorted (cheaper than `userGroups` when ids are all that is needed). */
  userGroupIds(tenant: string, userId: string): Promise<string[]>;
  listGroups(tenant: string): Promise<Group[]>;

  // Channel posts
  savePost(post: ChannelPost): Promise<void>;
  getPost(tenant: string, id: string): Promise<ChannelPost | undefined>;
  /** Marks a post revealed; false when it already was (so a reveal runs once). */
  markRevealed(tenant: string, id: string): Promise<boolean>;
  postAnswers(tenant: string, id: string): Promise<PostAnswers>;
  /** A member's recorded answer to a post; undefined when they have not answered it. */
  postResult(tenant: string, postId: string, userId: string): Promise<PostResult | undefined>;
  /** Who answered a post, first answer first, by their addresses (`AnswerRecord.post`): at most `limit`. */
  postAnswerers(tenant: string, postId: string, limit: number): Promise<string[]>;

  // Workspace and channels
  getWorkspaceTz(tenant: string): Promise<string | undefined>;
  setWorkspaceTz(tenant: string, tz: string): Promise<void>;
  organizers(tenant: string, channelId: string): Promise<string[]>;
  addOrganizer(tenant: string, channelId: string, userId: string): Promise<void>;
  /** Display names of users, for boards and reveals. */
  names(tenant: string, userIds: readonly string[]): Promise<Record<string, string>>;

  // Reports, team view, privacy
  /** Files a member's report about a question; one report per user and question (a new one replaces it). */
  addReport(tenant: string, report: QuestionReport): Promise<void>;
  /** Every report of the workspace, newest first. */
  reports(tenant: string): Promise<QuestionReport[]>;
  /** User ids of a group's members. */
  groupMembers(tenant: string, groupId: string): Promise<string[]>;
  /** Everything the store holds about one user, as plain JSON (for `export`). */
  exportUser(tenant: string, userId: string): Promise<Record<string, unknown>>;
  /** Deletes every trace of a user in the workspace: keys, values, set and board members. */
  forgetUser(tenant: string, userId: string): Promise<void>;

  // Shared primitives for adapters and the scheduler
  /** True the first time `key` is claimed within `ttlSeconds`; false afterwards. */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Appends `member` to an ordered list once (atomic across replicas); returns the list's
   * length. With `ttlSeconds`, the whole list expires that long after this add.
   */
  listAdd(tenant: string, key: string, member: string, ttlSeconds?: number): Promise<number>;
  /** The list's members in order: all of them, or the first `limit`. */
  listGet(tenant: string, key: string, limit?: number): Promise<string[]>;
  /** Keeps a JSON value under `key` (conversation references, shared cards). */
  saveConversationRef(tenant: string, key: string, ref: unknown): Promise<void>;
  getConversationRef<T = unknown>(tenant: string, key: string): Promise<T | undefined>;
  /** A short-lived cache of platform profile data (e.g. time zones). */
  cacheProfile(
    tenant: string,
    userId: string,
    data: Record<string, string>,
    ttlSeconds: number,
  ): Promise<void>;
  getCachedProfile(tenant: string, userId: string): Promise<Record<string, string> | undefined>;
  /** Takes one token; when the bucket is empty, says how long to wait. */
  takeToken(bucket: Bucket): Promise<{ readonly ok: boolean; readonly retryAfterMs: number }>;

  /** Lifecycle */
  ping(): Promise<boolean>;
  close(): Promise<void>;

  // Schedules (issue 6: daily channel questions, reminders, sends claimed once)
  saveDailySchedule(schedule: DailySchedule): Promise<void>;
  getDailySchedule(tenant: string, channelId: string): Promise<DailySchedule | undefined>;
  saveReminder(reminder: Reminder): Promise<void>;
  getReminder(tenant: string, userId: string): Promise<Reminder | undefined>;
  /** Every stored schedule of every tenant, enabled or not (start-up re-registration). */
  allSchedules(): Promise<{ daily: DailySchedule[]; reminders: Reminder[] }>;
  /** Stores `value` under `key` unless a value is there; returns the value that stands. */
  firstValue(tenant: string, key: string, value: string, ttlSeconds: number): Promise<string>;
  /**
   * Claims the send `key` for `holder` for `leaseMs` (a lease, so a vanished holder's
   * send can be taken over). See {@link SendClaim}; the record lives `ttlSeconds`.
   */
  claimSend(key: string, holder: string, leaseMs: number, ttlSeconds: number): Promise<SendClaim>;
  /** Marks the send as handed to the platform; false when `holder` no longer holds it. */
  markAttempt(key: string, holder: string): Promise<boolean>;
  /** Records what the platform returned: later claims answer `sent`. */
  recordSent(key: string, ref: MessageRef, ttlSeconds: number): Promise<void>;
  /**
   * Drops `holder`'s lease after a send the platform certainly refused (the next claim is
   * `fresh` again), keeping a reserved rate-limit slot `readyAt` (ms) if given.
   */
  releaseSend(key: string, holder: string, readyAt?: number): Promise<void>;
  /**
   * Takes a token from each bucket even when it is empty, reserving its next free slot at
   * or after `notBefore` (ms) and after the slot taken in the bucket before it: returns
   * how long to wait before using them all (0: now). Callers queue in order, without a
   * herd of retries. One call's buckets share a scope (Redis: the first one's hash slot).
   */
  reserveTokens(buckets: readonly Bucket[], notBefore?: number): Promise<number>;
  /** Adds `by` to a per-tenant counter (late posts, skipped posts, unconfirmed sends). */
  countEvent(tenant: string, event: string, by?: number): Promise<number>;
  eventCounts(tenant: string): Promise<Record<string, number>>;
}
