import type { Feedback, QuestionCard } from '../../../src/core';
import { MAX_REFRESH_USERS } from '../post-views';
import { type AdaptiveCard, type CardElement, execute } from './card';
import { renderFeedback } from './render-feedback';
import { renderQuestion } from './render-question';

const refreshData = (postId: string) => ({ verb: 'refresh', t: 'post', id: postId });

/**
 * The card's `refresh`: Teams calls it (verb `refresh`) for each listed member who
 * sees the card, and shows that member what the bot returns: their own result.
 */
function refresh(postId: string, answerers: readonly string[]): Pick<AdaptiveCard, 'refresh'> {
  if (answerers.length === 0) return {};
  return {
    refresh: {
      action: { type: 'Action.Execute', title: 'Show my result', verb: 'refresh', data: refreshData(postId) },
      userIds: answerers.slice(0, MAX_REFRESH_USERS),
    },
  };
}

/** Beyond the automatic-refresh limit, members ask for their own view with a button. */
function manualRefresh(postId: string, answerers: readonly string[]): CardElement[] {
  return answerers.length > MAX_REFRESH_USERS
    ? [execute('Show my result', refreshData(postId), { associatedInputs: 'none' })]
    : [];
}

/**
 * The shared channel card: the question with its tally (or closed), no one's answer,
 * and a refresh that rebuilds each answering member's own view.
 */
export function renderSharedCard(q: QuestionCard, answerers: readonly string[]): AdaptiveCard {
  return { ...renderQuestion(q, manualRefresh(q.target.id, answerers)), ...refresh(q.target.id, answerers) };
}

/**
 * One member's view of a channel card: their feedback, with the post's current state
 * under it (`tally`: the shared card's count, else the number of answerers). Only the
 * member sees it, so its refresh lists only them (`viewer`, their channel account id):
 * reopened later, it comes back with the current tally or closed, and no other member's
 * id travels in it.
 */
export function renderMemberView(
  postId: string,
  f: Feedback,
  shared: QuestionCard | undefined,
  tally: number,
  viewer: string,
): AdaptiveCard {
  const status = shared?.closed
    ? `Answers are closed · ${tally} answered. The answer is in the thread.`
    : `${tally} answered so far${shared?.answerBy ? ` · answer revealed at ${shared.answerBy}` : ''} · only you see this result`;
  return { ...renderFeedback({ ...f, hasNext: false }, { status }), ...refresh(postId, [viewer]) };
}
