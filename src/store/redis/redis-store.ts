import Redis, { type Cluster } from 'ioredis';
import {
  type AnswerReads,
  type AnswerRecord,
  type AnySession,
  type BoardRef,
  type BoardRows,
  type Bucket,
  type ChannelPost,
  type Clock,
  type DailySchedule,
  emptyStreak,
  type Group,
  type MessageRef,
  type PostAnswers,
  type PostResult,
  type QuestionReport,
  type RecordResult,
  type Reminder,
  type SendClaim,
  type Store,
  systemClock,
  type Tally,
  type UserProfile,
  type UserStats,
} from '../../core';
import { exportUserData } from '../export-user';
import {
  ADD_ORGANIZER,
  ANSWER_READS,
  CLAIM_SEND,
  CREATE_GROUP,
  FIRST_VALUE,
  JOIN_GROUP,
  LEADERBOARD,
  LEAVE_GROUP,
  LIST_ADD,
  MARK_ATTEMPT,
  MARK_REVEALED,
  RECORD_ANSWER,
  RECORD_SENT,
  RELEASE_SEND,
  RESERVE_TOKENS,
  SAVE_POST,
  TAKE_TOKEN,
} from './scripts';

/** A single Redis or a Redis Cluster: every key of one call shares one hash tag. */
export type RedisClient = Redis | Cluster;

export interface RedisStoreOptions {
  /** Time source for what the store computes itself (token buckets). Default: the system clock. */
  readonly clock?: Clock;
  /** First segment of every key. Default `sc`. */
  readonly prefix?: string;
}

type Arg = string | number;

/** The scripts, as ioredis custom commands (EVALSHA, falling back to EVAL on NOSCRIPT). */
interface Scripts {
  scAnswerReads(numKeys: number, ...args: Arg[]): Promise<unknown[]>;
  scRecordAnswer(numKeys: number, ...args: Arg[]): Promise<unknown[]>;
  scLeaderboard(numKeys: number, ...args: Arg[]): Promise<unknown[]>;
  scCreateGroup(numKeys: number, ...args: Arg[]): Promise<number>;
  scJoinGroup(numKeys: number, ...args: Arg[]): Promise<number>;
  scLeaveGroup(numKeys: number, ...args: Arg[]): Promise<number>;
  scMarkRevealed(numKeys: number, ...args: Arg[]): Promise<number>;
  scAddOrganizer(numKeys: number, ...args: Arg[]): Promise<number>;
  scTakeToken(numKeys: number, ...args: Arg[]): Promise<[number, number]>;
  scListAdd(numKeys: number, ...args: Arg[]): Promise<number>;
  scSavePost(numKeys: number, ...args: Arg[]): Promise<number>;
}

const SCRIPTS: Record<keyof Scripts, string> = {
  scAnswerReads: ANSWER_READS,
  scRecordAnswer: RECORD_ANSWER,
  scLeaderboard: LEADERBOARD,
  scCreateGroup: CREATE_GROUP,
  scJoinGroup: JOIN_GROUP,
  scLeaveGroup: LEAVE_GROUP,
  scMarkRevealed: MARK_REVEALED,
  scAddOrganizer: ADD_ORGANIZER,
  scTakeToken: TAKE_TOKEN,
  scListAdd: LIST_ADD,
  scSavePost: SAVE_POST,
};

const defaultProfile: UserProfile = { streakMode: 'daily', hidden: false };

/** Milliseconds for a `PX` argument; undefined when the entry should not be kept at all. */
function ttlMs(ttlSeconds: number): number | undefined {
  const ms = Math.round(ttlSeconds * 1000);
  return ms > 0 ? ms : undefined;
}

/** A post as `getPost` reads it: its JSON and revealed flag (`HMGET json revealed`). */
function parsePost(json: string | null, revealed: string | null): ChannelPost | undefined {
  if (!json) return undefined;
  return { ...(JSON.parse(json) as ChannelPost), revealed: revealed === '1' };
}

/** A hash as `HGETALL` returns it inside a script's reply: fields and values in turn. */
function hashOf(flat: readonly string[]): Record<string, string> {
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i] as string] = flat[i + 1] as string;
  return h;
}

/** The replies of a MULTI, failing on the first error. */
function replies(res: Array<[Error | null, unknown]> | null): unknown[] {
  if (!res) throw new Error('redis transaction aborted');
  return res.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

/**
 * A post result as RECORD_ANSWER keeps it (option ids never hold ',' or '|': the pack
 * schema allows lowercase letters, digits and '-'); a bare `1|0`, kept before results
 * were, is none.
 */
function parsePostResult(raw: string | null): PostResult | undefined {
  const parts = raw?.split('|');
  if (parts?.length !== 7) return undefined;
  const [c, points, total, streak, first, late, choice] = parts;
  return {
    choice: choice ? choice.split(',') : [],
    correct: c === '1',
    points: Number(points),
    totalPoints: Number(total),
    streak: Number(streak),
    firstAttempt: first === '1',
    late: late === '1',
  };
}

/**
 * The `Store` on Redis, the system of record (ARCHITECTURE.md, "State").
 *
 * Key layout (prefix `sc`, tenant `t` inside a hash tag, so one tenant's keys share one
 * Cluster slot and each multi-key update is one Lua script):
 *
 * - `sc:{t}:user:<u>:profile` hash (JSON-encoded fields), `:stats` hash (points, answered,
 *   correct, streak, best, freezes, lastDay, `d:<domain>:c|t`, `s:<skill>:c|t`),
 *   `:attempts` set, `:seen` set, `:groups` set, `:active` string, `:pcache` string (JSON, TTL)
 * - `sc:{t}:names` hash, `sc:{t}:hidden` set, `sc:{t}:workspace` hash (tz)
 * - `sc:{t}:board:<ws|g:<group>>:<all|streak|week:<week>>` sorted sets (weekly ones expire)
 * - `sc:{t}:groups` set of ids, `sc:{t}:group:<g>` hash (id, name, kind), `sc:{t}:group:<g>:members` set
 * - `sc:{t}:session:<id>` string (JSON, TTL)
 * - `sc:{t}:post:<p>` hash (json, revealed), `:answers` hash (user → their result; `1|0`
 *   before results were kept), `:correct` counter, `:first` list (first 5 correct answerers),
 *   `:answerers` list (their addresses, first answer first)
 * - `sc:{t}:channel:<c>:organizers` list, `sc:{t}:ref:<key>` string (JSON)
 * - `sc:{t}:list:<key>` list (`listAdd`), with `:members` set (who is in it, for adding once)
 * - not bound to a tenant, one key each: `sc:claim:{<key>}`, `sc:bucket:{<key>}`
 */
export class RedisStore implements Store {
  private readonly clock: Clock;
  private readonly prefix: string;
  private readonly scripts: Scripts;

  constructor(
    private readonly redis: RedisClient,
    options: RedisStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.prefix = options.prefix ?? 'sc';
    // Every script is defined here, before any command: an auto-pipeline made before a
    // later defineCommand lacks that command, and ioredis then fails the whole process
    // ("results[i] is not iterable", ioredis#1931).
    for (const [name, lua] of Object.entries({ ...SCRIPTS, ...SCHEDULE_SCRIPTS }))
      redis.defineCommand(name, { lua });
    this.scripts = redis as unknown as Scripts;
  }

  /**
   * Connects to `url` and returns the store; fails (naming host and cause, never the
   * password) when Redis cannot be reached. Later connection errors reject the commands
   * that meet them while ioredis reconnects; listen to `client.on('error')` to log them.
   *
   * Commands issued in the same tick (by concurrent requests, or one request's parallel
   * reads) go out in one write (auto-pipelining): each socket write is a system call,
   * and under load they were the largest single cost of an answer click (docs/benchmarks.md).
   *
   * While Redis is unreachable, ioredis reconnects every 250 ms at most, and a command
   * waits for the next attempt only (`maxRetriesPerRequest: 0`) before it fails: a blip
   * goes unnoticed, an outage gets users the core's "try again" at once, well inside
   * Slack's 3-second deadline (with ioredis's defaults a command waited up to 8 s, and a
   * request made several). Verified in test/production/faults.test.ts.
   */
  static async connect(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const redis = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 50, 250),
      enableAutoPipelining: true,
      // An auto-pipeline waits for the next turn of the event loop (setImmediate) to gather
      // commands: right for the many small commands of answer clicks, a wait for a lone
      // read that someone is looking at. The leaderboard script goes out at once.
      autoPipeliningIgnoredCommands: ['scLeaderboard'],
    });
    let lastError: Error | undefined;
    redis.on('error', (err: Error) => {
      lastError = err;
    });
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      let where = 'the configured URL';
      try {
        where = new URL(url).host;
      } catch {}
      throw new Error(`cannot connect to Redis at ${where}: ${(lastError ?? (err as Error)).message}`);
    }
    return new RedisStore(redis, options);
  }

  /** The client, for health checks and tests. */
  get client(): RedisClient {
    return this.redis;
  }

  // Keys

  // Keys are built by concatenation: an answer click builds about 30 of them, and an
  // array joined per key showed in its profile.
  private k(tenant: string, ...parts: string[]): string {
    let key = `${this.prefix}:{${tenant}}`;
    for (const part of parts) key += `:${part}`;
    return key;
  }

  private userKey(tenant: string, userId: string, what: string): string {
    return `${this.prefix}:{${tenant}}:user:${userId}:${what}`;
  }

  private boardKey(tenant: string, scope: string, period: string): string {
    return `${this.prefix}:{${tenant}}:board:${scope}:${period}`;
  }

  private groupKey(tenant: string, groupId: string): string {
    return this.k(tenant, 'group', groupId);
  }

  private membersKey(tenant: string, groupId: string): string {
    return this.k(tenant, 'group', groupId, 'members');
  }

  private postKey(tenant: string, postId: string, what?: string): string {
    return what ? this.k(tenant, 'post', postId, what) : this.k(tenant, 'post', postId);
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  // Users

  async answerReads(
    tenant: string,
    userId: string,
    questionId: string,
    postId?: string,
  ): Promise<AnswerReads> {
    const keys = [
      this.userKey(tenant, userId, 'profile'),
      this.k(tenant, 'workspace'),
      this.userKey(tenant, userId, 'groups'),
      this.userKey(tenant, userId, 'cards'),
      ...(postId === undefined ? [] : [this.postKey(tenant, postId)]),
    ];
    const [profile, tz, groups, card, json, revealed] = (await this.scripts.scAnswerReads(
      keys.length,
      ...keys,
      questionId,
    )) as [string[], string | null, string[], string | null, string | null, string | null];
    return {
      profile: this.parseProfile(hashOf(profile)),
      workspaceTz: tz ?? undefined,
      groupIds: groups.sort(),
      packed: card ?? undefined,
      post: parsePost(json, revealed),
    };
  }

  async getProfile(tenant: string, userId: string): Promise<UserProfile> {
    return this.parseProfile(await this.redis.hgetall(this.userKey(tenant, userId, 'profile')));
  }

  async updateProfile(tenant: string, userId: string, patch: Partial<UserProfile>): Promise<UserProfile> {
    const key = this.userKey(tenant, userId, 'profile');
    const set: string[] = [];
    const del: string[] = [];
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) del.push(field);
      else set.push(field, JSON.stringify(value));
    }
    const tx = this.redis.multi();
    if (set.length) tx.hset(key, ...set);
    if (del.length) tx.hdel(key, ...del);
    tx.hgetall(key);
    const res = replies(await tx.exec());
    return this.parseProfile(res[res.length - 1] as Record<string, string>);
  }

  private parseProfile(h: Record<string, string>): UserProfile {
    const p: Record<string, unknown> = { ...defaultProfile };
    for (const [field, raw] of Object.entries(h)) p[field] = JSON.parse(raw);
    return p as unknown as UserProfile;
  }

  async getStats(tenant: string, userId: string): Promise<UserStats> {
    const h = await this.redis.hgetall(this.userKey(tenant, userId, 'stats'));
    const num = (field: string, dflt = 0) => (h[field] === undefined ? dflt : Number(h[field]));
    const domains: Record<string, Tally> = {};
    const skills: Record<string, Tally> = {};
    for (const [field, raw] of Object.entries(h)) {
      const m = /^([ds]):(.*):([ct])$/s.exec(field);
      if (!m) continue;
      const [, kind, name = '', which] = m;
      const into = kind === 'd' ? domains : skills;
      const t = into[name] ?? { correct: 0, total: 0 };
      into[name] = which === 'c' ? { ...t, correct: Number(raw) } : { ...t, total: Number(raw) };
    }
    return {
      points: num('points'),
      answered: num('answered'),
      correct: num('correct'),
      streak: {
        streak: num('streak', emptyStreak.streak),
        best: num('best', emptyStreak.best),
        freezes: num('freezes', emptyStreak.freezes),
        lastDay: num('lastDay', emptyStreak.lastDay),
      },
      domains,
      skills,
    };
  }

  async seenQuestions(tenant: string, userId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.userKey(tenant, userId, 'seen')));
  }

  // Reports, team view, privacy

  async addReport(tenant: string, report: QuestionReport): Promise<void> {
    await this.redis.hset(
      this.k(tenant, 'reports'),
      `${report.questionId}|${report.userId}`,
      JSON.stringify(report),
    );
  }

  async reports(tenant: string): Promise<QuestionReport[]> {
    const all = Object.values(await this.redis.hgetall(this.k(tenant, 'reports'))).map(
      (v) => JSON.parse(v) as QuestionReport,
    );
    return all.sort((a, b) => b.at - a.at);
  }

  async groupMembers(tenant: string, groupId: string): Promise<string[]> {
    return (await this.redis.smembers(this.membersKey(tenant, groupId))).sort();
  }

  async exportUser(tenant: string, userId: string): Promise<Record<string, unknown>> {
    return exportUserData(this, tenant, userId);
  }

  /**
   * Deletes every trace of the user in the tenant: keys naming them, and in every other
   * key of the tenant the hash fields, set, sorted-set and list members, and string values
   * that mention them. It walks the tenant's keys with SCAN (all share one hash tag, so on
   * a cluster they live on one node; every master is scanned).
   */
  async forgetUser(tenant: string, userId: string): Promise<void> {
    // A cluster client lists its nodes only once connected: the PING waits for that.
    if ('nodes' in this.redis) await this.redis.ping();
    const nodes: Redis[] =
      'nodes' in this.redis ? (this.redis as Cluster).nodes('master') : [this.redis as Redis];
    // Glob-escape the tenant prefix; the trailing * matches every key of the tenant.
    const match = `${this.k(tenant).replace(/[[\]?*\\]/g, (c) => `\\${c}`)}:*`;
    const mentions = (v: string) => v === userId || v.includes(userId);
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 500);
        cursor = next;
        for (const key of keys) {
          // The id as whole key segments (a Teams account id holds ':' itself).
          if (`${key}:`.includes(`:${userId}:`)) {
            await this.redis.del(key);
            continue;
          }
          switch (await this.redis.type(key)) {
            case 'hash': {
              const h = await this.redis.hgetall(key);
              const fields = Object.entries(h)
                .filter(([f, v]) => mentions(f) || mentions(v))
                .map(([f]) => f);
              if (fields.length) await this.redis.hdel(key, ...fields);
              break;
            }
            case 'set':
              await this.redis.srem(key, userId);
              break;
            case 'zset':
              await this.redis.zrem(key, userId);
              break;
            case 'list':
              await this.redis.lrem(key, 0, userId);
              break;
            case 'string': {
              const v = await this.redis.get(key);
              if (v && mentions(v)) await this.redis.del(key);
              break;
            }
          }
        }
      } while (cursor !== '0');
    }
    // Outside the tenant's slot: the schedules index entry, and the single-key records
    // (reminder sends, rate-limit buckets, claims) whose key names the user.
    await this.redis.srem(`${this.prefix}:schedules`, JSON.stringify([tenant, 'remind', userId]));
    const sends = `${this.prefix}:*{*${`${tenant}:${userId}`.replace(/[[\]?*\\]/g, (c) => `\\${c}`)}*}`;
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', sends, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) await this.redis.del(key);
      } while (cursor !== '0');
    }
  }

  // Review cards

  async getCard(tenant: string, userId: string, questionId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.userKey(tenant, userId, 'cards'), questionId)) ?? undefined;
  }

  async cards(tenant: string, userId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.userKey(tenant, userId, 'cards'));
  }

  async dueCards(tenant: string, userId: string, now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.userKey(tenant, userId, 'due'), '-inf', now, 'LIMIT', 0, limit);
  }

  async dueCount(tenant: string, userId: string, now: number): Promise<number> {
    return this.redis.zcount(this.userKey(tenant, userId, 'due'), '-inf', now);
  }

  async questionStats(tenant: string, questionIds: readonly string[]): Promise<Record<string, Tally>> {
    if (questionIds.length === 0) return {};
    const fields = questionIds.flatMap((q) => [`${q}:c`, `${q}:t`]);
    const values = await this.redis.hmget(this.k(tenant, 'qstats'), ...fields);
    const out: Record<string, Tally> = {};
    questionIds.forEach((q, i) => {
      const total = Number(values[i * 2 + 1] ?? 0);
      if (total > 0) out[q] = { correct: Number(values[i * 2] ?? 0), total };
    });
    return out;
  }

  // Answers and sessions

  async recordAnswer(r: AnswerRecord): Promise<RecordResult> {
    const t = r.tenant;
    const keys = [
      this.userKey(t, r.userId, 'attempts'),
      this.userKey(t, r.userId, 'seen'),
      this.userKey(t, r.userId, 'stats'),
      this.k(t, 'names'),
      this.userKey(t, r.userId, 'groups'),
    ];
    const groups = [...r.groups];
    if (r.post) {
      const g = r.post.group.id;
      keys.push(
        this.groupKey(t, g),
        this.membersKey(t, g),
        this.k(t, 'groups'),
        this.postKey(t, r.post.id, 'answers'),
        this.postKey(t, r.post.id, 'correct'),
        this.postKey(t, r.post.id, 'first'),
      );
      if (!groups.includes(g)) groups.push(g);
    }
    const scopes = ['ws', ...groups.map((g) => `g:${g}`)];
    for (const scope of scopes) {
      keys.push(
        this.boardKey(t, scope, 'all'),
        this.boardKey(t, scope, `week:${r.week}`),
        this.boardKey(t, scope, 'streak'),
      );
    }
    keys.push(
      this.userKey(t, r.userId, 'cards'),
      this.userKey(t, r.userId, 'due'),
      this.k(t, 'qstats'),
      this.userKey(t, r.userId, 'posts'),
    );
    if (r.post) keys.push(this.postKey(t, r.post.id, 'answerers'));
    const args: Arg[] = [
      r.attempt,
      r.questionId,
      r.correct ? 1 : 0,
      r.award,
      r.day,
      r.streakMode,
      Math.round(r.weekExpiresAt),
      r.userId,
      r.name,
      r.domain,
      r.skill,
      r.post ? 1 : 0,
      r.post?.group.id ?? '',
      r.post?.group.name ?? '',
      r.post?.group.kind ?? '',
      scopes.length,
      r.card?.packed ?? '',
      r.card ? Math.round(r.card.due) : 0,
      r.post?.id ?? '',
      r.post ? `${r.post.late ? 1 : 0}|${r.post.choice.join(',')}` : '',
      r.post?.address ?? '',
    ];
    const res = await this.scripts.scRecordAnswer(keys.length, ...keys, ...args);
    if (Number(res[0]) === 0) return { status: 'already-answered' };
    const [, first, points, total, week, streak, best, freezes, lastDay, used, tally] = res.map(Number);
    return {
      status: 'recorded',
      firstAttempt: first === 1,
      points: points ?? 0,
      totalPoints: total ?? 0,
      weekPoints: week ?? 0,
      streak: { streak: streak ?? 0, best: best ?? 0, freezes: freezes ?? 0, lastDay: lastDay ?? -1 },
      usedFreezes: used ?? 0,
      ...(tally !== undefined && tally >= 0 ? { tally } : {}),
    };
  }

  async saveSession(session: AnySession, ttlSeconds: number): Promise<void> {
    const key = this.k(session.tenant, 'session', session.id);
    const ms = ttlMs(ttlSeconds);
    if (ms === undefined) await this.redis.del(key);
    else await this.redis.set(key, JSON.stringify(session), 'PX', ms);
  }

  async getSession(tenant: string, id: string): Promise<AnySession | undefined> {
    const raw = await this.redis.get(this.k(tenant, 'session', id));
    return raw === null ? undefined : (JSON.parse(raw) as AnySession);
  }

  async getActiveSession(
    tenant: string,
    userId: string,
    kind: AnySession['kind'] = 'quiz',
  ): Promise<string | undefined> {
    return (await this.redis.get(this.userKey(tenant, userId, `active-${kind}`))) ?? undefined;
  }

  async setActiveSession(
    tenant: string,
    userId: string,
    id: string | undefined,
    kind: AnySession['kind'] = 'quiz',
  ): Promise<void> {
    const key = this.userKey(tenant, userId, `active-${kind}`);
    if (id) await this.redis.set(key, id);
    else await this.redis.del(key);
  }

  // Boards

  async leaderboard(tenant: string, ref: BoardRef, userId: string, limit: number): Promise<BoardRows> {
    const scope = ref.groupId ? `g:${ref.groupId}` : 'ws';
    const period = ref.period === 'week' ? `week:${ref.week}` : ref.period;
    const keys = [this.boardKey(tenant, scope, period), this.k(tenant, 'hidden'), this.k(tenant, 'names')];
    const res = await this.scripts.scLeaderboard(
      keys.length,
      ...keys,
      userId,
      Math.max(0, Math.floor(limit)),
    );
    const rank = Number(res[0]);
    const rows: Array<{ userId: string; name: string; score: number }> = [];
    for (let i = 2; i + 2 < res.length; i += 3) {
      rows.push({ userId: String(res[i]), score: Number(res[i + 1]), name: String(res[i + 2]) });
    }
    return { rows, myRank: rank > 0 ? rank : null, myScore: Number(res[1]) };
  }

  async setHidden(tenant: string, userId: string, hidden: boolean): Promise<void> {
    const key = this.k(tenant, 'hidden');
    if (hidden) await this.redis.sadd(key, userId);
    else await this.redis.srem(key, userId);
  }

  // Groups

  async createGroup(tenant: string, group: Omit<Group, 'members'>): Promise<'created' | 'exists'> {
    const keys = [this.groupKey(tenant, group.id), this.k(tenant, 'groups')];
    const created = await this.scripts.scCreateGroup(keys.length, ...keys, group.id, group.name, group.kind);
    return created === 1 ? 'created' : 'exists';
  }

  async getGroup(tenant: string, groupId: string): Promise<Group | undefined> {
    return (await this.readGroups(tenant, [groupId]))[0];
  }

  async joinGroup(tenant: string, groupId: string, userId: string): Promise<boolean> {
    const keys = [
      this.groupKey(tenant, groupId),
      this.membersKey(tenant, groupId),
      this.userKey(tenant, userId, 'groups'),
    ];
    return (await this.scripts.scJoinGroup(keys.length, ...keys, groupId, userId)) === 1;
  }

  async leaveGroup(tenant: string, groupId: string, userId: string): Promise<boolean> {
    const keys = [
      this.groupKey(tenant, groupId),
      this.membersKey(tenant, groupId),
      this.userKey(tenant, userId, 'groups'),
    ];
    return (await this.scripts.scLeaveGroup(keys.length, ...keys, groupId, userId)) === 1;
  }

  async userGroupIds(tenant: string, userId: string): Promise<string[]> {
    return (await this.redis.smembers(this.userKey(tenant, userId, 'groups'))).sort();
  }

  async userGroups(tenant: string, userId: string): Promise<Group[]> {
    return this.readGroups(tenant, await this.userGroupIds(tenant, userId));
  }

  async listGroups(tenant: string): Promise<Group[]> {
    const ids = await this.redis.smembers(this.k(tenant, 'groups'));
    return (await this.readGroups(tenant, ids)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The groups of `ids` that exist, in the order given (one MULTI: one consistent read). */
  private async readGroups(tenant: string, ids: readonly string[]): Promise<Group[]> {
    if (ids.length === 0) return [];
    const tx = this.redis.multi();
    for (const id of ids) tx.hgetall(this.groupKey(tenant, id)).scard(this.membersKey(tenant, id));
    const res = replies(await tx.exec());
    return ids.flatMap((id, i) => {
      const h = res[i * 2] as Record<string, string>;
      if (h.id === undefined) return [];
      const kind = h.kind === 'channel' ? 'channel' : 'named';
      return [{ id: h.id ?? id, name: h.name ?? id, kind, members: Number(res[i * 2 + 1]) }];
    });
  }

  // Channel posts

  async savePost(post: ChannelPost): Promise<void> {
    await this.scripts.scSavePost(
      1,
      this.postKey(post.tenant, post.id),
      JSON.stringify(post),
      post.revealed ? '1' : '0',
    );
  }

  async getPost(tenant: string, id: string): Promise<ChannelPost | undefined> {
    const [json, revealed] = await this.redis.hmget(this.postKey(tenant, id), 'json', 'revealed');
    return parsePost(json, revealed);
  }

  async markRevealed(tenant: string, id: string): Promise<boolean> {
    return (await this.scripts.scMarkRevealed(1, this.postKey(tenant, id))) === 1;
  }

  async postAnswers(tenant: string, id: string): Promise<PostAnswers> {
    const res = replies(
      await this.redis
        .multi()
        .hlen(this.postKey(tenant, id, 'answers'))
        .get(this.postKey(tenant, id, 'correct'))
        .lrange(this.postKey(tenant, id, 'first'), 0, -1)
        .exec(),
    );
    return { answered: Number(res[0]), correct: Number(res[1] ?? 0), firstCorrect: res[2] as string[] };
  }

  async postResult(tenant: string, postId: string, userId: string): Promise<PostResult | undefined> {
    return parsePostResult(await this.redis.hget(this.postKey(tenant, postId, 'answers'), userId));
  }

  async postAnswerers(tenant: string, postId: string, limit: number): Promise<string[]> {
    return limit > 0 ? this.redis.lrange(this.postKey(tenant, postId, 'answerers'), 0, limit - 1) : [];
  }

  // Workspace and channels

  async getWorkspaceTz(tenant: string): Promise<string | undefined> {
    return (await this.redis.hget(this.k(tenant, 'workspace'), 'tz')) ?? undefined;
  }

  async setWorkspaceTz(tenant: string, tz: string): Promise<void> {
    await this.redis.hset(this.k(tenant, 'workspace'), 'tz', tz);
  }

  async organizers(tenant: string, channelId: string): Promise<string[]> {
    return this.redis.lrange(this.k(tenant, 'channel', channelId, 'organizers'), 0, -1);
  }

  async addOrganizer(tenant: string, channelId: string, userId: string): Promise<void> {
    await this.scripts.scAddOrganizer(1, this.k(tenant, 'channel', channelId, 'organizers'), userId);
  }

  async names(tenant: string, userIds: readonly string[]): Promise<Record<string, string>> {
    if (userIds.length === 0) return {};
    const values = await this.redis.hmget(this.k(tenant, 'names'), ...userIds);
    const out: Record<string, string> = {};
    userIds.forEach((u, i) => {
      const v = values[i];
      if (v !== null && v !== undefined) out[u] = v;
    });
    return out;
  }

  // Shared primitives

  async claimOnce(key: string, ttlSeconds: number): Promise<boolean> {
    const ms = ttlMs(ttlSeconds);
    if (ms === undefined) return true;
    return (await this.redis.set(`${this.prefix}:claim:{${key}}`, '1', 'PX', ms, 'NX')) === 'OK';
  }

  async listAdd(tenant: string, key: string, member: string, ttlSeconds?: number): Promise<number> {
    const ttl = ttlSeconds === undefined ? undefined : ttlMs(ttlSeconds);
    const list = this.k(tenant, 'list', key);
    return Number(await this.scripts.scListAdd(2, list, `${list}:members`, member, ...(ttl ? [ttl] : [])));
  }

  async listGet(tenant: string, key: string, limit?: number): Promise<string[]> {
    return this.redis.lrange(this.k(tenant, 'list', key), 0, limit === undefined ? -1 : limit - 1);
  }

  async saveConversationRef(tenant: string, key: string, ref: unknown): Promise<void> {
    const k = this.k(tenant, 'ref', key);
    if (ref === undefined) await this.redis.del(k);
    else await this.redis.set(k, JSON.stringify(ref));
  }

  async getConversationRef<T = unknown>(tenant: string, key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.k(tenant, 'ref', key));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async cacheProfile(
    tenant: string,
    userId: string,
    data: Record<string, string>,
    ttlSeconds: number,
  ): Promise<void> {
    const key = this.userKey(tenant, userId, 'pcache');
    const ms = ttlMs(ttlSeconds);
    if (ms === undefined) await this.redis.del(key);
    else await this.redis.set(key, JSON.stringify(data), 'PX', ms);
  }

  async getCachedProfile(tenant: string, userId: string): Promise<Record<string, string> | undefined> {
    const raw = await this.redis.get(this.userKey(tenant, userId, 'pcache'));
    return raw === null ? undefined : (JSON.parse(raw) as Record<string, string>);
  }

  async takeToken(bucket: Bucket): Promise<{ ok: boolean; retryAfterMs: number }> {
    const [ok, retryAfterMs] = await this.scripts.scTakeToken(
      1,
      `${this.prefix}:bucket:{${bucket.key}}`,
      bucket.capacity,
      bucket.perSecond,
      this.now(),
    );
    return { ok: Number(ok) === 1, retryAfterMs: Number(retryAfterMs) };
  }

  // Lifecycle

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  // Schedules (issue 6). Keys: `sc:{t}:sched:daily:<channel>` and `sc:{t}:sched:remind:<user>`
  // (JSON), `sc:schedules` (set of `[tenant, kind, id]`: the cross-tenant index read at
  // start-up), `sc:{t}:first:<key>`, `sc:{t}:counters` (hash); one key each, not bound to a
  // tenant: `sc:send:{<key>}` (hash) and the buckets of `takeToken`.

  private get sched(): ScheduleScripts {
    return this.redis as unknown as ScheduleScripts;
  }

  private async saveScheduleJson(tenant: string, kind: 'daily' | 'remind', id: string, value: unknown) {
    await this.redis.set(this.k(tenant, 'sched', kind, id), JSON.stringify(value));
    await this.redis.sadd(`${this.prefix}:schedules`, JSON.stringify([tenant, kind, id]));
  }

  private async scheduleJson<T>(
    tenant: string,
    kind: 'daily' | 'remind',
    id: string,
  ): Promise<T | undefined> {
    const raw = await this.redis.get(this.k(tenant, 'sched', kind, id));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async saveDailySchedule(schedule: DailySchedule): Promise<void> {
    await this.saveScheduleJson(schedule.tenant, 'daily', schedule.where.id, schedule);
  }

  getDailySchedule(tenant: string, channelId: string): Promise<DailySchedule | undefined> {
    return this.scheduleJson(tenant, 'daily', channelId);
  }

  async saveReminder(reminder: Reminder): Promise<void> {
    await this.saveScheduleJson(reminder.tenant, 'remind', reminder.userId, reminder);
  }

  getReminder(tenant: string, userId: string): Promise<Reminder | undefined> {
    return this.scheduleJson(tenant, 'remind', userId);
  }

  async allSchedules(): Promise<{ daily: DailySchedule[]; reminders: Reminder[] }> {
    const daily: DailySchedule[] = [];
    const reminders: Reminder[] = [];
    const index = await this.redis.smembers(`${this.prefix}:schedules`);
    // One GET each: the records live in their tenants' slots.
    await Promise.all(
      index.map(async (entry) => {
        const [tenant, kind, id] = JSON.parse(entry) as [string, 'daily' | 'remind', string];
        const value = await this.scheduleJson<DailySchedule & Reminder>(tenant, kind, id);
        if (!value) await this.redis.srem(`${this.prefix}:schedules`, entry);
        else if (kind === 'daily') daily.push(value);
        else reminders.push(value);
      }),
    );
    return { daily, reminders };
  }

  async firstValue(tenant: string, key: string, value: string, ttlSeconds: number): Promise<string> {
    return this.sched.scFirstValue(1, this.k(tenant, 'first', key), value, Math.max(1, ttlSeconds * 1000));
  }

  private sendKey(key: string): string {
    return `${this.prefix}:send:{${key}}`;
  }

  async claimSend(key: string, holder: string, leaseMs: number, ttlSeconds: number): Promise<SendClaim> {
    const [state, value] = await this.sched.scClaimSend(
      1,
      this.sendKey(key),
      holder,
      Math.round(leaseMs),
      Math.max(1, Math.round(ttlSeconds * 1000)),
      this.now(),
    );
    if (state === 'sent') return { state, ref: JSON.parse(value) as MessageRef };
    if (state === 'held') return { state, retryAfterMs: Number(value) };
    const s = state === 'unknown' ? 'unknown' : 'fresh';
    return value === '' ? { state: s } : { state: s, readyAt: Number(value) };
  }

  async markAttempt(key: string, holder: string): Promise<boolean> {
    return Number(await this.sched.scMarkAttempt(1, this.sendKey(key), holder)) === 1;
  }

  async recordSent(key: string, ref: MessageRef, ttlSeconds: number): Promise<void> {
    await this.sched.scRecordSent(
      1,
      this.sendKey(key),
      JSON.stringify(ref),
      Math.max(1, Math.round(ttlSeconds * 1000)),
    );
  }

  async releaseSend(key: string, holder: string, readyAt?: number): Promise<void> {
    await this.sched.scReleaseSend(1, this.sendKey(key), holder, readyAt === undefined ? '' : readyAt);
  }

  async reserveTokens(buckets: readonly Bucket[], notBefore = 0): Promise<number> {
    // One hash slot for the script: the first bucket's key is the tag of them all.
    const [first, ...rest] = buckets;
    if (!first) return 0;
    const tag = `${this.prefix}:bucket:{${first.key}}`;
    const wait = await this.sched.scReserveTokens(
      buckets.length,
      tag,
      ...rest.map((b) => `${tag}:${b.key}`),
      this.now(),
      notBefore,
      ...buckets.flatMap((b) => [b.capacity, b.perSecond]),
    );
    return Number(wait);
  }

  async countEvent(tenant: string, event: string, by = 1): Promise<number> {
    return this.redis.hincrby(this.k(tenant, 'counters'), event, by);
  }

  async eventCounts(tenant: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.k(tenant, 'counters'));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }
}

/** The schedule scripts, as ioredis custom commands. */
interface ScheduleScripts {
  scFirstValue(numKeys: number, ...args: Arg[]): Promise<string>;
  scClaimSend(numKeys: number, ...args: Arg[]): Promise<[string, string]>;
  scMarkAttempt(numKeys: number, ...args: Arg[]): Promise<number>;
  scReleaseSend(numKeys: number, ...args: Arg[]): Promise<number>;
  scReserveTokens(numKeys: number, ...args: Arg[]): Promise<number>;
  scRecordSent(numKeys: number, ...args: Arg[]): Promise<number>;
}

const SCHEDULE_SCRIPTS: Record<keyof ScheduleScripts, string> = {
  scFirstValue: FIRST_VALUE,
  scClaimSend: CLAIM_SEND,
  scMarkAttempt: MARK_ATTEMPT,
  scReleaseSend: RELEASE_SEND,
  scReserveTokens: RESERVE_TOKENS,
  scRecordSent: RECORD_SENT,
};
