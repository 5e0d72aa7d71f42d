import { createHmac, randomUUID } from 'node:crypto';
import { createSlackAdapter } from '../../adapters/slack';
import type { Config } from '../../src/config';
import { silentLogger } from '../../src/core';
import { type Service, startService } from '../../src/service';
import { testConfig } from '../setup/service-config';
import type { FakeSlackApi, RecordedCall } from './fake-slack-api';

export const SECRET = 'test-signing-secret';

/** A config with Slack on, pointing at the fake Web API; built directly, no env. */
export function slackConfig(fake: FakeSlackApi, extra: Partial<Config> = {}): Config {
  return testConfig({
    slack: { botToken: 'xoxb-test-token', signingSecret: SECRET, apiUrl: fake.apiUrl },
    ...extra,
  });
}

/** The service with the Slack adapter, on port 0. */
export function startSlackService(fake: FakeSlackApi, extra: Partial<Config> = {}): Promise<Service> {
  return startService(slackConfig(fake, extra), { logger: silentLogger, adapters: [createSlackAdapter] });
}

/** `v0=` HMAC-SHA256 of `v0:{ts}:{body}`, as Slack signs. */
export function sign(body: string, ts: number, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

export interface SignedRequest {
  readonly body: string;
  readonly contentType: string;
  readonly ts: number;
  readonly signature: string;
  readonly headers?: Record<string, string>;
}

/** A request signed now (or at `ts`). */
export function signed(
  body: string,
  contentType: string,
  ts = Math.floor(Date.now() / 1000),
  headers?: Record<string, string>,
): SignedRequest {
  return { body, contentType, ts, signature: sign(body, ts), ...(headers ? { headers } : {}) };
}

/** Sends a signed request to `POST /slack/events`. */
export async function send(
  service: Pick<Service, 'url'>,
  r: SignedRequest,
): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${service.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': r.contentType,
      'x-slack-request-timestamp': String(r.ts),
      'x-slack-signature': r.signature,
      ...r.headers,
    },
    body: r.body,
  });
  return { status: res.status, text: await res.text(), ms: Date.now() - started };
}

const FORM = 'application/x-www-form-urlencoded';

/** A `/study` slash command. */
export function slashCommand(
  fake: FakeSlackApi,
  o: { team: string; user: string; channel: string; channelName: string; text: string },
): SignedRequest {
  const form = new URLSearchParams({
    token: 'legacy',
    team_id: o.team,
    team_domain: 'acme',
    channel_id: o.channel,
    channel_name: o.channelName,
    user_id: o.user,
    user_name: o.user.toLowerCase(),
    command: '/study',
    text: o.text,
    api_app_id: 'A1',
    response_url: fake.responseUrl(`cmd-${randomUUID()}`),
    trigger_id: randomUUID(),
  });
  return signed(form.toString(), FORM);
}

/** An Events API delivery. */
export function eventCallback(
  team: string,
  event: Record<string, unknown>,
  eventId = `Ev${randomUUID().slice(0, 8)}`,
  headers?: Record<string, string>,
): SignedRequest {
  return signed(
    JSON.stringify({
      token: 'legacy',
      team_id: team,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: team, user_id: 'UBOT', is_bot: true }],
      event,
    }),
    'application/json',
    undefined,
    headers,
  );
}

/** A block_actions payload (a click), form-encoded as `payload=`. */
export function blockAction(
  fake: FakeSlackApi,
  o: {
    team: string;
    user: string;
    channel?: { id: string; name: string };
    message?: RecordedCall['body'];
    ephemeral?: boolean;
    view?: boolean;
    action: Record<string, unknown>;
    state?: Record<string, Record<string, unknown>>;
  },
): SignedRequest {
  const payload = {
    type: 'block_actions',
    team: { id: o.team, domain: 'acme' },
    user: { id: o.user, username: o.user.toLowerCase(), name: o.user.toLowerCase(), team_id: o.team },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: randomUUID(),
    container: o.view
      ? { type: 'view', view_id: 'V1' }
      : {
          type: 'message',
          message_ts: o.message?.ts ?? '1.0',
          channel_id: o.channel?.id,
          is_ephemeral: !!o.ephemeral,
        },
    ...(o.channel ? { channel: o.channel } : {}),
    ...(o.message && !o.ephemeral
      ? {
          message: {
            type: 'message',
            ts: o.message.ts ?? '1.0',
            text: o.message.text,
            blocks: o.message.blocks,
          },
        }
      : {}),
    ...(o.view
      ? { view: { id: 'V1', type: 'home' } }
      : { response_url: fake.responseUrl(`act-${randomUUID()}`) }),
    ...(o.state ? { state: { values: o.state } } : {}),
    actions: [{ block_id: 'b', action_ts: String(Date.now() / 1000), ...o.action }],
  };
  return signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
}

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as it reached the fake
type Block = any;

/** All interactive elements of a message's blocks. */
export function elements(blocks: Block[]): Block[] {
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);
}

/**
 * The click that answers a rendered question card with `choice` (option ids): a letter
 * button for single/yes-no, Submit with checkbox or select state for the others.
 */
export function answerAction(
  blocks: Block[],
  choice: readonly string[],
): { action: Record<string, unknown>; state?: Record<string, Record<string, unknown>> } {
  const els = elements(blocks);
  const buttons = els.filter((e) => /^sc_answer_\d+$/.test(e.action_id));
  if (buttons.length) {
    const b = buttons.find((e) => (JSON.parse(e.value) as string[]).slice(3)[0] === choice[0]);
    if (!b) throw new Error(`no button for ${choice[0]}`);
    return { action: { type: 'button', action_id: b.action_id, value: b.value } };
  }
  const submit = els.find((e) => e.action_id === 'sc_submit');
  const pick = els.find((e) => e.action_id === 'sc_pick');
  const opt = (id: string) => ({ text: { type: 'plain_text', text: id }, value: id });
  const state: Record<string, Record<string, unknown>> = pick
    ? { sc_pick: { sc_pick: { type: 'checkboxes', selected_options: choice.map(opt) } } }
    : {
        sc_order: Object.fromEntries(
          choice.map((id, i) => [`sc_step_${i + 1}`, { type: 'static_select', selected_option: opt(id) }]),
        ),
      };
  return { action: { type: 'button', action_id: submit.action_id, value: submit.value }, state };
}

/** The post id and question id carried by a shared card's controls. */
export function cardIds(blocks: Block[]): { kind: string; id: string; questionId: string } {
  const el = elements(blocks).find((e) => typeof e.value === 'string' && e.value.startsWith('['));
  const [kind, id, questionId] = JSON.parse(el.value) as string[];
  return { kind: kind as string, id: id as string, questionId: questionId as string };
}

/** All text of blocks, for loose assertions. */
export function blockText(blocks: Block[] | undefined): string {
  return JSON.stringify(blocks ?? []);
}

export const uniqueTeam = () => `T${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}`;
