import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One prepared click: the platform request, and how its feedback is recognised. */
export interface Click {
  /** Path on the bot, e.g. `/slack/events` or `/api/messages`. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /**
   * Slack: the id of the `response_url` that the feedback is posted to (the click is done
   * when that post reaches the fake). Absent (Teams): the bot's HTTP answer is the feedback.
   */
  readonly feedbackId?: string;
}

/** Sorts a feedback body into a label (e.g. `feedback`, `rate-limited`), counted per run. */
export type Classify = (body: unknown) => string;

const FEEDBACK_TIMEOUT_MS = 30_000;

/**
 * What autocannon talks to: each request it sends takes the next prepared click, sends it
 * to the bot, and is answered 200 only once the click's feedback has reached the fake
 * platform API (or the bot's HTTP answer, for Teams), 502 otherwise. So autocannon's
 * throughput counts clicks whose feedback arrived, its latency is click-to-feedback, and
 * every connection waits for its feedback before clicking again (a closed loop, as users
 * are). The same gateway serves the baseline and the service, so its own cost is the
 * same on both sides.
 */
export class ClickGateway {
  private server?: Server;
  private clicks: readonly Click[] = [];
  private next = 0;
  private target = '';
  private classify: Classify = () => 'ok';
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly waiting = new Map<string, (body: unknown) => void>();
  /** Labels of the feedback seen in the current run. */
  counts: Record<string, number> = {};

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.one().then(
          (label) => {
            this.counts[label] = (this.counts[label] ?? 0) + 1;
            res.writeHead(200);
            res.end();
          },
          (err: Error) => {
            this.counts[`error: ${err.message}`] = (this.counts[`error: ${err.message}`] ?? 0) + 1;
            res.writeHead(502);
            res.end();
          },
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Prepares a run: the bot's base URL, the clicks in order, and how feedback is labelled. */
  load(target: string, clicks: readonly Click[], classify: Classify): void {
    this.target = target;
    this.clicks = clicks;
    this.next = 0;
    this.classify = classify;
    this.counts = {};
  }

  /** Clicks taken so far in this run. */
  get used(): number {
    return this.next;
  }

  /** To be called by the fake platform when a `response_url` post arrives. */
  feedback(id: string, body: unknown): void {
    const resolve = this.waiting.get(id);
    if (resolve) {
      this.waiting.delete(id);
      resolve(body);
    }
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private async one(): Promise<string> {
    const click = this.clicks[this.next++];
    if (!click) throw new Error('ran out of prepared clicks: raise BENCH_CLICKS');
    const feedback = click.feedbackId ? this.feedbackFor(click.feedbackId) : undefined;
    try {
      const answer = await this.post(click);
      if (answer.status !== 200) throw new Error(`bot answered ${answer.status}`);
      return this.classify(feedback ? await feedback.arrived : answer.body);
    } finally {
      // A click that failed (the bot reset the connection, answered an error) waits no more.
      feedback?.cancel();
    }
  }

  /** The feedback of click `id`: a promise (rejected after 30 s without it), and a way to stop waiting. */
  private feedbackFor(id: string): { arrived: Promise<unknown>; cancel(): void } {
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<unknown>((resolve, reject) => {
      timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error('no feedback within 30 s'));
      }, FEEDBACK_TIMEOUT_MS);
      this.waiting.set(id, (body) => {
        clearTimeout(timer);
        resolve(body);
      });
    });
    return {
      arrived,
      cancel: () => {
        clearTimeout(timer);
        this.waiting.delete(id);
      },
    };
  }

  private post(click: Click): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(click.path, this.target),
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...click.headers, 'content-length': Buffer.byteLength(click.body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(click.body);
    });
  }
}
