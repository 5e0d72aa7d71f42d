import { join } from 'node:path';
import type { Server } from 'restify';
import type { Config } from './config';
import { type Clock, type Logger, type Store, StudyCore, systemClock } from './core';
import { MessengerRouter } from './messenger-router';
import { loadPack } from './packs/load-pack';
import type { AdapterFactory, PlatformAdapter } from './platform-adapter';
import { InProcessScheduler } from './schedule/in-process-scheduler';
import { createHttpServer } from './server';
import { createStore } from './store/create-store';

/** A running service: what tests and `main` hold on to. */
export interface Service {
  readonly core: StudyCore;
  readonly store: Store;
  readonly server: Server;
  readonly adapters: readonly PlatformAdapter[];
  readonly scheduler: InProcessScheduler;
  /** Base URL once listening, e.g. `http://127.0.0.1:3978`. */
  readonly url: string;
  /** Stops intake, adapters, timers and the store. Safe to call twice. */
  close(): Promise<void>;
}

/** What can be swapped when building the service (tests use a fake clock or a given store). */
export interface ServiceOptions {
  readonly logger: Logger;
  readonly adapters: readonly AdapterFactory[];
  readonly clock?: Clock;
  readonly store?: Store;
  readonly root?: string;
}

/**
 * The composition root: the question bank (a broken pack stops start-up with file, id
 * and field), the store (`REDIS_URL` set: Redis; unset: memory, with a warning), the
 * core, the platform adapters, the scheduler, and the HTTP server listening on `PORT`.
 */
export async function startService(config: Config, options: ServiceOptions): Promise<Service> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const bank = loadPack(join(options.root ?? process.cwd(), config.questionPack));
  logger.info({ items: bank.items.length, exam: bank.manifest.exam }, 'question pack loaded');
  if (!config.redisUrl && !options.store)
    logger.warn({}, 'REDIS_URL is not set: using the in-memory store (one process, nothing kept on restart)');
  const store =
    options.store ??
    (await createStore({ ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}), clock, logger }));
  const core = new StudyCore({ bank, store, clock, logger });
  const scheduler = new InProcessScheduler((job) => core.runJob(job), clock, logger);
  const router = new MessengerRouter();
  const server = createHttpServer({ store, logger });
  const adapters: PlatformAdapter[] = [];
  for (const factory of options.adapters) {
    const adapter = await factory({ core, store, clock, logger, config });
    if (!adapter) continue;
    adapter.mount(server);
    router.register(adapter.platform, adapter.messenger);
    adapters.push(adapter);
  }
  core.attach({ messenger: router, scheduler });
  for (const a of adapters) await a.start?.();
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${addr.port}`;
  logger.info({ url, platforms: adapters.map((a) => a.platform) }, 'study companion is listening');
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      scheduler.close();
      for (const a of adapters) await a.stop?.();
      await store.close();
    })();
    return closing;
  };
  return { core, store, server, adapters, scheduler, url, close };
}
