import type { Bank } from './bank';
import type { CoreOptions } from './core-deps';
import type { Actor, Where } from './model';
import type { Clock, Logger, Messenger, Scheduler, Store, UserProfile } from './ports';
import type { Reply } from './reply';

/**
 * One update's context: who, where, the ports, and lazily loaded user facts. Feature
 * functions take a `Ctx` instead of long parameter lists.
 */
export class Ctx {
  private profileP?: Promise<UserProfile>;
  private workspaceTzP?: Promise<string>;

  constructor(
    readonly actor: Actor,
    readonly where: Where,
    readonly bank: Bank,
    readonly store: Store,
    readonly clock: Clock,
    readonly logger: Logger,
    readonly options: CoreOptions,
    readonly messenger?: Messenger,
    readonly scheduler?: Scheduler,
  ) {}

  get tenant(): string {
    return this.actor.tenant;
  }

  get userId(): string {
    return this.actor.userId;
  }

  now(): Date {
    return this.clock.now();
  }

  /** The user's settings (loaded once per update). */
  profile(): Promise<UserProfile> {
    this.profileP ??= this.store.getProfile(this.tenant, this.userId);
    return this.profileP;
  }

  /**
   * Takes the profile and the workspace's time zone read together with other things (one
   * round trip), unless they are loaded already.
   */
  seed(profile: UserProfile, workspaceTz: string | undefined): void {
    this.profileP ??= Promise.resolve(profile);
    this.workspaceTzP ??= Promise.resolve(workspaceTz ?? 'UTC');
  }

  /** Forget the cached profile after a change. */
  profileChanged(): void {
    this.profileP = undefined;
  }

  /** The workspace's time zone: set explicitly, else UTC. */
  workspaceTz(): Promise<string> {
    this.workspaceTzP ??= this.store.getWorkspaceTz(this.tenant).then((tz) => tz ?? 'UTC');
    return this.workspaceTzP;
  }

  /** The user's time zone: their own setting, else the platform's, else the workspace's. */
  async userTz(): Promise<string> {
    const p = await this.profile();
    return p.tz ?? this.actor.tz ?? (await this.workspaceTz());
  }

  /** True in a channel or group chat, where personal figures must stay private. */
  get inChannel(): boolean {
    return this.where.kind !== 'dm';
  }
}

/** A text reply. */
export const text = (t: string, audience?: Reply['audience']): Reply =>
  audience ? { kind: 'text', text: t, audience } : { kind: 'text', text: t };

/**
 * A notice that holds nothing personal ("try again", "I've sent you a direct message"):
 * private outside a DM like any answer to the caller, but `shareable`, so a platform
 * without private messages in a channel says it in the conversation instead of the
 * caller's DM.
 */
export const notice = (t: string, where: Where): Reply =>
  where.kind === 'dm' ? text(t) : { ...text(t, 'private'), shareable: true };
