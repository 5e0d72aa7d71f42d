/**
 * `npm run bench:http`: what the service's HTTP layer (request ids, access
 * log, metrics, body limit, in-flight tracking: src/server.ts and src/http/) costs per
 * request. The same two routes — a JSON body parsed by restify (as Teams') and a raw body
 * read by hand (as Slack's) — run on a bare restify server (the baseline) and on
 * `createHttpServer` with the real pino logger writing into memory, in the same run,
 * alternating; prints requests per second and the ratio to the baseline.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import restify, { type Server } from 'restify';
import { createLogger } from '../src/logger';
import { Metrics } from '../src/metrics';
import { createHttpServer } from '../src/server';
import { MemoryStore } from '../src/store';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const body = JSON.stringify({ type: 'message', text: 'x'.repeat(800) });

function addRoutes(server: Server): void {
  server.post(
    '/json',
    restify.plugins.bodyParser({ maxBodySize: 1 << 20, mapParams: false }),
    (req, res, next) => {
      res.send(200, { ok: typeof req.body === 'object' });
      next();
    },
  );
  server.post('/raw', (req, res, next) => {
    (async () => {
      let size = 0;
      for await (const chunk of req) size += (chunk as Buffer).length;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(String(size));
    })().finally(() => next(false));
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

/** Requests per second at `url`, from autocannon in a process of its own (its CPU is not ours). */
function rate(url: string): Promise<number> {
  const cli = join(__dirname, '..', 'node_modules', 'autocannon', 'autocannon.js');
  const args = [cli, '-c', '50', '-d', String(SECONDS), '-m', 'POST', '-H', 'content-type=application/json'];
  const child = spawn(process.execPath, [...args, '-b', body, '-j', url], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve((JSON.parse(out) as { requests: { average: number } }).requests.average)
        : reject(new Error(`autocannon exited with ${code}`)),
    ),
  );
}

async function main(): Promise<void> {
  const bare = restify.createServer({ handleUncaughtExceptions: false });
  addRoutes(bare);
  let lines = 0;
  const logger = createLogger('info', {
    secrets: ['not-a-real-secret-1'],
    destination: { write: () => void lines++ },
  });
  const observed = createHttpServer({
    store: new MemoryStore(),
    logger,
    metrics: new Metrics(),
  });
  addRoutes(observed);
  const [bareUrl, observedUrl] = [await listen(bare), await listen(observed)];
  for (const route of ['/json', '/raw']) {
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const base = await rate(`${bareUrl}${route}`);
      const withLayer = await rate(`${observedUrl}${route}`);
      ratios.push(withLayer / base);
      console.log(
        `${route} round ${round}: bare ${base.toFixed(0)} req/s, service layer ${withLayer.toFixed(0)} req/s, ratio ${(withLayer / base).toFixed(2)}`,
      );
    }
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)] ?? 0;
    console.log(`${route}: median ratio ${median.toFixed(2)} (1.00 = no cost)`);
  }
  console.log(`access-log lines written: ${lines}`);
  bare.close();
  observed.close();
}

void main();
