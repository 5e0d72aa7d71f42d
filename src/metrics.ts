import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Platform, RecordResult } from './core';
import type { PlatformApiMetrics } from './platform-adapter';

/** Latency buckets in seconds: Slack wants an answer within 3 s, so the detail sits below that. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics, in a registry of its own (never prom-client's
 * global one, so several services can run in one process, as tests do). Served at
 * `GET /metrics`; docs/operations.md lists them.
 */
export class Metrics implements PlatformApiMetrics {
  readonly registry = new Registry();

  /** HTTP requests by route (the route pattern, `unmatched` for 404s), method and status. */
  readonly httpRequests = new Counter({
    name: 'sc_http_requests_total',
    help: 'HTTP requests answered, by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'sc_http_request_duration_seconds',
    help: 'Time from a request arriving to its response being sent, by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** One per `recordAnswer`: a first attempt (points possible), a later one, or a repeat of the same attempt. */
  readonly answers = new Counter({
    name: 'sc_answers_recorded_total',
    help: 'Answers recorded by the store: outcome first_attempt | later_attempt | duplicate, and whether correct.',
    labelNames: ['outcome', 'correct'] as const,
    registers: [this.registry],
  });

  readonly storeErrors = new Counter({
    name: 'sc_store_errors_total',
    help: 'Store calls that failed (on Redis: command errors, timeouts, lost connections), by operation.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly redisConnectionErrors = new Counter({
    name: 'sc_redis_connection_errors_total',
    help: 'Errors reported by the Redis connection of the store (refused, reset, reconnecting).',
    registers: [this.registry],
  });

  readonly jobsRun = new Counter({
    name: 'sc_jobs_run_total',
    help: 'Scheduled jobs run by this replica (daily posts, reveals, reminders, …), by job name.',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  readonly jobsFailed = new Counter({
    name: 'sc_jobs_failed_total',
    help: 'Scheduled jobs that threw, by job name (BullMQ retries them with backoff).',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'sc_job_duration_seconds',
    help: 'Run time of scheduled jobs, by job name.',
    labelNames: ['job'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly platformApiErrors = new Counter({
    name: 'sc_platform_api_errors_total',
    help: 'Failed calls to a platform API (Slack Web API, Bot Connector), by platform, method and error code or HTTP status.',
    labelNames: ['platform', 'method', 'code'] as const,
    registers: [this.registry],
  });

  readonly platformRateLimited = new Counter({
    name: 'sc_platform_rate_limited_total',
    help: 'Platform API calls answered 429 (retried after Retry-After), by platform and method.',
    labelNames: ['platform', 'method'] as const,
    registers: [this.registry],
  });

  /**
   * @param options.processMetrics also collect Node's process metrics (CPU, memory, event
   *   loop lag, GC). They start monitors that live as long as the process, so only the
   *   real service turns them on, not tests that start many services.
   */
  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts the outcome of one `Store.recordAnswer`. */
  answerRecorded(correct: boolean, result: RecordResult): void {
    const outcome =
      result.status === 'already-answered'
        ? 'duplicate'
        : result.firstAttempt
          ? 'first_attempt'
          : 'later_attempt';
    this.answers.inc({ outcome, correct: String(correct) });
  }

  apiError(platform: Platform, method: string, code: string): void {
    this.platformApiErrors.inc({ platform, method, code });
  }

  rateLimited(platform: Platform, method: string): void {
    this.platformRateLimited.inc({ platform, method });
  }

  /** The text exposition format, for `GET /metrics`. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
