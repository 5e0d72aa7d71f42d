import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Pooled connections to Slack (and the response_urls), reused across calls. */
const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true }),
};

/** Statuses whose responses have no body (a `Response` refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * `fetch` for the Slack clients and `respond`, on Node's own `http`/`https` with
 * keep-alive agents. The calls they make — a POST of a string body with plain header
 * objects, an optional abort signal, `redirect: 'error'` — cost well under half the
 * CPU of the built-in `fetch`, whose stream machinery was the largest single cost of
 * an answer click (docs/benchmarks.md). Anything else (form data, streams, a `Request`)
 * goes to the built-in `fetch` unchanged.
 */
export function keepAliveFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const body = init?.body;
  const headers = init?.headers;
  const plainHeaders =
    headers === undefined ||
    (typeof headers === 'object' && !Array.isArray(headers) && !(headers instanceof Headers));
  if (
    input instanceof Request ||
    (body !== undefined && body !== null && typeof body !== 'string') ||
    !plainHeaders ||
    (init?.redirect !== undefined && init.redirect !== 'error')
  )
    return fetch(input, init);
  const url = new URL(input);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return fetch(input, init);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init?.method ?? 'GET',
        headers: headers as Record<string, string> | undefined,
        agent,
        ...(init?.signal ? { signal: init.signal } : {}),
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          reject(new TypeError(`fetch failed: redirect to ${res.headers.location ?? '?'} refused`));
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') out.set(name, value);
            else if (Array.isArray(value)) for (const v of value) out.append(name, v);
          }
          const init = { status, statusText: res.statusMessage ?? '', headers: out };
          resolve(new BufferedResponse(init, NULL_BODY.has(status) ? null : Buffer.concat(chunks)).response);
        });
      },
    );
    // As fetch does: a failure is a TypeError whose cause carries the code (ECONNREFUSED…).
    req.on('error', (err) =>
      reject(init?.signal?.aborted ? err : Object.assign(new TypeError('fetch failed'), { cause: err })),
    );
    req.end(body ?? undefined);
  });
}

/** `Response` as a base class: the DOM typings declare its methods as fields, which a subclass cannot override. */
const ResponseBase = Response as unknown as new (
  body: null,
  init: ResponseInit,
) => { readonly headers: Headers };

/**
 * A `Response` over a body already in memory. The built-in one wraps any body in a web
 * `ReadableStream` (and `clone()` tees it): for the small JSON answers of Slack, that was
 * about 5 % of the CPU of an answer click. This one is a real `Response` (null body)
 * whose reading methods serve the buffer; `body` is a stream made only when asked for.
 * Its methods live on the class: defining them on each instance cost 20 µs a response
 * (the instance's shape changed once per property), 2 µs this way.
 */
class BufferedResponse extends ResponseBase {
  readonly #init: ResponseInit;
  readonly #buf: Buffer | null;
  #used = false;

  constructor(init: ResponseInit, buf: Buffer | null) {
    super(null, init);
    this.#init = init;
    this.#buf = buf;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#buf ? new Response(this.#buf).body : null;
  }

  async #take(): Promise<Buffer> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#buf ?? Buffer.alloc(0);
  }

  async text(): Promise<string> {
    return (await this.#take()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse((await this.#take()).toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(await this.#take()).buffer;
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.#take());
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.#take()], { type: this.headers.get('content-type') ?? '' });
  }

  clone(): Response {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.#init, this.#buf).response;
  }

  /** This, as the `Response` it is (the DOM typings declare Response's members as fields). */
  get response(): Response {
    return this as unknown as Response;
  }
}
