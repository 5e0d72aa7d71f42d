import type { types } from '@slack/bolt';
import type { Reply } from '../../src/core';
import { ACTION, BLOCK } from './action-values';
import { actions, button, context, type KnownBlock, sections } from './blocks';
import { LIMITS } from './limits';
import { progressBlocks } from './render';

/**
 * The App Home tab: the user's progress as the core computed it (streak, points, due
 * reviews, bars per domain) and buttons that start a quiz in the DM.
 */
export function renderHome(replies: readonly Reply[]): types.HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Study Companion: AZ-400' } },
  ];
  for (const r of replies) {
    if (r.kind === 'progress') blocks.push(...progressBlocks(r));
    else if (r.kind === 'text') blocks.push(...sections(r.text));
  }
  blocks.push({ type: 'divider' });
  blocks.push(
    ...actions(BLOCK.home, [
      button('Start a quiz (5)', `${ACTION.command}_1`, 'quiz', 'primary'),
      button('Quiz of 10', `${ACTION.command}_2`, 'quiz 10'),
      button('Leaderboard', `${ACTION.command}_3`, 'leaderboard'),
      button('Help', `${ACTION.command}_4`, 'help'),
    ]),
  );
  blocks.push(
    context(
      'Quizzes run in your direct messages with me. In a channel, try `/study daily now` or `@Study Companion help`.',
    ),
  );
  return { type: 'home', blocks: blocks.slice(0, LIMITS.blocksPerHomeView) };
}
