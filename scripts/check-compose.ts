/**
 * Checks docker-compose.yml and deploy/haproxy.cfg against the app without a Docker
 * engine (none runs here): the compose file parses; Redis keeps an append-only file on a
 * volume; each bot replica's environment names only variables that src/config.ts reads,
 * misses none but the test-only ones, and passes `loadConfig` once interpolated; ports,
 * Redis URL, dependencies and the stop grace period agree with the app; HAProxy sends
 * traffic to every replica and health-checks /readyz; docs/operations.md lists every
 * variable. Run by scripts/check-compose.sh; exits 1 listing every problem found.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type ConfigError, configVariables, loadConfig } from '../src/config';

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** Variables only tests set (they point the service at local fakes): not for a deployment. */
const TEST_ONLY = new Set(['SLACK_API_URL', 'TEAMS_OPENID_METADATA_URL']);
const HAPROXY_CONFIG = '/usr/local/etc/haproxy/haproxy.cfg';

const problems: string[] = [];
const passed: string[] = [];
function check(ok: boolean, what: string, fix: string): void {
  if (ok) passed.push(what);
  else problems.push(`${what}: ${fix}`);
}

// biome-ignore lint/suspicious/noExplicitAny: compose YAML is walked loosely; every value used is checked
type Yaml = any;

/** Compose's `${VAR:-default}` / `${VAR-default}` / `${VAR}` with nothing set: the default, or empty. */
const interpolate = (value: unknown) =>
  String(value).replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_m, _name, fallback?: string) => fallback ?? '');

/** `15s`, `1m30s`, `500ms` in milliseconds. */
function durationMs(text: string): number {
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
    ms += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  return ms;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v ? [String(v)] : []);

// --- docker-compose.yml -----------------------------------------------------------------
let compose: Yaml;
try {
  compose = parse(read('docker-compose.yml'), { merge: true });
} catch (err) {
  console.error(`docker-compose.yml does not parse: ${(err as Error).message}`);
  process.exit(1);
}
const services: Record<string, Yaml> = compose?.services ?? {};
const bots = Object.keys(services).filter((name) => services[name].build !== undefined);
const redis = services.redis;
const lb = Object.entries(services).find(([, s]) => String(s.image ?? '').startsWith('haproxy'));

check(
  bots.length >= 2,
  'two or more bot replicas (services built from the Dockerfile)',
  `found ${bots.join(', ')}`,
);
check(!!redis, 'a `redis` service', 'add one: the bots need Redis as their system of record');
check(!!lb, 'an HAProxy service in front', 'add one with image haproxy:<version>');

if (redis) {
  const command = asList(redis.command).flatMap((c) => c.split(/\s+/));
  const aof = command.indexOf('--appendonly');
  check(
    aof >= 0 && command[aof + 1] === 'yes',
    'Redis runs with AOF on',
    'add `--appendonly yes` to its command',
  );
  const dataVolume = asList(redis.volumes).find((v) => v.split(':')[1] === '/data');
  const volumeName = dataVolume?.split(':')[0] ?? '';
  check(
    !!dataVolume && !volumeName.startsWith('.') && volumeName in (compose.volumes ?? {}),
    'Redis keeps /data on a named volume',
    'mount a volume declared under top-level `volumes:` at /data',
  );
  check(!!redis.healthcheck, 'Redis has a health check', 'add `healthcheck: redis-cli ping`');
}

const dockerfile = read('Dockerfile');
const shutdownMs = (env: Record<string, string>) => Number(env.SHUTDOWN_TIMEOUT_MS || 10_000);
const botPorts = new Map<string, number>();
for (const name of bots) {
  const bot = services[name];
  const env: Record<string, string> = Object.fromEntries(
    Object.entries(bot.environment ?? {}).map(([k, v]) => [k, interpolate(v)]),
  );
  const unknown = Object.keys(env).filter((k) => !configVariables.includes(k));
  check(
    unknown.length === 0,
    `${name}: every variable is one the app reads`,
    `unknown: ${unknown.join(', ')}`,
  );
  const missing = configVariables.filter((k) => !(k in env) && !TEST_ONLY.has(k));
  check(
    missing.length === 0,
    `${name}: every variable of src/config.ts is set or passed through`,
    `missing ${missing.join(', ')}: add them to x-bot's environment (or, if only tests use them, to TEST_ONLY in scripts/check-compose.ts)`,
  );
  try {
    const config = loadConfig(env);
    botPorts.set(name, config.port);
    check(
      config.host === '0.0.0.0',
      `${name}: listens on all interfaces`,
      'set HOST=0.0.0.0 (in a container)',
    );
    const redisUrl = new URL(config.redisUrl ?? 'redis://missing');
    check(
      redisUrl.hostname === 'redis' && (redisUrl.port || '6379') === '6379',
      `${name}: REDIS_URL points at the redis service`,
      `it is ${config.redisUrl}`,
    );
  } catch (err) {
    check(false, `${name}: its environment is a valid configuration`, (err as ConfigError).message);
  }
  check(
    bot.depends_on?.redis?.condition === 'service_healthy',
    `${name}: starts once Redis is healthy`,
    'depends_on: redis: condition: service_healthy',
  );
  check(
    durationMs(String(bot.stop_grace_period ?? '10s')) > shutdownMs(env),
    `${name}: stop_grace_period outlasts SHUTDOWN_TIMEOUT_MS`,
    'Docker would kill the replica before it finished its requests and jobs',
  );
  check(
    !bot.ports,
    `${name}: publishes no port (traffic comes through the load balancer)`,
    'remove `ports:`',
  );
  check(
    !!bot.healthcheck || /^HEALTHCHECK /m.test(dockerfile),
    `${name}: has a liveness check (its own or the image's HEALTHCHECK)`,
    'add a HEALTHCHECK',
  );
}

// --- deploy/haproxy.cfg -----------------------------------------------------------------
const haproxy = read('deploy/haproxy.cfg');
/** The config's sections: `backend bots` → its lines, comments and blank lines dropped. */
const sections = new Map<string, string[]>();
let current = '';
for (const raw of haproxy.split('\n')) {
  const line = raw.replace(/#.*$/, '').trim();
  if (!line) continue;
  if (/^\S/.test(raw)) {
    current = line;
    sections.set(current, []);
  } else sections.get(current)?.push(line);
}
const frontend = [...sections].find(([head]) => head.startsWith('frontend '));
const backendName = frontend?.[1].find((l) => l.startsWith('default_backend '))?.split(/\s+/)[1];
const backend = sections.get(`backend ${backendName}`) ?? [];
check(
  !!frontend && backend.length > 0,
  'HAProxy: a frontend with a default backend',
  'add `default_backend <name>`',
);

const servers = backend.filter((l) => l.startsWith('server '));
for (const name of bots) {
  const line = servers.find((l) => l.split(/\s+/)[2]?.split(':')[0] === name);
  const port = Number(line?.split(/\s+/)[2]?.split(':')[1]);
  check(!!line, `HAProxy: sends traffic to ${name}`, `add \`server ${name} ${name}:<PORT> check\``);
  check(
    port === botPorts.get(name),
    `HAProxy: ${name} on the port it listens on`,
    `PORT is ${botPorts.get(name)}`,
  );
  check(/\scheck(\s|$)/.test(line ?? ''), `HAProxy: health-checks ${name}`, 'add `check` to its server line');
}
const probesReadyz =
  backend.some((l) => /^http-check send .*uri \/readyz(\s|$)/.test(l)) ||
  backend.some((l) => /^option httpchk( GET)? \/readyz(\s|$)/.test(l));
check(probesReadyz, 'HAProxy: the health check is GET /readyz', 'add `http-check send meth GET uri /readyz`');
check(
  backend.includes('http-check expect status 200'),
  'HAProxy: only 200 counts as ready',
  'add `http-check expect status 200`',
);
check(
  !!frontend?.[1].some((l) => /deny .*path \/metrics/.test(l)),
  'HAProxy: /metrics is not served to the public',
  'add `http-request deny deny_status 404 if { path /metrics }`',
);
const bindPort = Number(frontend?.[1].find((l) => l.startsWith('bind '))?.match(/:(\d+)/)?.[1]);

if (lb) {
  const [lbName, lbService] = lb;
  check(
    asList(lbService.volumes).some(
      (v) => v.startsWith('./deploy/haproxy.cfg:') && v.includes(HAPROXY_CONFIG),
    ),
    `${lbName}: runs deploy/haproxy.cfg`,
    `mount ./deploy/haproxy.cfg at ${HAPROXY_CONFIG}`,
  );
  check(
    asList(lbService.ports).some((p) => Number(interpolate(p).split(':').pop()) === bindPort),
    `${lbName}: publishes the port HAProxy binds (${bindPort})`,
    'make `ports:` end in the frontend bind port',
  );
  const deps = Array.isArray(lbService.depends_on)
    ? lbService.depends_on
    : Object.keys(lbService.depends_on ?? {});
  check(
    bots.every((b) => deps.includes(b)),
    `${lbName}: starts after every replica`,
    `depends_on: ${bots.join(', ')}`,
  );
}

// --- docs/operations.md -----------------------------------------------------------------
const ops = read('docs/operations.md');
const undocumented = configVariables.filter((v) => !ops.includes(`\`${v}\``));
check(
  undocumented.length === 0,
  'docs/operations.md documents every variable',
  `add ${undocumented.join(', ')} to its table`,
);

for (const p of passed) console.log(`ok   ${p}`);
for (const p of problems) console.error(`FAIL ${p}`);
if (problems.length) process.exit(1);
console.log(`compose and HAProxy configuration consistent with the app (${passed.length} checks)`);
