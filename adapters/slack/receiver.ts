import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, type Receiver, type ReceiverEvent, verifySlackRequest } from '@slack/bolt';
import type { Server } from 'restify';
import type { Clock, Logger, Store } from '../../src/core';
import { annotateRequest, requestLogger } from '../../src/http/request-context';
import { firstDelivery, repeated } from './dedupe';
import { tenantOf } from './identity';
import type { RequestContext } from './listeners';

/** Slack's own payloads are far smaller; anything bigger is refused before parsing. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Slack gives up after 3 s; answering a little earlier leaves room for the network. */
const ACK_DEADLINE_MS = 2500;
/** Requests more than 5 minutes off (either way) are refused, as Slack recommends. */
const MAX_SKEW_SECONDS = 300;

export const SLACK_EVENTS_PATH = '/slack/events';

type Outcome = { status: number; body?: string; type?: string };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the raw body, refusing more than `limit` bytes (413). */
async function readRaw(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'request body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new HttpError(413, 'request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Events arrive as JSON; commands and interactivity form-encoded (interactivity in a `payload` field). */
function parseBody(
  raw: string,
  contentType: string,
): { body: Record<string, unknown>; interactive: boolean } {
  let parsed: unknown;
  let interactive = false;
  try {
    if (contentType.includes('application/json')) parsed = JSON.parse(raw);
    else if (contentType.includes('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(raw);
      const payload = form.get('payload');
      interactive = payload !== null;
      parsed = payload !== null ? JSON.parse(payload) : Object.fromEntries(form);
    } else throw new HttpError(415, 'unsupported content type');
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'malformed body');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new HttpError(400, 'body is not an object');
  return { body: parsed as Record<string, unknown>, interactive };
}

/** `fn`, called at most once: later calls get the first call's promise. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= fn();
    return p;
  };
}

function send(res: ServerResponse, o: Outcome): void {
  if (res.headersSent) return;
  res.writeHead(o.status, { 'content-type': o.type ?? 'text/plain; charset=utf-8' });
  res.end(o.body ?? '');
}

/**
 * A Bolt {@link Receiver} mounted on the service's restify server at `POST /slack/events`
 * (events, interactivity and the slash command). Transport only: reads the raw body with
 * a size cap, verifies Slack's signature (401 for a bad or stale one, nothing
 * processed), answers `ssl_check` and `url_verification`, drops repeated deliveries,
 * hands the rest to `app.processEvent`, and answers as soon as the listener acks (or
 * after 2.5 s at the latest). Processing continues after the answer.
 */
export class RestifyReceiver implements Receiver {
  private app?: App;
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly options: {
      signingSecret: string;
      store: Store;
      clock: Clock;
      logger: Logger;
      bodyLimit?: number;
    },
  ) {}

  init(app: App): void {
    this.app = app;
  }

  /** The HTTP server belongs to the service: nothing to start. */
  async start(): Promise<void> {}

  /** Waits (up to 5 s) for work that was acknowledged but is still being processed. */
  async stop(): Promise<void> {
    const wait = Promise.allSettled([...this.inflight]);
    await Promise.race([wait, new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  /** Adds the route. A callback-style handler that calls `next(false)` once answered (see PITFALLS). */
  mount(server: Server): void {
    server.post(SLACK_EVENTS_PATH, (req, res, next) => {
      this.handle(req, res)
        .catch((err: unknown) => {
          requestLogger(this.options.logger, req).error({ err }, 'slack request failed');
          send(res, { status: 500, body: 'internal error' });
        })
        .finally(() => next(false));
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { store } = this.options;
    annotateRequest(req, { platform: 'slack' });
    const logger = requestLogger(this.options.logger, req);
    let raw: string;
    try {
      raw = await readRaw(req, this.options.bodyLimit ?? BODY_LIMIT_BYTES);
    } catch (err) {
      if (err instanceof HttpError) return send(res, { status: err.status, body: err.message });
      throw err;
    }
    const signature = String(req.headers['x-slack-signature'] ?? '');
    if (!this.verify(raw, signature, req.headers['x-slack-request-timestamp'])) {
      return send(res, { status: 401, body: 'invalid or stale signature' });
    }
    let parsed: ReturnType<typeof parseBody>;
    try {
      parsed = parseBody(raw, String(req.headers['content-type'] ?? ''));
    } catch (err) {
      if (err instanceof HttpError) return send(res, { status: err.status, body: err.message });
      throw err;
    }
    const { body, interactive } = parsed;
    // Signed, so the team id can be trusted: the request's log lines name the tenant from here on.
    const team = body.team_id ?? (body.team as { id?: unknown } | undefined)?.id;
    if (typeof team === 'string') annotateRequest(req, { tenant: tenantOf(team) });
    if (body.ssl_check === '1') return send(res, { status: 200 });
    if (body.type === 'url_verification') {
      return send(res, {
        status: 200,
        type: 'application/json',
        body: JSON.stringify({ challenge: body.challenge }),
      });
    }
    // A click's replay guard is claimed after the ack, by its listener (an answer's by the
    // core, in the round trip of its first reads); anything else is claimed here, first.
    const claim = () => firstDelivery(store, { body, signature, raw, interactive }, logger);
    if (body.type === 'block_actions') return this.dispatch(body, req, res, logger, once(claim));
    if (!(await claim())) {
      repeated(logger, body, req.headers['x-slack-retry-num']);
      return send(res, { status: 200 });
    }
    await this.dispatch(body, req, res, logger);
  }

  private verify(raw: string, signature: string, timestamp: string | string[] | undefined): boolean {
    const ts = Number(timestamp);
    if (!signature || !Number.isInteger(ts)) return false;
    const nowMs = this.options.clock.now().getTime();
    if (Math.abs(nowMs / 1000 - ts) > MAX_SKEW_SECONDS) return false;
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
        nowMilliseconds: nowMs,
      });
      return true;
    } catch {
      return false;
    }
  }

  /** Runs Bolt on the body; resolves once the HTTP answer is sent, not when processing ends. */
  private dispatch(
    body: Record<string, unknown>,
    req: IncomingMessage,
    res: ServerResponse,
    logger: Logger,
    firstDelivery?: () => Promise<boolean>,
  ): Promise<void> {
    const app = this.app;
    if (!app) throw new Error('RestifyReceiver used before App.init: build the App with this receiver');
    return new Promise<void>((answered) => {
      let acked = false;
      const answer = (response?: unknown) => {
        if (acked) return;
        acked = true;
        clearTimeout(deadline);
        if (response === undefined || response === '') send(res, { status: 200 });
        else if (typeof response === 'string') send(res, { status: 200, body: response });
        else send(res, { status: 200, type: 'application/json', body: JSON.stringify(response) });
        answered();
      };
      const deadline = setTimeout(() => {
        logger.warn({ type: body.type }, 'slack listener did not ack within 2.5 s: answered for it');
        answer();
      }, ACK_DEADLINE_MS);
      const retryNum = Number(req.headers['x-slack-retry-num']);
      const retryReason = req.headers['x-slack-retry-reason'];
      const event: ReceiverEvent = {
        body,
        ack: async (response?: unknown) => answer(response),
        // The listeners log through the request's logger (see listeners.ts).
        customProperties: { requestLogger: logger, firstDelivery } satisfies RequestContext,
        ...(Number.isInteger(retryNum) ? { retryNum } : {}),
        ...(typeof retryReason === 'string' ? { retryReason } : {}),
      };
      const work = app
        .processEvent(event)
        .catch((err: unknown) => logger.error({ err, type: body.type }, 'slack event processing failed'))
        .finally(() => {
          answer();
          this.inflight.delete(work);
        });
      this.inflight.add(work);
    });
  }
}
