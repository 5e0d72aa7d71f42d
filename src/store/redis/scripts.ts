/**
 * The Lua scripts of `RedisStore`, as string constants (so `tsc` output runs without
 * copying files). Every script declares every key it touches in KEYS, and all the keys of
 * one call share the tenant's hash tag, so each runs on one Redis Cluster slot. No key
 * is built inside Lua.
 */

/**
 * One answer, one round trip (`AnswerRecord`).
 *
 * KEYS: 1 attempts (set), 2 seen questions (set), 3 stats (hash), 4 names (hash),
 * 5 the user's groups (set); with a post (ARGV[12] = '1'): 6 the channel group (hash),
 * 7 its members (set), 8 the tenant's group index (set), 9 the post's answerers
 * (hash user → their result, `correct|points|total|streak|first|late|choice`; before
 * results were kept, `1|0`), 10 the post's correct count (string), 11 the post's first correct
 * answerers (list); then for each board scope (workspace first, then groups): all-time,
 * weekly, streak (sorted sets).
 *
 * ARGV: 1 attempt, 2 question id, 3 correct (1|0), 4 award, 5 local day number,
 * 6 streak mode, 7 weekly board expiry (ms since epoch), 8 user id, 9 display name,
 * 10 domain, 11 skill, 12 has post (1|0), 13 group id, 14 group name, 15 group kind,
 * 16 number of board scopes, 17 the review card (packed; '' for none), 18 its due time (ms),
 * 19 the post id, 20 the post result's end (`late|choice`, 1|0 and option ids joined by ','),
 * 21 the member's address on the platform.
 * After the boards, KEYS go on: the user's review cards (hash), their due times (sorted
 * set), the tenant's per-question first-attempt tallies (hash), the user's posts (set);
 * with a post, its answerers' addresses (list, first answer first).
 *
 * Returns {0} when the attempt was already recorded (nothing changed), else
 * {1, firstAttempt, points, totalPoints, weekPoints, streak, best, freezes, lastDay,
 * usedFreezes, tally (-1 without a post)}.
 *
 * The streak block is `applyAnswerDay` of src/core/streak.ts, line for line; the
 * weekday of day number d is ((d + 3) mod 7) + 1 with 1 = Monday (Lua's % is floored,
 * as `weekdayOfDay` is). Counting missed weekdays stops as soon as they exceed the held
 * freezes: the outcome (all freezes used, streak back to 1) is then the same.
 */
export const RECORD_ANSWER = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return {0} end
local user = ARGV[8]
local correct = ARGV[3] == '1'
local c = 0
if correct then c = 1 end
local first = redis.call('SADD', KEYS[2], ARGV[2]) == 1
local f = 0
if first then f = 1 end
local points = 0
if first and correct then points = tonumber(ARGV[4]) end
local stats = KEYS[3]
-- The user's figures in one read and one write (an HINCRBY per figure was a call each).
local dc, dt = 'd:' .. ARGV[10] .. ':c', 'd:' .. ARGV[10] .. ':t'
local sc, st = 's:' .. ARGV[11] .. ':c', 's:' .. ARGV[11] .. ':t'
local h = redis.call('HMGET', stats, 'points', 'answered', 'correct', dc, dt, sc, st,
  'streak', 'best', 'freezes', 'lastDay')
local function num(v) return tonumber(v) or 0 end
local total = num(h[1]) + points
local set = {'points', total, 'answered', num(h[2]) + 1, 'correct', num(h[3]) + c,
  dc, num(h[4]) + c, dt, num(h[5]) + 1, sc, num(h[6]) + c, st, num(h[7]) + 1}
redis.call('HSET', KEYS[4], user, ARGV[9])

local streak = num(h[8])
local best = num(h[9])
local freezes = num(h[10])
local lastDay = tonumber(h[11]) or -1
local today = tonumber(ARGV[5])
local mode = ARGV[6]
local used = 0
local function weekday(d) return ((d + 3) % 7) + 1 end
if not (lastDay == today or (mode == 'weekdays' and weekday(today) > 5) or today < lastDay) then
  local nextStreak
  if lastDay < 0 or streak == 0 then
    nextStreak = 1
  else
    local missed = 0
    if today - lastDay > 1 then
      if mode == 'daily' then
        missed = today - lastDay - 1
      else
        for d = lastDay + 1, today - 1 do
          if weekday(d) <= 5 then
            missed = missed + 1
            if missed > freezes then break end
          end
        end
      end
    end
    used = math.min(missed, freezes)
    freezes = freezes - used
    if missed <= used then nextStreak = streak + 1 else nextStreak = 1 end
  end
  if nextStreak % 7 == 0 then freezes = math.min(2, freezes + 1) end
  streak = nextStreak
  best = math.max(best, nextStreak)
  lastDay = today
  for _, v in ipairs({'streak', streak, 'best', best, 'freezes', freezes, 'lastDay', lastDay}) do
    set[#set + 1] = v
  end
end
redis.call('HSET', stats, unpack(set))

local tally = -1
local answered = false
local n = 5
if ARGV[12] == '1' then
  local gid = ARGV[13]
  -- A group in the hash is in the tenant's index, and a member's groups list it: both are
  -- written with the hash and the membership (here, CREATE_GROUP, JOIN_GROUP).
  if redis.call('EXISTS', KEYS[6]) == 0 then
    redis.call('HSET', KEYS[6], 'id', gid, 'name', ARGV[14], 'kind', ARGV[15])
    redis.call('SADD', KEYS[8], gid)
  end
  if redis.call('SADD', KEYS[7], user) == 1 then redis.call('SADD', KEYS[5], gid) end
  local result = table.concat({c, points, total, streak, f, ARGV[20]}, '|')
  if redis.call('HSETNX', KEYS[9], user, result) == 1 then
    answered = true
    redis.call('INCRBY', KEYS[10], c)
    if correct and redis.call('LLEN', KEYS[11]) < 5 then redis.call('RPUSH', KEYS[11], user) end
  end
  tally = redis.call('HLEN', KEYS[9])
  n = 11
end

-- Without points a board only needs the member on it: ZADD NX (ZINCRBY by 0 did the same,
-- but moved them in the skip list and formatted their score). The first weekly board's
-- score is returned, so it is read with ZINCRBY.
local weekPoints = '0'
local scopes = tonumber(ARGV[16])
for i = 0, scopes - 1 do
  local base = n + i * 3
  local all, week = KEYS[base + 1], KEYS[base + 2]
  if points > 0 then
    redis.call('ZINCRBY', all, points, user)
    local w = redis.call('ZINCRBY', week, points, user)
    if i == 0 then weekPoints = w end
  else
    redis.call('ZADD', all, 'NX', 0, user)
    if i == 0 then weekPoints = redis.call('ZINCRBY', week, 0, user)
    else redis.call('ZADD', week, 'NX', 0, user) end
  end
  redis.call('PEXPIREAT', week, ARGV[7])
  redis.call('ZADD', KEYS[base + 3], streak, user)
end
local extra = n + scopes * 3
if ARGV[17] ~= '' then
  redis.call('HSET', KEYS[extra + 1], ARGV[2], ARGV[17])
  redis.call('ZADD', KEYS[extra + 2], ARGV[18], ARGV[2])
end
if first then
  redis.call('HINCRBY', KEYS[extra + 3], ARGV[2] .. ':t', 1)
  redis.call('HINCRBY', KEYS[extra + 3], ARGV[2] .. ':c', c)
end
if ARGV[12] == '1' then redis.call('SADD', KEYS[extra + 4], ARGV[19]) end
if answered then redis.call('RPUSH', KEYS[extra + 5], ARGV[21]) end
return {1, f, points, total, weekPoints, streak, best, freezes, lastDay, used, tally}
`;

/**
 * Top rows of a board without hidden users, and the caller's rank among visible users.
 *
 * KEYS: 1 board (sorted set), 2 hidden users (set), 3 names (hash).
 * ARGV: 1 user id, 2 limit.
 * Returns {myRank (-1: none), myScore, user, score, name, user, score, name, …}.
 * Order is ZREVRANGE's: score, then member, descending.
 */
export const LEADERBOARD = `
local board, hidden, names = KEYS[1], KEYS[2], KEYS[3]
local me = ARGV[1]
local limit = tonumber(ARGV[2])
local h = redis.call('SCARD', hidden)
local users, scores = {}, {}
local rank = -1
if h <= 64 then
  -- Nobody or a few hidden (the usual case): the top limit + h rows hold the top visible
  -- ones, and the hidden users ranked above the caller are found by their scores.
  local hiddenList = {}
  local isHidden = {}
  if h > 0 then
    hiddenList = redis.call('SMEMBERS', hidden)
    for _, u in ipairs(hiddenList) do isHidden[u] = true end
  end
  if limit > 0 then
    local chunk = redis.call('ZREVRANGE', board, 0, limit + h - 1, 'WITHSCORES')
    for i = 1, #chunk, 2 do
      if #users < limit and not isHidden[chunk[i]] then
        users[#users + 1] = chunk[i]
        scores[#scores + 1] = chunk[i + 1]
      end
    end
  end
  if not isHidden[me] then
    local r = redis.call('ZREVRANK', board, me)
    if r then
      local above = 0
      if h > 0 and r > 0 then
        local mine = tonumber(redis.call('ZSCORE', board, me))
        local theirs = redis.call('ZMSCORE', board, unpack(hiddenList))
        for i, s in ipairs(theirs) do
          if s then
            local v = tonumber(s)
            if v > mine then
              above = above + 1
            elseif v == mine then
              -- A tie is ordered by member: ask Redis rather than compare strings in Lua.
              local hr = redis.call('ZREVRANK', board, hiddenList[i])
              if hr < r then above = above + 1 end
            end
          end
        end
      end
      rank = r - above + 1
    end
  end
else
  if limit > 0 then
    local start = 0
    local batch = limit + 16
    while #users < limit do
      local chunk = redis.call('ZREVRANGE', board, start, start + batch - 1, 'WITHSCORES')
      for i = 1, #chunk, 2 do
        if #users < limit and redis.call('SISMEMBER', hidden, chunk[i]) == 0 then
          users[#users + 1] = chunk[i]
          scores[#scores + 1] = chunk[i + 1]
        end
      end
      if #chunk < batch * 2 then break end
      start = start + batch
    end
  end
  if redis.call('SISMEMBER', hidden, me) == 0 then
    local r = redis.call('ZREVRANK', board, me)
    if r then
      local above = 0
      if r > 0 then
        if h <= r then
          for _, u in ipairs(redis.call('SMEMBERS', hidden)) do
            local hr = redis.call('ZREVRANK', board, u)
            if hr and hr < r then above = above + 1 end
          end
        else
          for _, u in ipairs(redis.call('ZREVRANGE', board, 0, r - 1)) do
            if redis.call('SISMEMBER', hidden, u) == 1 then above = above + 1 end
          end
        end
      end
      rank = r - above + 1
    end
  end
end
local out = {rank, redis.call('ZSCORE', board, me) or '0'}
if #users > 0 then
  local shown = redis.call('HMGET', names, unpack(users))
  for i = 1, #users do
    out[#out + 1] = users[i]
    out[#out + 1] = scores[i]
    out[#out + 1] = shown[i] or users[i]
  end
end
return out
`;

/** KEYS: 1 group (hash), 2 group index (set). ARGV: id, name, kind. Returns 1 created, 0 exists. */
export const CREATE_GROUP = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'name', ARGV[2], 'kind', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`;

/** KEYS: 1 group (hash), 2 members (set), 3 the user's groups (set). ARGV: group id, user id. */
export const JOIN_GROUP = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 0 end
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`;

/** KEYS: 1 group (hash), 2 members (set), 3 the user's groups (set). ARGV: group id, user id. */
export const LEAVE_GROUP = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SREM', KEYS[2], ARGV[2]) == 0 then return 0 end
redis.call('SREM', KEYS[3], ARGV[1])
return 1
`;

/** KEYS: 1 post (hash: json, revealed). Returns 1 the first time, 0 when missing or already revealed. */
export const MARK_REVEALED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HSETNX', KEYS[1], 'revealed', '1')
`;

/** KEYS: 1 organizers (list). ARGV: user id. Appends once, keeping the order of addition. */
export const ADD_ORGANIZER = `
for _, u in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if u == ARGV[1] then return 0 end
end
redis.call('RPUSH', KEYS[1], ARGV[1])
return 1
`;

/**
 * The refill of a token bucket (hash: tokens, at), shared by TAKE_TOKEN and RESERVE_TOKENS:
 * `refilled(key, capacity, perSecond, t)` returns its tokens at `t` (ms) and its `at`; a new
 * bucket is full, and a clock that steps back refills nothing.
 */
const REFILLED = `
local function refilled(key, cap, rate, t)
  local b = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(b[1])
  local at = tonumber(b[2])
  if tokens == nil or at == nil then return cap, t end
  local elapsed = t - at
  if elapsed < 0 then elapsed = 0 end
  return math.min(cap, tokens + (elapsed / 1000) * rate), at
end
`;

/**
 * A token bucket, the same arithmetic as `MemoryStore.takeToken`.
 * KEYS: 1 bucket (hash: tokens, at). ARGV: 1 capacity, 2 refill per second, 3 now (ms).
 * Returns {ok (1|0), retryAfterMs}. A clock that steps back refills nothing.
 */
export const TAKE_TOKEN = `${REFILLED}
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local tokens, at = refilled(KEYS[1], cap, rate, now)
local ok = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
else
  retry = math.ceil(((1 - tokens) / rate) * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%d', math.max(now, at)))
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.ceil((cap / rate) * 1000) + 1000))
return {ok, retry}
`;

// Schedules (issue 6). Each script touches one key, declared in KEYS.

/**
 * Set-if-absent, returning the value that stands.
 * KEYS: 1 the value. ARGV: 1 value, 2 ttl (ms).
 */
export const FIRST_VALUE = `
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
`;

/**
 * Claims a send (`Store.claimSend`). KEYS: 1 the send (hash: holder, lease, attempted,
 * ref, ready). ARGV: 1 holder, 2 lease (ms), 3 ttl (ms), 4 now (ms).
 * Returns {'sent', ref} | {'held', ms} | {'fresh'|'unknown', readyAt or ''}.
 */
export const CLAIM_SEND = `
local s = redis.call('HMGET', KEYS[1], 'holder', 'lease', 'attempted', 'ref', 'ready')
if s[4] then return {'sent', s[4]} end
local now = tonumber(ARGV[4])
local lease = tonumber(s[2] or '0')
if s[1] and s[1] ~= ARGV[1] and lease > now then return {'held', tostring(lease - now)} end
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'lease', tostring(now + tonumber(ARGV[2])))
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
local state = 'fresh'
if s[3] == '1' then state = 'unknown' end
return {state, s[5] or ''}
`;

/** KEYS: 1 the send. ARGV: 1 the platform's ref (JSON), 2 how long it is kept (ms). */
export const RECORD_SENT = `
redis.call('HSET', KEYS[1], 'ref', ARGV[1])
redis.call('HDEL', KEYS[1], 'holder', 'ready')
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`;

/** KEYS: 1 the send. ARGV: 1 holder. Returns 1 when the holder still held it. */
export const MARK_ATTEMPT = `
local s = redis.call('HMGET', KEYS[1], 'holder', 'ref')
if s[1] ~= ARGV[1] or s[2] then return 0 end
redis.call('HSET', KEYS[1], 'attempted', '1')
return 1
`;

/** KEYS: 1 the send. ARGV: 1 holder, 2 reserved slot (ms, '' for none). */
export const RELEASE_SEND = `
local s = redis.call('HMGET', KEYS[1], 'holder', 'ref')
if s[1] ~= ARGV[1] or s[2] then return 0 end
redis.call('HDEL', KEYS[1], 'holder', 'ready')
redis.call('HSET', KEYS[1], 'lease', '0', 'attempted', '0')
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'ready', ARGV[2]) end
return 1
`;

/**
 * Token buckets that lend: a balance may go below zero, and the caller waits until its
 * token exists. Same fields and refill as TAKE_TOKEN; `at` may lie ahead (reservations).
 * Each bucket's slot is taken at or after the one before it.
 * KEYS: the buckets. ARGV: 1 now (ms), 2 not before (ms), then capacity and refill per
 * second of each bucket. Returns the wait (ms) from now until the last slot.
 */
export const RESERVE_TOKENS = `${REFILLED}
local now = tonumber(ARGV[1])
local ready = math.max(now, tonumber(ARGV[2]))
for i = 1, #KEYS do
  local cap = tonumber(ARGV[1 + 2 * i])
  local rate = tonumber(ARGV[2 + 2 * i])
  local tokens, at = refilled(KEYS[i], cap, rate, ready)
  tokens = tokens - 1
  local base = math.max(ready, at)
  redis.call('HSET', KEYS[i], 'tokens', string.format('%.17g', tokens), 'at', string.format('%d', base))
  redis.call('PEXPIRE', KEYS[i], string.format('%d', (base - now) + math.ceil(((cap - tokens) / rate) * 1000) + 1000))
  ready = base
  if tokens < 0 then ready = base + math.ceil((-tokens / rate) * 1000) end
end
return math.max(0, ready - now)
`;

/**
 * The reads before recording an answer, in one round trip (`answerReads`): one script
 * costs the client a third of what five pipelined commands do.
 * KEYS: 1 profile (hash), 2 workspace (hash), 3 the user's groups (set), 4 their cards
 * (hash); with a post, 5 the post (hash). ARGV: 1 question id.
 * Returns {profile fields and values, tz or false, group ids, card or false,
 * post json or false, post revealed or false}.
 */
export const ANSWER_READS = `
local post = {false, false}
if KEYS[5] then post = redis.call('HMGET', KEYS[5], 'json', 'revealed') end
return {
  redis.call('HGETALL', KEYS[1]),
  redis.call('HGET', KEYS[2], 'tz'),
  redis.call('SMEMBERS', KEYS[3]),
  redis.call('HGET', KEYS[4], ARGV[1]),
  post[1],
  post[2],
}
`;

/** KEYS: 1 the post. ARGV: 1 its JSON, 2 '1' when revealed. A script: it rides auto-pipelining, MULTI does not. */
export const SAVE_POST = `
redis.call('HSET', KEYS[1], 'json', ARGV[1])
if ARGV[2] == '1' then return redis.call('HSET', KEYS[1], 'revealed', '1') end
return redis.call('HDEL', KEYS[1], 'revealed')
`;

/**
 * Appends a member to an ordered list once, in O(1): the list's members are also kept in
 * a set, which says whether one is there (a scan of the list with LPOS cost a post's
 * every answer click a walk of all its answerers). A list without its set (written before
 * the set existed) is indexed once. KEYS: 1 the list, 2 its member set. ARGV: 1 member,
 * 2 the TTL in ms (both keys) or none. Returns the list's length.
 */
export const LIST_ADD = `
local list, members = KEYS[1], KEYS[2]
if redis.call('EXISTS', members) == 0 then
  local all = redis.call('LRANGE', list, 0, -1)
  for i = 1, #all, 1000 do redis.call('SADD', members, unpack(all, i, math.min(i + 999, #all))) end
end
if redis.call('SADD', members, ARGV[1]) == 1 then redis.call('RPUSH', list, ARGV[1]) end
if ARGV[2] then
  redis.call('PEXPIRE', list, ARGV[2])
  redis.call('PEXPIRE', members, ARGV[2])
end
return redis.call('LLEN', list)
`;
