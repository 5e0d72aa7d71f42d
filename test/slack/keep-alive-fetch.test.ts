import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveFetch } from '../../adapters/slack/keep-alive-fetch';

/** A local server that answers by path: echo, 204, redirect, slow, two cookies. */
let server: Server;
let base: string;
const seen: Array<{ method?: string; type?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method, type: req.headers['content-type'], body });
      switch (req.url) {
        case '/echo':
          res.writeHead(429, 'Too Many', { 'content-type': 'application/json', 'retry-after': '7' });
          res.end(JSON.stringify({ got: body }));
          return;
        case '/empty':
          res.writeHead(204);
          res.end();
          return;
        case '/moved':
          res.writeHead(302, { location: 'https://elsewhere.example' });
          res.end();
          return;
        case '/cookies':
          res.setHeader('set-cookie', ['a=1', 'b=2']);
          res.end('ok');
          return;
        case '/slow':
          setTimeout(() => res.end('late'), 2000);
          return;
        default:
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`form ${body.length > 0}`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('keepAliveFetch', () => {
  it('posts a string body with its headers and hands back status, headers and body', async () => {
    const res = await keepAliveFetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"text":"héllo"}',
    });
    expect(seen.at(-1)).toEqual({ method: 'POST', type: 'application/json', body: '{"text":"héllo"}' });
    expect([res.status, res.statusText, res.ok]).toEqual([429, 'Too Many', false]);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ got: '{"text":"héllo"}' });
  });

  it('reads its body as fetch does: once, by any method, from a clone too, or as a stream', async () => {
    const post = () => keepAliveFetch(`${base}/echo`, { method: 'POST', body: 'é' });
    const res = await post();
    expect(res).toBeInstanceOf(Response);
    const copy = res.clone();
    expect(res.bodyUsed).toBe(false);
    expect(await res.text()).toBe('{"got":"é"}');
    expect(res.bodyUsed).toBe(true);
    await expect(res.json()).rejects.toThrow(TypeError);
    expect(() => res.clone()).toThrow(TypeError);
    expect(new TextDecoder().decode(await copy.arrayBuffer())).toBe('{"got":"é"}');
    expect(await (await post()).blob()).toMatchObject({ type: 'application/json', size: 12 });
    const streamed = (await post()).body as ReadableStream<Uint8Array>;
    expect(await new Response(streamed).json()).toEqual({ got: 'é' });
  });

  it('keeps repeated headers and gives a 204 no body', async () => {
    const cookies = await keepAliveFetch(`${base}/cookies`);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const empty = await keepAliveFetch(`${base}/empty`, { method: 'POST', body: 'x' });
    expect([empty.status, await empty.text()]).toEqual([204, '']);
  });

  it('refuses a redirect, honours an abort signal, and fails like fetch when nobody listens', async () => {
    await expect(keepAliveFetch(`${base}/moved`, { method: 'POST', redirect: 'error' })).rejects.toThrow(
      /redirect/,
    );
    await expect(keepAliveFetch(`${base}/slow`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const refused = await keepAliveFetch('http://127.0.0.1:1/', { method: 'POST', body: '' }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });

  it('leaves other bodies (form data) to the built-in fetch', async () => {
    const form = new FormData();
    form.set('file', new Blob(['content']), 'a.txt');
    const res = await keepAliveFetch(`${base}/form`, { method: 'POST', body: form });
    expect(await res.text()).toBe('form true');
    expect(seen.at(-1)?.type).toMatch(/^multipart\/form-data/);
  });
});
