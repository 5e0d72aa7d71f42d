import type { Where } from '../../src/core';
import { defaultLimits, postBuckets } from '../../src/schedule/rate-limits';

const where = (platform: Where['platform']): Where => ({
  platform,
  tenant: `${platform}:T1`,
  id: 'C1',
  kind: 'channel',
});

describe('postBuckets', () => {
  it('keeps 150 ms of refill of a workspace burst unused, and the conversation limit as the platform states it', () => {
    const [teamsTenant, teamsConversation] = postBuckets(defaultLimits.teams, where('teams'));
    expect(teamsTenant).toEqual({ key: 'rl:teams:teams:T1:post', capacity: 42, perSecond: 50 });
    expect(teamsConversation).toEqual({ key: 'rl:teams:teams:T1:conv:C1', capacity: 7, perSecond: 7 });
    expect(postBuckets(defaultLimits.slack, where('slack'))[0]).toEqual({
      key: 'rl:slack:slack:T1:chat.postMessage',
      capacity: 9,
      perSecond: 5,
    });
    const single = { tenant: { capacity: 1, perSecond: 1 }, conversation: { capacity: 1, perSecond: 1 } };
    expect(postBuckets(single, where('slack'))[0]?.capacity).toBe(1);
  });
});
