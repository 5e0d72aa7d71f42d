import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Connector. */
export interface ConnectorCall {
  readonly method: string;
  /** Decoded path, e.g. `/v3/conversations/19:abc@thread.tacv2/activities/act-1`. */
  readonly path: string;
  readonly kind: 'send' | 'reply' | 'update' | 'create' | 'other';
  readonly conversationId?: string;
  /** The reply-to id (reply) or the edited activity id (update). */
  readonly activityId?: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
}

/**
 * A local fake of the Bot Framework Connector service: records
 * `POST /v3/conversations/{id}/activities`, `POST …/activities/{replyToId}`,
 * `PUT …/activities/{id}` and `POST /v3/conversations` (ids arrive URL-encoded), and
 * can answer the next calls with an error (429 with Retry-After, 5xx, 403).
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private server?: Server;
  private seq = 0;
  private failures: Array<{
    status: number;
    retryAfter?: number;
    match?: (c: Omit<ConnectorCall, 'status'>) => boolean;
  }> = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The next matching call is answered `status` (e.g. 429 with Retry-After in seconds). */
  failNext(
    status: number,
    options: { retryAfter?: number; match?: (c: Omit<ConnectorCall, 'status'>) => boolean } = {},
  ): void {
    this.failures.push({ status, ...options });
  }

  /** Successful calls of a kind, optionally in one conversation. */
  ok(kind?: ConnectorCall['kind'], conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) =>
        c.status < 300 &&
        (!kind || c.kind === kind) &&
        (!conversationId || c.conversationId === conversationId),
    );
  }

  /** Polls until `find` returns something, or fails after `timeoutMs`. */
  async waitFor<T>(find: () => T | undefined | false, timeoutMs = 3000, what = 'connector call'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; calls so far:\n${this.calls.map((c) => `${c.status} ${c.method} ${c.path}`).join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const rawPath = (req.url ?? '/').split('?')[0] as string;
    const parts = rawPath.split('/').filter(Boolean).map(decodeURIComponent);
    const path = `/${parts.join('/')}`;
    let kind: ConnectorCall['kind'] = 'other';
    let conversationId: string | undefined;
    let activityId: string | undefined;
    if (parts[0] === 'v3' && parts[1] === 'conversations') {
      conversationId = parts[2];
      activityId = parts[4];
      if (parts.length === 2 && req.method === 'POST') kind = 'create';
      else if (parts[3] === 'activities' && req.method === 'POST') kind = activityId ? 'reply' : 'send';
      else if (parts[3] === 'activities' && req.method === 'PUT') kind = 'update';
    }
    const call = {
      method: req.method ?? 'GET',
      path,
      kind,
      ...(conversationId ? { conversationId } : {}),
      ...(activityId ? { activityId } : {}),
      body,
    };
    const i = this.failures.findIndex((f) => !f.match || f.match(call));
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1);
      this.calls.push({ ...call, status: f!.status });
      res.writeHead(f!.status, {
        'content-type': 'application/json',
        ...(f!.retryAfter !== undefined ? { 'retry-after': String(f!.retryAfter) } : {}),
      });
      res.end(
        JSON.stringify({
          error: { code: f!.status === 429 ? 'Throttled' : 'Failed', message: 'fake failure' },
        }),
      );
      return;
    }
    this.calls.push({ ...call, status: 200 });
    const id =
      kind === 'create'
        ? `a:dm-${String((body.members as Array<{ id: string }> | undefined)?.[0]?.id ?? 'x')}`
        : kind === 'update'
          ? activityId
          : `act-${++this.seq}`;
    res.writeHead(kind === 'create' ? 201 : 200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        kind === 'create' ? { id, activityId: `act-${++this.seq}`, serviceUrl: this.url } : { id },
      ),
    );
  }
}

/** The Adaptive Card inside a recorded message activity. */
export function cardOf(call: { body: Record<string, unknown> }): Record<string, unknown> {
  const attachments = call.body.attachments as Array<{ content: Record<string, unknown> }> | undefined;
  const card = attachments?.[0]?.content;
  if (!card) throw new Error(`no card in ${JSON.stringify(call.body).slice(0, 300)}`);
  return card;
}
