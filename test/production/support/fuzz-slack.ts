import type { FakeSlackApi } from '../../slack/fake-slack-api';
import { blockAction, eventCallback, sign, slashCommand } from '../../slack/slack-harness';
import { fuzzString, mutate, NASTY_STRINGS, wrongType } from './mutate';
import type { Prng } from './prng';

/** One request to `POST /slack/events`, and the statuses it may get. */
export interface SlackFuzzCase {
  readonly kind: string;
  readonly body: string | Buffer;
  readonly headers: Record<string, string>;
  readonly expect: readonly number[];
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const LIMIT = 1024 * 1024;

/** Values the adapter's buttons carry, right and wrong. */
function buttonValue(rng: Prng, questionIds: readonly string[]): string {
  const q = rng.chance(0.7) ? rng.pick(questionIds) : fuzzString(rng, 300);
  const kind = rng.pick(['s', 'p', 'e', 'x', '', fuzzString(rng, 50)]);
  const id = rng.chance(0.5) ? rng.chars(16) : fuzzString(rng, 300);
  const options = Array.from({ length: rng.int(0, 6) }, () =>
    rng.pick(['a', 'b', 'c', 'd', 'yes', 'no', fuzzString(rng, 100)]),
  );
  return rng.pick<() => string>([
    () => JSON.stringify([kind, id, q, ...options]),
    () => JSON.stringify([kind, id]),
    () => JSON.stringify([q, rng.pick(['w', 'u', 'o', 'z'])]),
    () =>
      JSON.stringify([
        kind,
        id,
        rng.pick(['skip', 'back', 'flag', 'review', 'next-section', 'submit', 'explode']),
      ]),
    () => rng.pick(['quiz', 'quiz 10', 'progress', 'yes', 'no', 'forget me', 'export']),
    () => fuzzString(rng, 2000),
    () => JSON.stringify(wrongType(rng)),
  ])();
}

const ACTION_IDS = [
  'sc_answer_0',
  'sc_answer_3',
  'sc_answer_99',
  'sc_submit',
  'sc_pick',
  'sc_step_1',
  'sc_next',
  'sc_stop',
  'sc_report',
  'sc_nav_skip',
  'sc_nav_submit',
  'sc_cmd_0',
  'sc_confirm',
  'unknown_action',
];

const EVENT_TYPES = [
  'message',
  'app_mention',
  'app_home_opened',
  'app_uninstalled',
  'tokens_revoked',
  'member_joined_channel',
  'reaction_added',
  'team_join',
  'no_such_event',
];

const INTERACTIVE_TYPES = [
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'block_suggestion',
  'interactive_message',
  'dialog_submission',
  'workflow_step_edit',
  'no_such_type',
];

/**
 * Builds Slack requests from a seed: events, interactivity (`payload=` forms) and slash
 * commands taken from the Slack harness's real builders and mutated, plus bodies that are
 * not what they claim (bad JSON, wrong types, other content types), bodies over the
 * 1 MiB cap, and a few with bad signatures. Most are validly signed, so they reach the
 * parsers. Team and user ids come from pools so that the per-user rate limit rarely bites.
 */
export class SlackFuzzer {
  constructor(
    private readonly rng: Prng,
    private readonly fake: FakeSlackApi,
    private readonly questionIds: readonly string[],
    private readonly teams: readonly string[],
  ) {}

  private user(): string {
    return `UF${this.rng.int(0, 2999)}`;
  }

  private channel(): { id: string; name: string } {
    return this.rng.pick([
      { id: `DF${this.rng.int(0, 99)}`, name: 'directmessage' },
      { id: `CF${this.rng.int(0, 9)}`, name: 'study' },
      { id: `GF${this.rng.int(0, 9)}`, name: 'mpdm-a--b-1' },
      { id: `CF${this.rng.int(0, 9)}`, name: 'privategroup' },
    ]);
  }

  /** The next case. */
  next(): SlackFuzzCase {
    const r = this.rng.next();
    if (r < 0.3) return this.command();
    if (r < 0.6) return this.event();
    if (r < 0.9) return this.interaction();
    return this.broken();
  }

  private signedCase(
    kind: string,
    body: string,
    contentType: string,
    expect: readonly number[],
  ): SlackFuzzCase {
    const ts = Math.floor(Date.now() / 1000);
    return {
      kind,
      body,
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sign(body, ts),
        ...(this.rng.chance(0.05)
          ? { 'x-slack-retry-num': String(this.rng.int(0, 3)), 'x-slack-retry-reason': 'http_timeout' }
          : {}),
      },
      expect: Buffer.byteLength(body) > LIMIT ? [413] : expect,
    };
  }

  private command(): SlackFuzzCase {
    const rng = this.rng;
    const ch = this.channel();
    const text = rng.chance(0.5)
      ? rng.pick([
          'quiz',
          'quiz 3',
          'help',
          'progress',
          'leaderboard',
          'leaderboard all',
          'groups',
          'daily now',
          'exam 2',
          'review',
          'export',
          'forget me',
          'reports',
          'team',
          'organizers',
          'remind 08:00',
          'quiet 22:00 07:00',
          'timezone Europe/Paris',
          'streak weekdays',
          'plan 2030-01-01',
          'next',
          'stop',
          'a',
          'b c',
        ])
      : fuzzString(rng, rng.chance(0.05) ? 200_000 : 3000);
    const form = Object.fromEntries(
      new URLSearchParams(
        slashCommand(this.fake, {
          team: rng.pick(this.teams),
          user: this.user(),
          channel: ch.id,
          channelName: ch.name,
          text,
        }).body,
      ),
    ) as Record<string, unknown>;
    if (rng.chance(0.6)) mutate(form, rng, rng.int(1, 3), 3000);
    const body = new URLSearchParams(
      Object.entries(form).map(([k, v]): [string, string] => [
        k,
        typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
      ]),
    ).toString();
    return this.signedCase('command', body, FORM, [200]);
  }

  private event(): SlackFuzzCase {
    const rng = this.rng;
    const ch = this.channel();
    const type = rng.pick(EVENT_TYPES);
    const event: Record<string, unknown> = {
      type,
      user: this.user(),
      channel: ch.id,
      channel_type: rng.pick(['im', 'channel', 'group', 'mpim', undefined]),
      text: rng.chance(0.5)
        ? rng.pick(['help', 'quiz 2', '<@UBOT> progress', 'b', 'a c', 'export'])
        : fuzzString(rng),
      ts: `${rng.int(1, 1e9)}.${rng.int(0, 999999)}`,
      ...(type === 'app_home_opened' ? { tab: rng.pick(['home', 'messages', 'about']) } : {}),
      ...(rng.chance(0.1) ? { subtype: rng.pick(['message_changed', 'bot_message', 'file_share']) } : {}),
      ...(rng.chance(0.05) ? { bot_id: 'B1' } : {}),
      ...(rng.chance(0.1) ? { thread_ts: '1.0' } : {}),
    };
    const req = eventCallback(rng.pick(this.teams), event, `Ev${rng.chars(12)}`);
    const body = JSON.parse(req.body) as Record<string, unknown>;
    if (rng.chance(0.7)) mutate(body, rng, rng.int(1, 4), rng.chance(0.03) ? 600_000 : 3000);
    return this.signedCase('event', JSON.stringify(body), JSON_TYPE, [200, 400]);
  }

  private interaction(): SlackFuzzCase {
    const rng = this.rng;
    const ch = this.channel();
    const actionId = rng.pick(ACTION_IDS);
    const req = blockAction(this.fake, {
      team: rng.pick(this.teams),
      user: this.user(),
      ...(rng.chance(0.9) ? { channel: ch } : {}),
      ...(rng.chance(0.3)
        ? { message: { ts: '5.5', text: 'q', blocks: [{ type: 'actions', elements: [] }] } }
        : {}),
      ephemeral: rng.chance(0.3),
      view: rng.chance(0.1),
      action: {
        type: rng.pick(['button', 'overflow', 'checkboxes', 'static_select']),
        action_id: actionId,
        value: buttonValue(rng, this.questionIds),
        ...(actionId === 'sc_report'
          ? { selected_option: { value: buttonValue(rng, this.questionIds) } }
          : {}),
      },
      ...(rng.chance(0.3)
        ? {
            state: {
              [rng.pick(['sc_pick', 'sc_order', 'x'])]: {
                [rng.pick(['sc_pick', 'sc_step_1', 'sc_step_2', 'y'])]: {
                  type: 'checkboxes',
                  selected_options: Array.from({ length: rng.int(0, 5) }, () => ({
                    value: rng.pick(['a', 'b', 'c', fuzzString(rng, 100)]),
                  })),
                  selected_option: rng.chance(0.5)
                    ? { value: rng.pick(['a', 'b', fuzzString(rng, 100)]) }
                    : null,
                },
              },
            },
          }
        : {}),
    });
    const payload = JSON.parse(new URLSearchParams(req.body).get('payload') as string) as Record<
      string,
      unknown
    >;
    if (rng.chance(0.15)) payload.type = rng.pick(INTERACTIVE_TYPES);
    if (rng.chance(0.7)) mutate(payload, rng, rng.int(1, 4), rng.chance(0.03) ? 600_000 : 3000);
    return this.signedCase(
      'interaction',
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      FORM,
      [200],
    );
  }

  /** Bodies that are not what they claim, too big, or not signed right. */
  private broken(): SlackFuzzCase {
    const rng = this.rng;
    const valid = JSON.stringify({
      type: 'event_callback',
      team_id: rng.pick(this.teams),
      event: { type: 'message' },
    });
    const choice = rng.int(0, 13);
    switch (choice) {
      case 0:
        return this.signedCase('bad json', valid.slice(0, rng.int(0, valid.length - 1)), JSON_TYPE, [400]);
      case 1:
        return this.signedCase('json not an object', JSON.stringify(wrongType(rng)), JSON_TYPE, [200, 400]);
      case 2:
        return this.signedCase(
          'payload not json',
          new URLSearchParams({ payload: fuzzString(rng) }).toString(),
          FORM,
          [200, 400],
        );
      case 3:
        return this.signedCase(
          'payload not an object',
          new URLSearchParams({ payload: JSON.stringify(rng.pick([[], 1, 'x', null, true])) }).toString(),
          FORM,
          [400],
        );
      case 4:
        return this.signedCase(
          'other content type',
          valid,
          rng.pick(['text/plain', 'multipart/form-data; boundary=x', '', 'application/xml']),
          [400, 415],
        );
      case 5:
        return this.signedCase('empty body', '', rng.pick([JSON_TYPE, FORM]), [200, 400]);
      case 6:
        return this.signedCase(
          'url_verification',
          JSON.stringify({ type: 'url_verification', challenge: wrongType(rng) }),
          JSON_TYPE,
          [200],
        );
      case 7:
        return this.signedCase(
          'ssl_check',
          new URLSearchParams({ ssl_check: '1', token: fuzzString(rng) }).toString(),
          FORM,
          [200],
        );
      case 8: {
        // Over the cap: refused before it is read through.
        const pad = 'x'.repeat(LIMIT + rng.int(1, 50_000));
        return this.signedCase(
          'over 1 MiB',
          JSON.stringify({ type: 'event_callback', pad }),
          JSON_TYPE,
          [413],
        );
      }
      case 9: {
        const c = this.signedCase('bad signature', valid, JSON_TYPE, [401]);
        return {
          ...c,
          headers: { ...c.headers, 'x-slack-signature': `v0=${rng.chars(64, '0123456789abcdef')}` },
        };
      }
      case 10: {
        const c = this.signedCase('bad timestamp', valid, JSON_TYPE, [401]);
        return {
          ...c,
          headers: {
            ...c.headers,
            'x-slack-request-timestamp': rng.pick(['', 'x', '-1', '1e20', String(Date.now())]),
          },
        };
      }
      case 11: {
        // Not UTF-8: the signature over the bytes cannot match the decoded text, or the JSON is garbage.
        const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0x22, 0x7d]);
        const ts = Math.floor(Date.now() / 1000);
        return {
          kind: 'invalid utf-8',
          body: bytes,
          headers: {
            'content-type': JSON_TYPE,
            'x-slack-request-timestamp': String(ts),
            'x-slack-signature': sign(bytes.toString('utf8'), ts),
          },
          expect: [400, 401],
        };
      }
      case 12:
        return this.signedCase('deep json', `${'['.repeat(5000)}${']'.repeat(5000)}`, JSON_TYPE, [400]);
      default:
        return this.signedCase(
          'many fields',
          new URLSearchParams([
            ...Array.from({ length: 5000 }, (_, n): [string, string] => [`f${n}`, rng.pick(NASTY_STRINGS)]),
            ['command', '/study'],
          ]).toString(),
          FORM,
          [200],
        );
    }
  }
}
