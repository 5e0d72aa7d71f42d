import {
  type AnswerReads,
  type AnswerRecord,
  type AnySession,
  applyAnswerDay,
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
  type StreakState,
  systemClock,
  type Tally,
  type UserProfile,
  type UserStats,
} from '../../core';
import { exportUserData } from '../export-user';

interface UserData {
  profile: UserProfile;
  points: number;
  answered: number;
  correct: number;
  streak: StreakState;
  domains: Map<string, Tally>;
  skills: Map<string, Tally>;
  seen: Set<string>;
  attempts: Set<string>;
  groups: Set<string>;
  cards: Map<string, { packed: string; due: number }>;
  posts: Set<string>;
}

interface TenantData {
  users: Map<string, UserData>;
  names: Map<string, string>;
  boards: Map<string, Map<string, number>>;
  weekExpiry: Map<string, number>;
  hidden: Set<string>;
  groups: Map<string, { group: Omit<Group, 'members'>; members: Set<string> }>;
  sessions: Map<string, { session: AnySession; expires: number }>;
  active: Map<string, string>;
  posts: Map<string, ChannelPost>;
  postAnswers: Map<string, { users: Map<string, PostResult>; firstCorrect: string[]; addresses: string[] }>;
  organizers: Map<string, string[]>;
  qstats: Map<string, Tally>;
  reports: Map<string, QuestionReport>;
  tz?: string;
  refs: Map<string, unknown>;
  lists: Map<string, string[]>;
  /** When a list given a TTL expires (ms). */
  listExpiry: Map<string, number>;
  profileCache: Map<string, { data: Record<string, string>; expires: number }>;
}

const defaultProfile: UserProfile = { streakMode: 'daily', hidden: false };

/**
 * The `Store` for one process, with nothing installed: `npm start` and `npm run chat`
 * use it when `REDIS_URL` is unset. It passes the same contract suite as `RedisStore`.
 * Every method completes synchronously inside its promise, so each is atomic.
 */
export class MemoryStore implements Store {
  private readonly tenants = new Map<string, TenantData>();
  private readonly claims = new Map<string, number>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: Clock = systemClock) {}

  private t(tenant: string): TenantData {
    let d = this.tenants.get(tenant);
    if (!d) {
      d = {
        users: new Map(),
        names: new Map(),
        boards: new Map(),
        weekExpiry: new Map(),
        hidden: new Set(),
        groups: new Map(),
        sessions: new Map(),
        active: new Map(),
        posts: new Map(),
        postAnswers: new Map(),
        organizers: new Map(),
        qstats: new Map(),
        reports: new Map(),
        refs: new Map(),
        lists: new Map(),
        listExpiry: new Map(),
        profileCache: new Map(),
      };
      this.tenants.set(tenant, d);
    }
    return d;
  }

  private u(tenant: string, userId: string): UserData {
    const t = this.t(tenant);
    let u = t.users.get(userId);
    if (!u) {
      u = {
        profile: { ...defaultProfile },
        points: 0,
        answered: 0,
        correct: 0,
        streak: { ...emptyStreak },
        domains: new Map(),
        skills: new Map(),
        seen: new Set(),
        attempts: new Set(),
        groups: new Set(),
        cards: new Map(),
        posts: new Set(),
      };
      t.users.set(userId, u);
    }
    return u;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  /** `values`' entry for `key`, unless its time in `expiry` has come (then both entries are dropped). */
  private live<V>(values: Map<string, V>, expiry: Map<string, number>, key: string): V | undefined {
    const at = expiry.get(key);
    if (at !== undefined && at <= this.now()) {
      values.delete(key);
      expiry.delete(key);
    }
    return values.get(key);
  }

  private board(tenant: string, name: string): Map<string, number> {
    const t = this.t(tenant);
    let b = this.live(t.boards, t.weekExpiry, name);
    if (!b) {
      b = new Map();
      t.boards.set(name, b);
    }
    return b;
  }

  async answerReads(
    tenant: string,
    userId: string,
    questionId: string,
    postId?: string,
  ): Promise<AnswerReads> {
    const [profile, workspaceTz, groupIds, packed, post] = await Promise.all([
      this.getProfile(tenant, userId),
      this.getWorkspaceTz(tenant),
      this.userGroupIds(tenant, userId),
      this.getCard(tenant, userId, questionId),
      postId === undefined ? undefined : this.getPost(tenant, postId),
    ]);
    return { profile, workspaceTz, groupIds, packed, post };
  }

  async getProfile(tenant: string, userId: string): Promise<UserProfile> {
    return { ...(this.t(tenant).users.get(userId)?.profile ?? defaultProfile) };
  }

  async updateProfile(tenant: string, userId: string, patch: Partial<UserProfile>): Promise<UserProfile> {
    const u = this.u(tenant, userId);
    u.profile = { ...u.profile, ...patch };
    return { ...u.profile };
  }

  async getStats(tenant: string, userId: string): Promise<UserStats> {
    const u = this.t(tenant).users.get(userId);
    if (!u)
      return { points: 0, answered: 0, correct: 0, streak: { ...emptyStreak }, domains: {}, skills: {} };
    return {
      points: u.points,
      answered: u.answered,
      correct: u.correct,
      streak: { ...u.streak },
      domains: Object.fromEntries(u.domains),
      skills: Object.fromEntries(u.skills),
    };
  }

  async seenQuestions(tenant: string, userId: string): Promise<Set<string>> {
    return new Set(this.t(tenant).users.get(userId)?.seen ?? []);
  }

  async addReport(tenant: string, report: QuestionReport): Promise<void> {
    this.t(tenant).reports.set(`${report.questionId}|${report.userId}`, { ...report });
  }

  async reports(tenant: string): Promise<QuestionReport[]> {
    return [...this.t(tenant).reports.values()].map((r) => ({ ...r })).sort((a, b) => b.at - a.at);
  }

  async groupMembers(tenant: string, groupId: string): Promise<string[]> {
    return [...(this.t(tenant).groups.get(groupId)?.members ?? [])].sort();
  }

  async exportUser(tenant: string, userId: string): Promise<Record<string, unknown>> {
    return exportUserData(this, tenant, userId);
  }

  async forgetUser(tenant: string, userId: string): Promise<void> {
    const t = this.t(tenant);
    t.users.delete(userId);
    t.names.delete(userId);
    t.hidden.delete(userId);
    for (const b of t.boards.values()) b.delete(userId);
    for (const g of t.groups.values()) g.members.delete(userId);
    for (const [id, s] of t.sessions) if (s.session.userId === userId) t.sessions.delete(id);
    t.active.delete(`quiz:${userId}`);
    t.active.delete(`exam:${userId}`);
    for (const pa of t.postAnswers.values()) {
      pa.users.delete(userId);
      pa.firstCorrect = pa.firstCorrect.filter((u) => u !== userId);
      pa.addresses = pa.addresses.filter((a) => a !== userId);
    }
    for (const [c, list] of t.organizers)
      t.organizers.set(
        c,
        list.filter((u) => u !== userId),
      );
    for (const [k, r] of t.reports) if (r.userId === userId) t.reports.delete(k);
    for (const k of t.refs.keys()) if (k.includes(userId)) t.refs.delete(k);
    for (const [k, list] of t.lists)
      t.lists.set(
        k,
        list.filter((m) => m !== userId),
      );
    t.profileCache.delete(userId);
    // Values kept with firstValue whose key names the user (a reminder's session question).
    const tenantKey = `${tenant}\n`;
    for (const k of this.schedules.values.keys())
      if (k.startsWith(tenantKey) && `:${k.slice(tenantKey.length)}:`.includes(`:${userId}:`))
        this.schedules.values.delete(k);
    this.schedules.reminders.delete(`${tenant}\n${userId}`);
    const named = (k: string) => k.includes(`${tenant}:${userId}`);
    for (const k of this.schedules.sends.keys()) if (named(k)) this.schedules.sends.delete(k);
    for (const k of this.buckets.keys()) if (named(k)) this.buckets.delete(k);
    for (const k of this.claims.keys()) if (named(k)) this.claims.delete(k);
  }

  async getCard(tenant: string, userId: string, questionId: string): Promise<string | undefined> {
    return this.t(tenant).users.get(userId)?.cards.get(questionId)?.packed;
  }

  async cards(tenant: string, userId: string): Promise<Record<string, string>> {
    const cards = this.t(tenant).users.get(userId)?.cards ?? new Map();
    return Object.fromEntries([...cards].map(([q, c]) => [q, c.packed]));
  }

  async dueCards(tenant: string, userId: string, now: number, limit: number): Promise<string[]> {
    const cards = [...(this.t(tenant).users.get(userId)?.cards ?? new Map())];
    return cards
      .filter(([, c]) => c.due <= now)
      .sort((a, b) => a[1].due - b[1].due || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([q]) => q);
  }

  async dueCount(tenant: string, userId: string, now: number): Promise<number> {
    return [...(this.t(tenant).users.get(userId)?.cards.values() ?? [])].filter((c) => c.due <= now).length;
  }

  async questionStats(tenant: string, questionIds: readonly string[]): Promise<Record<string, Tally>> {
    const q = this.t(tenant).qstats;
    return Object.fromEntries(
      questionIds.flatMap((id) => (q.has(id) ? [[id, { ...(q.get(id) as Tally) }]] : [])),
    );
  }

  async recordAnswer(r: AnswerRecord): Promise<RecordResult> {
    const t = this.t(r.tenant);
    const u = this.u(r.tenant, r.userId);
    if (u.attempts.has(r.attempt)) return { status: 'already-answered' };
    u.attempts.add(r.attempt);
    t.names.set(r.userId, r.name);
    const firstAttempt = !u.seen.has(r.questionId);
    u.seen.add(r.questionId);
    const points = firstAttempt && r.correct ? r.award : 0;
    u.points += points;
    u.answered += 1;
    if (r.correct) u.correct += 1;
    const bump = (m: Map<string, Tally>, k: string) => {
      const x = m.get(k) ?? { correct: 0, total: 0 };
      m.set(k, { correct: x.correct + (r.correct ? 1 : 0), total: x.total + 1 });
    };
    bump(u.domains, r.domain);
    bump(u.skills, r.skill);
    if (r.card) u.cards.set(r.questionId, { ...r.card });
    if (firstAttempt) bump(t.qstats, r.questionId);
    if (r.post) u.posts.add(r.post.id);
    const { usedFreezes, ...streak } = applyAnswerDay(u.streak, r.day, r.streakMode);
    u.streak = streak;

    let tally: number | undefined;
    const groups = [...r.groups];
    if (r.post) {
      const g = t.groups.get(r.post.group.id) ?? {
        group: { id: r.post.group.id, name: r.post.group.name, kind: r.post.group.kind },
        members: new Set<string>(),
      };
      t.groups.set(r.post.group.id, g);
      g.members.add(r.userId);
      u.groups.add(r.post.group.id);
      if (!groups.includes(r.post.group.id)) groups.push(r.post.group.id);
      const pa = t.postAnswers.get(r.post.id) ?? {
        users: new Map<string, PostResult>(),
        firstCorrect: [],
        addresses: [],
      };
      t.postAnswers.set(r.post.id, pa);
      if (!pa.users.has(r.userId)) {
        pa.users.set(r.userId, {
          choice: [...r.post.choice],
          correct: r.correct,
          points,
          totalPoints: u.points,
          streak: streak.streak,
          firstAttempt,
          late: r.post.late,
        });
        pa.addresses.push(r.post.address);
        if (r.correct && pa.firstCorrect.length < 5) pa.firstCorrect.push(r.userId);
      }
      tally = pa.users.size;
    }
    let weekPoints = 0;
    for (const scope of ['ws', ...groups.map((g) => `g:${g}`)]) {
      const all = this.board(r.tenant, `${scope}:all`);
      const weekName = `${scope}:week:${r.week}`;
      const week = this.board(r.tenant, weekName);
      t.weekExpiry.set(weekName, r.weekExpiresAt);
      all.set(r.userId, (all.get(r.userId) ?? 0) + points);
      week.set(r.userId, (week.get(r.userId) ?? 0) + points);
      this.board(r.tenant, `${scope}:streak`).set(r.userId, streak.streak);
      if (scope === 'ws') weekPoints = week.get(r.userId) ?? 0;
    }
    return {
      status: 'recorded',
      firstAttempt,
      points,
      totalPoints: u.points,
      weekPoints,
      streak: { ...streak },
      usedFreezes,
      ...(tally !== undefined ? { tally } : {}),
    };
  }

  async saveSession(session: AnySession, ttlSeconds: number): Promise<void> {
    this.t(session.tenant).sessions.set(session.id, {
      session: structuredClone(session),
      expires: this.now() + ttlSeconds * 1000,
    });
  }

  async getSession(tenant: string, id: string): Promise<AnySession | undefined> {
    const s = this.t(tenant).sessions.get(id);
    return s && s.expires > this.now() ? structuredClone(s.session) : undefined;
  }

  async getActiveSession(
    tenant: string,
    userId: string,
    kind: AnySession['kind'] = 'quiz',
  ): Promise<string | undefined> {
    return this.t(tenant).active.get(`${kind}:${userId}`);
  }

  async setActiveSession(
    tenant: string,
    userId: string,
    id: string | undefined,
    kind: AnySession['kind'] = 'quiz',
  ): Promise<void> {
    if (id) this.t(tenant).active.set(`${kind}:${userId}`, id);
    else this.t(tenant).active.delete(`${kind}:${userId}`);
  }

  async leaderboard(tenant: string, ref: BoardRef, userId: string, limit: number): Promise<BoardRows> {
    const t = this.t(tenant);
    const scope = ref.groupId ? `g:${ref.groupId}` : 'ws';
    const name = ref.period === 'week' ? `${scope}:week:${ref.week}` : `${scope}:${ref.period}`;
    const b = this.board(tenant, name);
    // Same order as a Redis sorted set read with ZREVRANGE: score, then member, descending.
    const sorted = [...b]
      .filter(([u]) => !t.hidden.has(u))
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? 1 : -1));
    const idx = sorted.findIndex(([u]) => u === userId);
    return {
      rows: sorted.slice(0, limit).map(([u, score]) => ({ userId: u, name: t.names.get(u) ?? u, score })),
      myRank: idx >= 0 ? idx + 1 : null,
      myScore: b.get(userId) ?? 0,
    };
  }

  async setHidden(tenant: string, userId: string, hidden: boolean): Promise<void> {
    if (hidden) this.t(tenant).hidden.add(userId);
    else this.t(tenant).hidden.delete(userId);
  }

  async createGroup(tenant: string, group: Omit<Group, 'members'>): Promise<'created' | 'exists'> {
    const t = this.t(tenant);
    if (t.groups.has(group.id)) return 'exists';
    t.groups.set(group.id, { group: { ...group }, members: new Set() });
    return 'created';
  }

  async getGroup(tenant: string, groupId: string): Promise<Group | undefined> {
    const g = this.t(tenant).groups.get(groupId);
    return g ? { ...g.group, members: g.members.size } : undefined;
  }

  async joinGroup(tenant: string, groupId: string, userId: string): Promise<boolean> {
    const g = this.t(tenant).groups.get(groupId);
    if (!g || g.members.has(userId)) return false;
    g.members.add(userId);
    this.u(tenant, userId).groups.add(groupId);
    return true;
  }

  async leaveGroup(tenant: string, groupId: string, userId: string): Promise<boolean> {
    const g = this.t(tenant).groups.get(groupId);
    if (!g?.members.delete(userId)) return false;
    this.u(tenant, userId).groups.delete(groupId);
    return true;
  }

  async userGroupIds(tenant: string, userId: string): Promise<string[]> {
    return [...(this.t(tenant).users.get(userId)?.groups ?? [])].sort();
  }

  async userGroups(tenant: string, userId: string): Promise<Group[]> {
    const t = this.t(tenant);
    const ids = [...(t.users.get(userId)?.groups ?? [])].sort();
    return ids.flatMap((id) => {
      const g = t.groups.get(id);
      return g ? [{ ...g.group, members: g.members.size }] : [];
    });
  }

  async listGroups(tenant: string): Promise<Group[]> {
    return [...this.t(tenant).groups.values()]
      .map((g) => ({ ...g.group, members: g.members.size }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async savePost(post: ChannelPost): Promise<void> {
    this.t(post.tenant).posts.set(post.id, structuredClone(post));
  }

  async getPost(tenant: string, id: string): Promise<ChannelPost | undefined> {
    const p = this.t(tenant).posts.get(id);
    return p ? structuredClone(p) : undefined;
  }

  async markRevealed(tenant: string, id: string): Promise<boolean> {
    const t = this.t(tenant);
    const p = t.posts.get(id);
    if (!p || p.revealed) return false;
    t.posts.set(id, { ...p, revealed: true });
    return true;
  }

  async postAnswers(tenant: string, id: string): Promise<PostAnswers> {
    const pa = this.t(tenant).postAnswers.get(id);
    if (!pa) return { answered: 0, correct: 0, firstCorrect: [] };
    return {
      answered: pa.users.size,
      correct: [...pa.users.values()].filter((a) => a.correct).length,
      firstCorrect: [...pa.firstCorrect],
    };
  }

  async postResult(tenant: string, postId: string, userId: string): Promise<PostResult | undefined> {
    const a = this.t(tenant).postAnswers.get(postId)?.users.get(userId);
    return a && structuredClone(a);
  }

  async postAnswerers(tenant: string, postId: string, limit: number): Promise<string[]> {
    return (this.t(tenant).postAnswers.get(postId)?.addresses ?? []).slice(0, Math.max(0, limit));
  }

  async getWorkspaceTz(tenant: string): Promise<string | undefined> {
    return this.t(tenant).tz;
  }

  async setWorkspaceTz(tenant: string, tz: string): Promise<void> {
    this.t(tenant).tz = tz;
  }

  async organizers(tenant: string, channelId: string): Promise<string[]> {
    return [...(this.t(tenant).organizers.get(channelId) ?? [])];
  }

  async addOrganizer(tenant: string, channelId: string, userId: string): Promise<void> {
    const t = this.t(tenant);
    const list = t.organizers.get(channelId) ?? [];
    if (!list.includes(userId)) t.organizers.set(channelId, [...list, userId]);
  }

  async names(tenant: string, userIds: readonly string[]): Promise<Record<string, string>> {
    const t = this.t(tenant);
    return Object.fromEntries(
      userIds.flatMap((u) => (t.names.has(u) ? [[u, t.names.get(u) as string]] : [])),
    );
  }

  async claimOnce(key: string, ttlSeconds: number): Promise<boolean> {
    const until = this.claims.get(key);
    if (until !== undefined && until > this.now()) return false;
    this.claims.set(key, this.now() + ttlSeconds * 1000);
    return true;
  }

  async listAdd(tenant: string, key: string, member: string, ttlSeconds?: number): Promise<number> {
    const t = this.t(tenant);
    const list = this.live(t.lists, t.listExpiry, key) ?? [];
    if (!list.includes(member)) list.push(member);
    t.lists.set(key, list);
    if (ttlSeconds !== undefined) t.listExpiry.set(key, this.now() + ttlSeconds * 1000);
    return list.length;
  }

  async listGet(tenant: string, key: string, limit?: number): Promise<string[]> {
    const t = this.t(tenant);
    return (this.live(t.lists, t.listExpiry, key) ?? []).slice(0, limit);
  }

  async saveConversationRef(tenant: string, key: string, ref: unknown): Promise<void> {
    this.t(tenant).refs.set(key, structuredClone(ref));
  }

  async getConversationRef<T = unknown>(tenant: string, key: string): Promise<T | undefined> {
    const r = this.t(tenant).refs.get(key);
    return r === undefined ? undefined : (structuredClone(r) as T);
  }

  async cacheProfile(
    tenant: string,
    userId: string,
    data: Record<string, string>,
    ttlSeconds: number,
  ): Promise<void> {
    this.t(tenant).profileCache.set(userId, { data: { ...data }, expires: this.now() + ttlSeconds * 1000 });
  }

  async getCachedProfile(tenant: string, userId: string): Promise<Record<string, string> | undefined> {
    const c = this.t(tenant).profileCache.get(userId);
    return c && c.expires > this.now() ? { ...c.data } : undefined;
  }

  async takeToken(bucket: Bucket): Promise<{ ok: boolean; retryAfterMs: number }> {
    const now = this.now();
    const b = this.buckets.get(bucket.key) ?? { tokens: bucket.capacity, at: now };
    const tokens = Math.min(bucket.capacity, b.tokens + ((now - b.at) / 1000) * bucket.perSecond);
    if (tokens >= 1) {
      this.buckets.set(bucket.key, { tokens: tokens - 1, at: now });
      return { ok: true, retryAfterMs: 0 };
    }
    this.buckets.set(bucket.key, { tokens, at: now });
    return { ok: false, retryAfterMs: Math.ceil(((1 - tokens) / bucket.perSecond) * 1000) };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}

  // Schedules (issue 6)

  private readonly schedules = {
    daily: new Map<string, DailySchedule>(),
    reminders: new Map<string, Reminder>(),
    values: new Map<string, { value: string; expires: number }>(),
    sends: new Map<
      string,
      {
        holder?: string;
        lease: number;
        attempted: boolean;
        ref?: MessageRef;
        readyAt?: number;
        expires: number;
      }
    >(),
    counters: new Map<string, Map<string, number>>(),
  };

  async saveDailySchedule(schedule: DailySchedule): Promise<void> {
    this.schedules.daily.set(`${schedule.tenant}\n${schedule.where.id}`, structuredClone(schedule));
  }

  async getDailySchedule(tenant: string, channelId: string): Promise<DailySchedule | undefined> {
    const s = this.schedules.daily.get(`${tenant}\n${channelId}`);
    return s && structuredClone(s);
  }

  async saveReminder(reminder: Reminder): Promise<void> {
    this.schedules.reminders.set(`${reminder.tenant}\n${reminder.userId}`, structuredClone(reminder));
  }

  async getReminder(tenant: string, userId: string): Promise<Reminder | undefined> {
    const r = this.schedules.reminders.get(`${tenant}\n${userId}`);
    return r && structuredClone(r);
  }

  async allSchedules(): Promise<{ daily: DailySchedule[]; reminders: Reminder[] }> {
    return {
      daily: [...this.schedules.daily.values()].map((s) => structuredClone(s)),
      reminders: [...this.schedules.reminders.values()].map((r) => structuredClone(r)),
    };
  }

  async firstValue(tenant: string, key: string, value: string, ttlSeconds: number): Promise<string> {
    const k = `${tenant}\n${key}`;
    const v = this.schedules.values.get(k);
    if (v && v.expires > this.now()) return v.value;
    this.schedules.values.set(k, { value, expires: this.now() + ttlSeconds * 1000 });
    return value;
  }

  private send(key: string) {
    const s = this.schedules.sends.get(key);
    return s && s.expires > this.now() ? s : undefined;
  }

  async claimSend(key: string, holder: string, leaseMs: number, ttlSeconds: number): Promise<SendClaim> {
    const now = this.now();
    const s = this.send(key) ?? { lease: 0, attempted: false, expires: now + ttlSeconds * 1000 };
    if (s.ref) return { state: 'sent', ref: s.ref };
    if (s.holder && s.holder !== holder && s.lease > now)
      return { state: 'held', retryAfterMs: s.lease - now };
    this.schedules.sends.set(key, { ...s, holder, lease: now + leaseMs });
    const state = s.attempted ? 'unknown' : 'fresh';
    return s.readyAt === undefined ? { state } : { state, readyAt: s.readyAt };
  }

  async markAttempt(key: string, holder: string): Promise<boolean> {
    const s = this.send(key);
    if (!s || s.holder !== holder || s.ref) return false;
    s.attempted = true;
    return true;
  }

  async recordSent(key: string, ref: MessageRef, ttlSeconds: number): Promise<void> {
    this.schedules.sends.set(key, {
      lease: 0,
      attempted: true,
      ref: structuredClone(ref),
      expires: this.now() + ttlSeconds * 1000,
    });
  }

  async releaseSend(key: string, holder: string, readyAt?: number): Promise<void> {
    const s = this.send(key);
    if (!s || s.holder !== holder || s.ref) return;
    const { holder: _dropped, readyAt: _old, ...rest } = s;
    this.schedules.sends.set(key, {
      ...rest,
      lease: 0,
      attempted: false,
      ...(readyAt === undefined ? {} : { readyAt }),
    });
  }

  async reserveTokens(buckets: readonly Bucket[], notBefore = 0): Promise<number> {
    const now = this.now();
    let ready = Math.max(now, notBefore);
    for (const bucket of buckets) {
      const at = ready;
      const b = this.buckets.get(bucket.key) ?? { tokens: bucket.capacity, at };
      const elapsed = Math.max(0, at - b.at);
      const tokens = Math.min(bucket.capacity, b.tokens + (elapsed / 1000) * bucket.perSecond) - 1;
      this.buckets.set(bucket.key, { tokens, at: Math.max(at, b.at) });
      ready = Math.max(at, b.at) + (tokens >= 0 ? 0 : Math.ceil((-tokens / bucket.perSecond) * 1000));
    }
    return Math.max(0, ready - now);
  }

  async countEvent(tenant: string, event: string, by = 1): Promise<number> {
    let c = this.schedules.counters.get(tenant);
    if (!c) {
      c = new Map();
      this.schedules.counters.set(tenant, c);
    }
    const n = (c.get(event) ?? 0) + by;
    c.set(event, n);
    return n;
  }

  async eventCounts(tenant: string): Promise<Record<string, number>> {
    return Object.fromEntries(this.schedules.counters.get(tenant) ?? []);
  }
}
