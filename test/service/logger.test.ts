import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';

/** Logs each field set at info and returns the parsed lines. */
function logged(...fields: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('info', { destination: destination as never });
  for (const f of fields) logger.info(f, 'test');
  return lines.map((l) => JSON.parse(l));
}

describe('logger', () => {
  it('censors secret fields one level down, and the secret headers of any field', () => {
    const [line] = logged({
      slack: { token: 'xoxb-1', botToken: 'b', signingSecret: 's', appPassword: 'p', keep: 1 },
      req: { headers: { authorization: 'Bearer t', 'x-slack-signature': 'v0=1', host: 'h' }, url: '/x' },
      top: 'kept',
      deep: { inner: { token: 'kept: two levels down' } },
    });
    expect(line).toMatchObject({
      slack: {
        token: '[redacted]',
        botToken: '[redacted]',
        signingSecret: '[redacted]',
        appPassword: '[redacted]',
        keep: 1,
      },
      req: { headers: { authorization: '[redacted]', 'x-slack-signature': '[redacted]', host: 'h' } },
      top: 'kept',
      deep: { inner: { token: 'kept: two levels down' } },
    });
  });

  it('censors a copy: the logged objects, errors included, are left as they were', () => {
    const err = Object.assign(new Error('boom', { cause: new Error('root') }), {
      token: 'secret',
      headers: Object.freeze({ authorization: 'Bearer t' }),
    });
    const frozen = Object.freeze({ token: 'frozen' });
    const [line] = logged({ err, frozen });
    expect(line?.['err']).toMatchObject({
      type: 'Error',
      message: 'boom: root',
      token: '[redacted]',
      headers: { authorization: '[redacted]' },
    });
    expect(line?.['frozen']).toEqual({ token: '[redacted]' });
    expect(err.token).toBe('secret');
    expect(err.headers.authorization).toBe('Bearer t');
  });

  it('hashes user ids, also inside actor', () => {
    const [line] = logged({ userId: 'U123', actor: { userId: 'U123', token: 't' }, route: '/api/messages' });
    expect(line?.['userId']).toMatch(/^u_[0-9a-f]{12}$/);
    expect(line?.['actor']).toEqual({ userId: line?.['userId'], token: '[redacted]' });
    expect(line?.['route']).toBe('/api/messages');
  });
});
