import { createSlackAdapter } from '../adapters/slack';
import { createTeamsAdapter } from '../adapters/teams';
import { ConfigError, loadConfig, secretsOf } from './config';
import { PackError } from './core';
import { createLogger } from './logger';
import { Metrics } from './metrics';
import type { AdapterFactory } from './platform-adapter';
import { startService } from './service';

/** The platforms this build serves; each factory returns undefined when not configured. */
const adapters: AdapterFactory[] = [createSlackAdapter, createTeamsAdapter];

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel, { secrets: secretsOf(config) });
  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService(config, {
      logger,
      adapters,
      metrics: new Metrics({ processMetrics: true }),
    });
  } catch (err) {
    if (err instanceof PackError) console.error(err.message);
    else logger.fatal({ err }, 'start-up failed');
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // Past the bound (SHUTDOWN_TIMEOUT_MS), exit anyway: the orchestrator would kill us next.
    const timeoutMs = config.shutdownTimeoutMs ?? 10_000;
    const force = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long: exiting anyway');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    service
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
