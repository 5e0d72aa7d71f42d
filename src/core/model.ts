/** The platforms the core can be reached from. */
export type Platform = 'slack' | 'teams' | 'local';

/**
 * Who did something. `tenant` is the workspace (Slack team id, Teams tenant id) prefixed
 * by the platform ("slack:T024BE7LD"); `userId` the platform's stable user id (Slack
 * user id, Teams aadObjectId).
 */
export interface Actor {
  readonly platform: Platform;
  readonly tenant: string;
  readonly userId: string;
  readonly name: string;
  /** The platform's time zone for the user (IANA), when known. */
  readonly tz?: string;
  /** Slack workspace admin or owner; Teams: not used. */
  readonly isAdmin: boolean;
  /**
   * Other ids the platform knows the user by, which its adapter keeps in the store (Teams:
   * the channel account id `29:…` beside the Entra id). `forget me` deletes them too. The
   * first one is the member's address in a post's list of answerers (else the user id).
   */
  readonly aliases?: readonly string[];
}

/** A conversation: a direct chat with the bot, a channel, or a group chat. */
export interface Where {
  readonly platform: Platform;
  readonly tenant: string;
  readonly id: string;
  readonly kind: 'dm' | 'channel' | 'group';
  /** A human name for the conversation ("#devops"), when the platform gave one. */
  readonly name?: string;
}

/** What an answer refers to: a practice session, a mock exam, or a shared channel post. */
export interface AnswerTarget {
  readonly kind: 'session' | 'exam' | 'post';
  readonly id: string;
}

/** Moves inside a mock exam (and `skip` elsewhere). */
export type NavAction = 'skip' | 'back' | 'flag' | 'review' | 'next-section' | 'submit';

/** What a user did, in platform-neutral terms. */
export type Intent =
  | { readonly kind: 'command'; readonly text: string }
  | {
      readonly kind: 'answer';
      readonly target: AnswerTarget;
      readonly questionId: string;
      readonly choice: readonly string[];
    }
  | { readonly kind: 'next'; readonly target: AnswerTarget }
  | { readonly kind: 'navigate'; readonly target: AnswerTarget; readonly action: NavAction }
  | { readonly kind: 'stop'; readonly target: AnswerTarget }
  | {
      readonly kind: 'report';
      readonly questionId: string;
      readonly reason: ReportReason;
      readonly note?: string;
    }
  | { readonly kind: 'confirm'; readonly action: 'forget-me'; readonly yes: boolean };

/** Why a member reported a question. */
export type ReportReason = 'wrong-key' | 'unclear' | 'outdated';
