import { request } from 'node:http';
import { createSlackAdapter } from '../../adapters/slack';
import { BODY_LIMIT_BYTES as SLACK_BODY_LIMIT } from '../../adapters/slack/receiver';
import { createTeamsAdapter } from '../../adapters/teams';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/core';
import { BODY_LIMIT_BYTES } from '../../src/http/body-limit';
import { type Service, startService } from '../../src/service';
import { FakeSlackApi } from '../slack/fake-slack-api';
import {
  blockText,
  send,
  slackConfig,
  slashCommand,
  startSlackService,
  uniqueTeam,
} from '../slack/slack-harness';
import { scrape, seriesValue } from './scrape';

/**
 * Sends `size` bytes to `path` and resolves with the status: with `Content-Length`
 * declared, or chunked (no length, so the server only learns the size by reading).
 */
function sendBody(
  baseUrl: string,
  method: string,
  path: string,
  size: number,
  mode: 'declared' | 'chunked',
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(mode === 'declared' ? { 'content-length': String(size) } : { 'transfer-encoding': 'chunked' }),
      },
    });
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    // A server that answers before the whole body is sent may close the socket under us.
    req.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let left = size;
    const pump = () => {
      while (left > 0) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= part.length;
        if (!req.write(part)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('request body limit', () => {
  let fake: FakeSlackApi;
  let service: Service;

  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    service = await startService(slackConfig(fake), {
      logger: silentLogger,
      adapters: [createSlackAdapter, createTeamsAdapter],
    });
  });

  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  const routes = [
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['GET', '/metrics'],
    ['POST', '/slack/events'],
    ['POST', '/api/messages'],
  ] as const;

  it('is 1 MiB everywhere, the same constant the Slack route reads with', () => {
    expect(BODY_LIMIT_BYTES).toBe(1024 * 1024);
    expect(SLACK_BODY_LIMIT).toBe(BODY_LIMIT_BYTES);
  });

  it('refuses a declared body over 1 MiB with 413 on every route, before reading it', async () => {
    for (const [method, path] of routes) {
      const status = await sendBody(service.url, method, path, BODY_LIMIT_BYTES + 1, 'declared');
      expect([method, path, status]).toEqual([method, path, 413]);
    }
    const text = await scrape(service.url);
    for (const [method, path] of routes)
      expect(seriesValue(text, 'sc_http_requests_total', { route: path, method, status: '413' })).toBe(1);
  });

  it('lets exactly 1 MiB through to the route (which then judges it)', async () => {
    expect(await sendBody(service.url, 'GET', '/healthz', BODY_LIMIT_BYTES, 'declared')).toBe(200);
    // Unsigned, so Slack's route refuses it: but for its signature, not its size.
    expect(await sendBody(service.url, 'POST', '/slack/events', BODY_LIMIT_BYTES, 'declared')).toBe(401);
  });

  it('refuses chunked bodies where they are read: over 1 MiB on Slack, over 256 KiB on Teams', async () => {
    expect(await sendBody(service.url, 'POST', '/slack/events', BODY_LIMIT_BYTES + 1, 'chunked')).toBe(413);
    expect(await sendBody(service.url, 'POST', '/api/messages', 256 * 1024 + 1, 'chunked')).toBe(413);
  });
});

describe('per-user command rate limit', () => {
  it('reads USER_RATE_BURST and USER_RATE_PER_SECOND, and leaves the core defaults when unset', () => {
    expect(loadConfig({ USER_RATE_BURST: '3', USER_RATE_PER_SECOND: '0.25' }).userRate).toEqual({
      burst: 3,
      perSecond: 0.25,
    });
    expect(loadConfig({}).userRate).toEqual({});
    expect(() => loadConfig({ USER_RATE_BURST: '0' })).toThrow(/USER_RATE_BURST/);
    expect(() => loadConfig({ USER_RATE_PER_SECOND: '-1' })).toThrow(/USER_RATE_PER_SECOND/);
  });

  it('holds a user to the configured burst, and only that user', async () => {
    const fake = await FakeSlackApi.start();
    const service = await startSlackService(fake, { userRate: { burst: 2, perSecond: 0.001 } });
    try {
      const team = uniqueTeam();
      const help = (user: string) =>
        slashCommand(fake, { team, user, channel: `D${user}`, channelName: 'directmessage', text: 'help' });
      const answerTo = async (cmd: ReturnType<typeof help>) => {
        expect((await send(service, cmd)).status).toBe(200);
        const id = new URLSearchParams(cmd.body).get('response_url')?.split('/').pop();
        const reply = await fake.waitFor('reply', () =>
          fake.callsTo('respond').find((c) => c.body.responseId === id),
        );
        return blockText(reply.body.blocks) + String(reply.body.text);
      };
      expect(await answerTo(help('URATE1'))).not.toContain('Whoa');
      expect(await answerTo(help('URATE1'))).not.toContain('Whoa');
      expect(await answerTo(help('URATE1'))).toContain('Whoa');
      expect(await answerTo(help('URATE2'))).not.toContain('Whoa');
    } finally {
      await service.close();
      await fake.close();
    }
  });
});
