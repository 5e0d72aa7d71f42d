import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that reached the fake: a Web API method, or a `response_url` post (`respond`). */
export interface RecordedCall {
  readonly method: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded payloads are inspected freely by tests
  readonly body: Record<string, any>;
  readonly token?: string;
  /** 429 when the fake answered "rate limited" to this attempt. */
  readonly status: number;
  /** What the fake answered (e.g. the `ts` of a posted message). */
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely by tests
  readonly response?: Record<string, any>;
  readonly at: number;
}

/** A Slack user as `users.info` returns it. */
export interface FakeUser {
  name?: string;
  real_name?: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

const JSON_FIELDS = new Set(['blocks', 'metadata', 'view', 'attachments']);

/** Form-encoded Web API bodies carry `blocks` and friends as JSON strings: decoded for assertions. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = JSON_FIELDS.has(k) && /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

/**
 * A local stand-in for the Slack Web API and for `response_url`s. It records every call
 * (form or JSON bodies, the bearer token), answers the methods the adapter uses, and can
 * fail a channel (`not_in_channel`), answer one 429 with `Retry-After`, or fail the next calls
 * to a method with 5xx or 429 (`failNext`).
 */
export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly users = new Map<string, FakeUser>();
  private readonly failures = new Map<string, string>();
  private readonly rateLimits = new Map<string, number>();
  private readonly failing = new Map<string, Array<{ status: number; retryAfter?: number }>>();
  private ts = 1_700_000_000;
  /** Top-level messages posted, newest first (what conversations.history reads). */
  readonly history: Array<{ channel: string; ts: string; metadata?: unknown }> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeSlackApi> {
    const server = createServer();
    const fake = new FakeSlackApi(server);
    server.on('request', (req, res) => {
      fake.handle(req, res).catch(() => {
        res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What goes into `config.slack.apiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A `response_url` that lands on this fake. */
  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  /** Makes `method` fail with Slack error `error` for one channel (every time). */
  fail(method: string, channel: string, error: string): void {
    this.failures.set(`${method}:${channel}`, error);
  }

  /** The next call to `method` gets a 429 with `Retry-After: seconds`. */
  rateLimitOnce(method: string, seconds: number): void {
    this.rateLimits.set(method, seconds);
  }

  /**
   * The next calls to `method` (a Web API method, or `respond` for response URLs) get
   * these HTTP statuses, one each, in order: 5xx, or 429 with `Retry-After: retryAfter`.
   */
  failNext(method: string, ...answers: Array<{ status: number; retryAfter?: number }>): void {
    this.failing.set(method, [...(this.failing.get(method) ?? []), ...answers]);
  }

  /** Answers the call with the next queued failure for `method`, if any. */
  private failed(
    method: string,
    body: Record<string, unknown>,
    res: ServerResponse,
    token?: string,
  ): boolean {
    const f = this.failing.get(method)?.shift();
    if (!f) return false;
    this.calls.push({ method, body, ...(token ? { token } : {}), status: f.status, at: Date.now() });
    res.writeHead(f.status, {
      'content-type': 'application/json',
      ...(f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {}),
    });
    res.end(JSON.stringify({ ok: false, error: f.status === 429 ? 'ratelimited' : 'fatal_error' }));
    return true;
  }

  /** Successful calls to a method (or `respond`). */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200);
  }

  /** Polls until `predicate` holds on the recorded calls; fails after `timeoutMs`. */
  async waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = parseBody(raw, String(req.headers['content-type'] ?? ''));
    const path = req.url ?? '/';
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (path.startsWith('/upload/')) {
      this.calls.push({
        method: 'upload',
        body: { fileId: path.slice(8), content: raw },
        status: 200,
        at: Date.now(),
      });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${raw.length}`);
      return;
    }
    if (path.startsWith('/respond/')) {
      if (this.failed('respond', { ...body, responseId: path.slice(9) }, res)) return;
      this.calls.push({
        method: 'respond',
        body: { ...body, responseId: path.slice(9) },
        status: 200,
        at: Date.now(),
      });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    const method = path.replace(/^\/api\//, '').split('?')[0] ?? '';
    if (this.failed(method, body, res, token)) return;
    const limited = this.rateLimits.get(method);
    if (limited !== undefined) {
      this.rateLimits.delete(method);
      this.calls.push({ method, body, ...(token ? { token } : {}), status: 429, at: Date.now() });
      res.writeHead(429, { 'retry-after': String(limited), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const response = this.answer(method, body);
    this.calls.push({ method, body, ...(token ? { token } : {}), status: 200, response, at: Date.now() });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(response));
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const failure = this.failures.get(`${method}:${String(body.channel)}`);
    if (failure) return { ok: false, error: failure };
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0', user: 'study_companion' };
      case 'users.info': {
        const id = String(body.user);
        const u = this.users.get(id) ?? {};
        const name = u.name ?? id.toLowerCase();
        return {
          ok: true,
          user: {
            id,
            name,
            real_name: u.real_name ?? name.toUpperCase(),
            tz: u.tz ?? 'Europe/Paris',
            is_admin: !!u.is_admin,
            is_owner: !!u.is_owner,
            profile: {},
          },
        };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users)}` } };
      case 'chat.postMessage': {
        this.ts += 1;
        const ts = `${this.ts}.000100`;
        const metadata = typeof body.metadata === 'string' ? JSON.parse(body.metadata) : body.metadata;
        if (!body.thread_ts)
          this.history.unshift({ channel: String(body.channel), ts, ...(metadata ? { metadata } : {}) });
        return { ok: true, channel: body.channel, ts, message: { text: body.text } };
      }
      case 'conversations.history': {
        // Newest first, metadata only when asked for, as Slack does.
        const all = body.include_all_metadata === true || body.include_all_metadata === 'true';
        const messages = this.history
          .filter((m) => m.channel === String(body.channel))
          .slice(0, Number(body.limit ?? 100))
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            ...(all && m.metadata ? { metadata: m.metadata } : {}),
          }));
        return { ok: true, messages, has_more: false };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.ts}.000200` };
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${this.url}/upload/F${this.ts}`, file_id: `F${this.ts}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: [{ id: 'F1', title: body.files }] };
      case 'views.publish':
        return { ok: true, view: { id: 'V1' } };
      default:
        return { ok: true };
    }
  }
}
