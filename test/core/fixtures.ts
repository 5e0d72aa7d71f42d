import { join } from 'node:path';
import { Bank } from '../../src/core/bank';
import type { Actor, Where } from '../../src/core/model';
import type { Clock } from '../../src/core/ports';
import { loadPack } from '../../src/packs/load-pack';

/** A clock that tests move by hand. */
export class FakeClock implements Clock {
  constructor(private t: number) {}
  static at(iso: string): FakeClock {
    return new FakeClock(Date.parse(iso));
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

/** The small fixture pack (every question type), independent of the live bank. */
export function fixtureBank(): Bank {
  return loadPack(join(__dirname, '..', 'fixtures', 'pack-core'));
}

export const tenant = 'local:acme';

export function actor(userId: string, extra: Partial<Actor> = {}): Actor {
  return {
    platform: 'local',
    tenant,
    userId,
    name: userId.toUpperCase(),
    tz: 'UTC',
    isAdmin: false,
    ...extra,
  };
}

export const dm = (userId: string): Where => ({ platform: 'local', tenant, id: `dm-${userId}`, kind: 'dm' });
export const channel: Where = { platform: 'local', tenant, id: 'C1', kind: 'channel', name: 'devops' };

export { Bank };
