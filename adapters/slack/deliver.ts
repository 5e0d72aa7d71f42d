import type { RespondFn } from '@slack/bolt';
import type { Audience, FileReply, Logger, Reply } from '../../src/core';
import { render } from './render';

/** Where each audience of a reply goes for one incoming request. */
export interface Outlet {
  here(reply: Reply): Promise<void>;
  private(reply: Reply): Promise<void>;
  direct(reply: Reply): Promise<void>;
  /** Files (e.g. `export`) hold personal data: they always go to the user's DM. */
  file?(reply: FileReply): Promise<void>;
}

/**
 * Shows the core's replies in order, each to its audience. One failed send is logged and
 * does not stop the others (a user still gets the private pointer when the DM fails).
 */
export async function deliver(replies: readonly Reply[], outlet: Outlet, logger: Logger): Promise<void> {
  for (const reply of replies) {
    const audience: Audience = reply.audience ?? 'here';
    try {
      if (reply.kind === 'file' && outlet.file) await outlet.file(reply);
      else await outlet[audience](reply);
    } catch (err) {
      logger.warn({ err: (err as Error).message, audience, kind: reply.kind }, 'a reply could not be shown');
    }
  }
}

/**
 * Replies to a slash command or a button click through its `response_url`: `here` in the
 * conversation (`in_channel`), `private` as an ephemeral message. A click on an ephemeral
 * message answers ephemerally whatever the audience, since only the clicker saw it.
 */
export function respondOutlet(
  respond: RespondFn,
  direct: (reply: Reply) => Promise<void>,
  ephemeralOnly = false,
): Outlet {
  const send = (reply: Reply, type: 'in_channel' | 'ephemeral') =>
    respond({ ...render(reply), response_type: type, replace_original: false }).then(() => undefined);
  return {
    here: (r) => send(r, ephemeralOnly ? 'ephemeral' : 'in_channel'),
    private: (r) => send(r, 'ephemeral'),
    direct,
  };
}

/** Every audience lands in the same place (a DM with the bot is already private). */
export function singleOutlet(post: (reply: Reply) => Promise<void>): Outlet {
  return { here: post, private: post, direct: post };
}
