import type { Item } from '../../../src/core';
import type { Service } from '../../../src/service';
import type { FakeSlackApi, RecordedCall } from '../../slack/fake-slack-api';
import {
  answerAction,
  blockAction,
  cardIds,
  elements,
  type SignedRequest,
  send,
  slashCommand,
} from '../../slack/slack-harness';
import { cardOf } from '../../teams/fake-connector';
import { answerWith, elements as cardElements, type Json, type TeamsSim } from '../../teams/teams-harness';

/** The id of a request's `response_url` on the fake (slash commands carry it in the form, clicks in the payload). */
export function responseId(r: SignedRequest): string | undefined {
  const form = new URLSearchParams(r.body);
  const payload = form.get('payload');
  const url = payload
    ? (JSON.parse(payload) as { response_url?: string }).response_url
    : form.get('response_url');
  return url?.split('/').pop();
}

/** Whether a recorded Slack message carries a question's answer controls. */
export const hasAnswerControls = (c: RecordedCall): boolean =>
  elements([...(c.body.blocks ?? []), ...(c.body.view?.blocks ?? [])]).some((e: Json) =>
    /^sc_(answer_\d+|submit|pick|step_\d+)$/.test(e.action_id),
  );

/** How a simulated member answers an item: the key (default) or something else. */
export type Chooser = (item: Item) => readonly string[];

/** A wrong choice for an item: the reversed key for ordering, else options outside the key. */
export const wrongChoice: Chooser = (item) =>
  item.type === 'order'
    ? [...item.key].reverse()
    : item.options
        .filter((o) => !item.key.includes(o.id))
        .slice(0, item.key.length)
        .map((o) => o.id);

/** One Slack member of one workspace, talking to the service over real HTTP. */
export class SlackMember {
  constructor(
    readonly service: Service,
    readonly fake: FakeSlackApi,
    readonly team: string,
    readonly user: string,
  ) {}

  get dm() {
    return { id: `D${this.user}`, name: 'directmessage' };
  }

  /** The responses to one request, once `done` holds on them. */
  async responses(
    req: SignedRequest,
    done: (calls: RecordedCall[]) => boolean,
    what = 'responses',
  ): Promise<RecordedCall[]> {
    const id = responseId(req);
    return this.fake.waitFor(what, () => {
      const calls = this.fake.callsTo('respond').filter((c) => c.body.responseId === id);
      return done(calls) && calls;
    });
  }

  /** `/study <text>` (in the DM unless `channel` is given), answered with 200; resolves with its responses once `done` holds. */
  async command(
    text: string,
    done: (calls: RecordedCall[]) => boolean = (c) => c.length > 0,
    channel = this.dm,
  ): Promise<RecordedCall[]> {
    const req = slashCommand(this.fake, {
      team: this.team,
      user: this.user,
      channel: channel.id,
      channelName: channel.name,
      text,
    });
    const res = await send(this.service, req);
    if (res.status !== 200) throw new Error(`/study ${text} answered ${res.status}`);
    return this.responses(req, done, `/study ${text}`);
  }

  /** Clicks an element of a message the member was shown; resolves with the responses once `done` holds. */
  async click(
    message: RecordedCall['body'],
    click: { action: Record<string, unknown>; state?: Record<string, Record<string, unknown>> },
    done: (calls: RecordedCall[]) => boolean,
    channel = this.dm,
  ): Promise<RecordedCall[]> {
    const req = blockAction(this.fake, { team: this.team, user: this.user, channel, message, ...click });
    const res = await send(this.service, req);
    if (res.status !== 200) throw new Error(`click answered ${res.status}`);
    return this.responses(req, done, `click ${String(click.action.action_id)}`);
  }

  /** Answers a question card with `choose`; resolves with the feedback response. */
  async answer(card: RecordedCall, choose: Chooser, channel = this.dm): Promise<RecordedCall> {
    const item = this.service.core.bank.item(cardIds(card.body.blocks).questionId) as Item;
    const isFeedback = (c: RecordedCall) =>
      !c.body.replace_original && /Correct answer|Correct order/.test(JSON.stringify(c.body));
    const calls = await this.click(
      { ...card.body, ts: card.response?.ts ?? '1.0' },
      answerAction(card.body.blocks, choose(item)),
      (c) => c.some(isFeedback),
      channel,
    );
    return calls.find(isFeedback) as RecordedCall;
  }

  /** `quiz <count>` in the DM, every question answered with `choose`; resolves with the feedbacks. */
  async quiz(count: number, choose: Chooser = (i) => i.key): Promise<RecordedCall[]> {
    let card = (await this.command(`quiz ${count}`, (c) => c.some(hasAnswerControls))).find(
      hasAnswerControls,
    );
    const feedbacks: RecordedCall[] = [];
    while (card) {
      const feedback = await this.answer(card, choose);
      feedbacks.push(feedback);
      const next = elements(feedback.body.blocks).find((e: Json) => e.action_id === 'sc_next');
      if (!next) break;
      const calls = await this.click(
        { ...feedback.body, ts: '2.0' },
        { action: { type: 'button', action_id: 'sc_next', value: next.value } },
        (c) => c.some(hasAnswerControls),
      );
      card = calls.find(hasAnswerControls);
    }
    return feedbacks;
  }
}

/** One Teams member of one tenant (a {@link TeamsSim}), in their personal chat unless told otherwise. */
export class TeamsMember {
  constructor(
    readonly service: Service,
    readonly sim: TeamsSim,
    readonly name: string,
  ) {}

  get dm() {
    return this.sim.personal(this.name);
  }

  /**
   * Sends a message; resolves with the cards sent back during the turn to that
   * conversation or to the member's personal chat (a turn's replies go out before its
   * HTTP answer; other members' turns running at the same time do not mix in).
   */
  async say(text: string, conversation: Record<string, unknown> = this.dm): Promise<Json[]> {
    const before = this.sim.connector.calls.length;
    const res = await this.sim.post(this.sim.message(this.name, conversation, text));
    if (res.status !== 200) throw new Error(`"${text}" answered ${res.status}`);
    return this.cardsSince(before, conversation);
  }

  /** Runs a card action; resolves with the invoke response's card or message, and the cards sent to the conversation meanwhile. */
  async act(data: Record<string, unknown>, conversation: Record<string, unknown> = this.dm) {
    const before = this.sim.connector.calls.length;
    const res = await this.sim.post(this.sim.invoke(this.name, conversation, data));
    if (res.status !== 200) throw new Error(`${String(data.verb)} answered ${res.status}`);
    return { value: res.body?.value as Json, sent: this.cardsSince(before, conversation) };
  }

  /** Cards sent since `index` to the conversation, or privately to this member's personal chat. */
  private cardsSince(index: number, conversation: Record<string, unknown>): Json[] {
    const base = String(conversation.id).split(';')[0] as string;
    const mine = (id = '') => id.startsWith(base) || id === this.dm.id;
    return this.sim.connector.calls
      .slice(index)
      .filter((c) => c.status < 300 && mine(c.conversationId) && Array.isArray(c.body.attachments))
      .map(cardOf);
  }

  /** `quiz <count>` in the personal chat, each question answered with `choose`; resolves with the feedback cards. */
  async quiz(count: number, choose: Chooser = (i) => i.key): Promise<Json[]> {
    const withAnswer = (card: unknown) => cardElements(card).some((e) => e.verb === 'answer');
    let card = (await this.say(`quiz ${count}`)).find(withAnswer);
    const feedbacks: Json[] = [];
    while (card) {
      const submit = cardElements(card).find((e) => e.verb === 'answer') as Json;
      const item = this.service.core.bank.item(submit.data.q) as Item;
      const { value } = await this.act(answerWith(card, choose(item)));
      feedbacks.push(value);
      if (!cardElements(value).some((e) => e.verb === 'next')) break;
      const { sent } = await this.act({ verb: 'next', t: 'session', id: submit.data.id });
      card = sent.find(withAnswer);
    }
    return feedbacks;
  }
}
