import { join } from 'node:path';
import type { Server } from 'restify';
import type { Config } from './config';
import { type Clock, type Logger, type Scheduler, type Store, StudyCore, systemClock } from './core';
import { instrumentJobs } from './instrumented-jobs';
import { MessengerRouter } from './messenger-router';
import { Metrics } from './metrics';
import { loadPack } from './packs/load-pack';
import type { AdapterFactory, PlatformAdapter } from './platform-adapter';
import { createScheduling } from './schedule/engine';
import { createHttpServer } from './server';
import { createStore } from './store/create-store';
import { instrumentStore } from './store/instrumented-store';

/** A running service: what tests and `main` hold on to. */
export interface Service {
  readonly core: StudyCore;
  readonly store: Store;
  readonly server: Server;
  readonly adapters: readonly PlatformAdapter[];
  /** BullMQ when `REDIS_URL` is set, else in-process timers. */
  readonly scheduler: Scheduler;
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
  /** The metrics `/metrics` serves; default: a fresh registry for this service. */
  readonly metrics?: Metrics;
}

/**
 * The composition root: the question bank (a broken pack stops start-up with file, id
 * and field), the store (`REDIS_URL` set: Redis; unset: memory, with a warning), the
 * core, the platform adapters, the scheduler, and the HTTP server listening on `PORT`.
 */
export async function startService(config: Config, options: ServiceOptions): Promise<Service> {
  const logger = options.logger;
  const metrics = options.metrics ?? new Metrics();
  const clock = options.clock ?? systemClock;
  const bank = loadPack(join(options.root ?? process.cwd(), config.questionPack));
  logger.info({ items: bank.items.length, exam: bank.manifest.exam }, 'question pack loaded');
  if (!config.redisUrl && !options.store)
    logger.warn({}, 'REDIS_URL is not set: using the in-memory store (one process, nothing kept on restart)');
  const store = instrumentStore(
    options.store ??
      (await createStore({ ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}), clock, logger })),
    metrics,
  );
  const rate = config.userRate;
  const core = new StudyCore({
    bank,
    store,
    clock,
    logger,
    options: {
      ...(rate?.burst !== undefined ? { userBurst: rate.burst } : {}),
      ...(rate?.perSecond !== undefined ? { userPerSecond: rate.perSecond } : {}),
    },
  });
  const jobs = instrumentJobs((job) => core.runJob(job), metrics);
  const scheduling = createScheduling({
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    ...(config.schedule ? { config: config.schedule } : {}),
    run: (job) => jobs.run(job),
    store,
    clock,
    logger,
  });
  const { scheduler } = scheduling;
  const router = new MessengerRouter();
  const server = createHttpServer({ store, logger, metrics });
  const adapters: PlatformAdapter[] = [];
  for (const factory of options.adapters) {
    const adapter = await factory({ core, store, clock, logger, config, metrics });
    if (!adapter) continue;
    adapter.mount(server);
    router.register(adapter.platform, scheduling.wrap(adapter.platform, adapter.messenger));
    adapters.push(adapter);
  }
  core.attach({ messenger: router, scheduler });
  await scheduling.start();
  for (const a of adapters) await a.start?.();
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${addr.port}`;
  logger.info({ url, platforms: adapters.map((a) => a.platform) }, 'study companion is listening');
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // Intake stops at once; requests in flight finish, then jobs, then adapters' own work.
      const drained = server.drain.close();
      logger.info({ inFlight: server.drain.inFlight, jobs: jobs.running }, 'draining: no new connections');
      await drained;
      await scheduling.close();
      await jobs.idle();
      for (const a of adapters) await a.stop?.();
      await store.close();
      logger.info({}, 'stopped');
    })();
    return closing;
  };
  return { core, store, server, adapters, scheduler, url, close };
}
