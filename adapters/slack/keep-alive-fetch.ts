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
          resolve(bufferedResponse(init, NULL_BODY.has(status) ? null : Buffer.concat(chunks)));
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

/**
 * A `Response` over a body already in memory. The built-in one wraps any body in a web
 * `ReadableStream` (and `clone()` tees it): for the small JSON answers of Slack, that was
 * about 5 % of the CPU of an answer click. This one is a real `Response` (null body)
 * whose reading methods serve the buffer; `body` is a stream made only when asked for.
 */
function bufferedResponse(init: ResponseInit, buf: Buffer | null): Response {
  const res = new Response(null, init);
  let used = false;
  const take = async (): Promise<Buffer> => {
    if (used) throw new TypeError('Body is unusable: Body has already been read');
    used = true;
    return buf ?? Buffer.alloc(0);
  };
  Object.defineProperties(res, {
    bodyUsed: { get: () => used },
    body: { get: () => (buf ? new Response(buf).body : null) },
    text: { value: async () => (await take()).toString('utf8') },
    json: { value: async () => JSON.parse((await take()).toString('utf8')) },
    arrayBuffer: { value: async () => new Uint8Array(await take()).buffer },
    bytes: { value: async () => new Uint8Array(await take()) },
    blob: { value: async () => new Blob([await take()], { type: res.headers.get('content-type') ?? '' }) },
    clone: {
      value: () => {
        if (used) throw new TypeError('Response.clone: Body has already been consumed.');
        return bufferedResponse(init, buf);
      },
    },
  });
  return res;
}
