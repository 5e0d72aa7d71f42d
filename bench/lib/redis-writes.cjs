/**
 * Preloaded into the service by `npm run bench:store` (`node --require`): counts the
 * socket writes of each connection to Redis, by the connection's local port. ioredis
 * writes each flush of its auto-pipeline (and each command outside one) in one `write`,
 * so with clicks sent one at a time, writes per click are the click's sequential round
 * trips. On SIGUSR2 the counts go, as JSON, to the file BENCH_REDIS_WRITES_FILE.
 */
const net = require('node:net');
const fs = require('node:fs');

const redisPort = Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379);
const counts = {};
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function countedWrite(...args) {
  if (this.remotePort === redisPort) counts[this.localPort] = (counts[this.localPort] ?? 0) + 1;
  return write.apply(this, args);
};
process.on('SIGUSR2', () => {
  fs.writeFileSync(process.env.BENCH_REDIS_WRITES_FILE, JSON.stringify(counts));
});
