import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/core';
import { hashUserId } from '../../src/logger';

/** Slack user ids (`U…`, `W…`) inside the SDK's messages are hashed like ours. */
const hideUserIds = (s: string) => s.replace(/\b[UW][A-Z0-9]{8,}\b/g, (id) => hashUserId(id));

const text = (msgs: unknown[]) =>
  hideUserIds(
    msgs
      .map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m)))
      .join(' '),
  );

/**
 * Bolt and the Web API client log through our structured logger, not the console. Their
 * `info` chatter (e.g. rate-limit waits) stays at info; level changes are ignored since
 * the service's logger has its own level.
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = 'info' as LogLevel;
  return {
    debug: (...m: unknown[]) => logger.debug({ component: 'bolt' }, text(m)),
    info: (...m: unknown[]) => logger.info({ component: 'bolt' }, text(m)),
    warn: (...m: unknown[]) => logger.warn({ component: 'bolt' }, text(m)),
    error: (...m: unknown[]) => logger.error({ component: 'bolt' }, text(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
