import type { StreakMode } from '../streak';

/** Clock time `HH:MM`. */
export interface ClockTime {
  readonly hour: number;
  readonly minute: number;
}

/** A parsed command. The same words work on every surface. */
export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'quiz'; readonly domain?: string; readonly count: number }
  | { readonly name: 'exam'; readonly count?: number }
  | { readonly name: 'review' }
  | { readonly name: 'drill' }
  | { readonly name: 'progress' }
  | { readonly name: 'leaderboard'; readonly period: 'week' | 'all' | 'streak'; readonly group?: string }
  | { readonly name: 'leaderboard-visibility'; readonly hidden: boolean }
  | { readonly name: 'team' }
  | { readonly name: 'streak-mode'; readonly mode: StreakMode }
  | { readonly name: 'daily-on'; readonly time: ClockTime; readonly tz?: string; readonly mode: StreakMode }
  | { readonly name: 'daily-off' }
  | { readonly name: 'daily-reveal'; readonly time: ClockTime }
  | { readonly name: 'daily-now' }
  | { readonly name: 'organizer-add'; readonly userId: string }
  | { readonly name: 'organizers' }
  | { readonly name: 'reports' }
  | { readonly name: 'group-create'; readonly group: string }
  | { readonly name: 'group-join'; readonly group: string }
  | { readonly name: 'group-leave'; readonly group: string }
  | { readonly name: 'groups' }
  | { readonly name: 'remind'; readonly time: ClockTime; readonly mode: StreakMode }
  | { readonly name: 'remind-off' }
  | { readonly name: 'timezone'; readonly tz: string; readonly workspace: boolean }
  | { readonly name: 'plan'; readonly date: string }
  | { readonly name: 'certified'; readonly date: string }
  | { readonly name: 'quiet'; readonly from: ClockTime; readonly to: ClockTime }
  | { readonly name: 'export' }
  | { readonly name: 'forget-me' }
  | { readonly name: 'next' }
  | { readonly name: 'stop' };

export type CommandName = Command['name'];
