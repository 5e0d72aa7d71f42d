/**
 * Bytes per FSRS review card in Redis (`npm run bench:cards`): a user with 330 cards, as
 * RedisStore keeps them (a hash field of the packed card plus a due-time sorted-set entry),
 * measured with MEMORY USAGE. Uses REDIS_URL, else the local Redis on 6379.
 */
import Redis from 'ioredis';
import { packCard, reviewCard } from '../src/core/learning/cards';

(async () => {
  const r = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  const k = 'sc:{bench:cards}:user:U1:cards',
    d = 'sc:{bench:cards}:user:U1:due';
  await r.del(k, d);
  const now = new Date();
  const n = 330;
  for (let i = 0; i < n; i++) {
    const c = reviewCard(undefined, now, i % 3 === 0 ? 1 : 3);
    await r.hset(k, `pipe-question-id-${i}`, packCard(c));
    await r.zadd(d, c.due.getTime(), `pipe-question-id-${i}`);
  }
  const a = Number(await r.memory('USAGE', k)),
    b = Number(await r.memory('USAGE', d));
  console.log(
    JSON.stringify({
      cards: n,
      hashBytes: a,
      dueBytes: b,
      perCard: Math.round((a + b) / n),
      packedLength: packCard(reviewCard(undefined, now, 3)).length,
    }),
  );
  await r.del(k, d);
  r.disconnect();
})();
