import type { Server } from 'restify';
import type { Config } from './config';
import type { Clock, Logger, Messenger, Platform, Store, StudyCore } from './core';

/** What a platform adapter is given: the core and the shared ports. */
export interface AdapterDeps {
  readonly core: StudyCore;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: Config;
  /** Counts failed and rate-limited platform API calls; absent: not counted. */
  readonly metrics?: PlatformApiMetrics;
}

/**
 * What an adapter reports about its outgoing API calls (Slack Web API, Bot Connector).
 * `method` is the API method or call name; `code` the platform's error code, the HTTP
 * status, or `network`. Both must come from a small fixed set: they become metric labels.
 */
export interface PlatformApiMetrics {
  apiError(platform: Platform, method: string, code: string): void;
  /** A 429; the call is retried after Retry-After. */
  rateLimited(platform: Platform, method: string): void;
}

/**
 * A chat platform plugged into the service: it mounts its routes on the restify
 * server, offers a {@link Messenger} for outgoing messages, and may hold connections
 * (Socket Mode) that start and stop with the service.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  readonly messenger: Messenger;
  mount(server: Server): void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** Builds an adapter, or returns undefined when its platform is not configured. */
export type AdapterFactory = (
  deps: AdapterDeps,
) => PlatformAdapter | undefined | Promise<PlatformAdapter | undefined>;
