import { isTimeZone, parseClock, parseDay } from '../time';
import type { ClockTime, Command } from './command';

/** Where a command may be used. `dm` commands typed in a channel move to the DM. */
export type Place = 'any' | 'dm' | 'channel';

/** What the parser needs to know about the pack. */
export interface ParseContext {
  /** Resolves a domain word ("pipelines", "d3") to a domain id. */
  findDomain(word: string): string | undefined;
  /** Domain words to suggest in corrections. */
  readonly domainWords: readonly string[];
}

/** A usage line of a command, for `help` and corrections. */
export interface Usage {
  readonly usage: string;
  readonly example: string;
  readonly summary: string;
  readonly place: Place;
  readonly organizer?: boolean;
}

/** A declared command: its first word, its usages, and how to read its arguments. */
export interface CommandSpec {
  readonly word: string;
  readonly usages: readonly Usage[];
  /** The command, or a correction to show. */
  parse(args: string[], ctx: ParseContext): Command | string;
}

const MAX_QUIZ = 20;

const clock = (s: string | undefined): ClockTime | undefined => (s ? parseClock(s) : undefined);
const mode = (s: string | undefined): 'daily' | 'weekdays' | undefined =>
  s === 'daily' || s === 'weekdays' ? s : undefined;
const noArgs =
  (command: Command, usage: string) =>
  (args: string[]): Command | string =>
    args.length === 0 ? command : `\`${usage}\` takes no arguments.`;

function countArg(word: string, max: number): number | string {
  const n = Number(word);
  if (!Number.isInteger(n) || n < 1) return `"${word}" is not a number of questions.`;
  if (n > max) return `At most ${max} questions at a time; try \`${max}\`.`;
  return n;
}

function mentionedUser(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const m = /^<@([A-Za-z0-9:_.-]+)(\|[^>]*)?>$/.exec(word) ?? /^@([A-Za-z0-9:_.-]+)$/.exec(word);
  return m?.[1];
}

/** A DM command taking one `YYYY-MM-DD` date (`plan`, `certified`). */
function dateCommand(word: 'plan' | 'certified', example: string, summary: string): CommandSpec {
  const usage = `${word} YYYY-MM-DD`;
  return {
    word,
    usages: [{ usage, example: `${word} ${example}`, summary, place: 'dm' }],
    parse(args) {
      const date = args[0];
      return date && args.length === 1 && parseDay(date) !== undefined
        ? { name: word, date }
        : `Usage: \`${usage}\`, for example \`${word} ${example}\`.`;
    },
  };
}

/**
 * The command table: every command of PRODUCT.md, declared once. The parser looks a
 * line's first word up here; nothing routes by `if (text.includes(...))`.
 */
export const commandTable: readonly CommandSpec[] = [
  {
    word: 'help',
    usages: [{ usage: 'help', example: 'help', summary: 'this list', place: 'any' }],
    parse: () => ({ name: 'help' }),
  },
  {
    word: 'quiz',
    usages: [
      {
        usage: 'quiz [domain] [n]',
        example: 'quiz pipelines 10',
        summary: 'practice questions with instant feedback (default 5, max 20)',
        place: 'dm',
      },
    ],
    parse(args, ctx) {
      let domain: string | undefined;
      let count = 5;
      for (const a of args) {
        if (/^\d+$/.test(a)) {
          const n = countArg(a, MAX_QUIZ);
          if (typeof n === 'string') return n;
          count = n;
        } else {
          const d = ctx.findDomain(a);
          if (!d) return `I don't know the domain "${a}". Try one of: ${ctx.domainWords.join(', ')}.`;
          domain = d;
        }
      }
      return domain ? { name: 'quiz', domain, count } : { name: 'quiz', count };
    },
  },
  {
    word: 'exam',
    usages: [
      {
        usage: 'exam [n]',
        example: 'exam',
        summary: 'a timed mock exam, scored like the real one',
        place: 'dm',
      },
    ],
    parse(args) {
      if (args.length === 0) return { name: 'exam' };
      if (args.length > 1) return 'Usage: `exam [n]`, for example `exam 50`.';
      const n = countArg(args[0] as string, 100);
      return typeof n === 'string' ? n : { name: 'exam', count: n };
    },
  },
  {
    word: 'review',
    usages: [
      { usage: 'review', example: 'review', summary: 'the cards due for spaced repetition', place: 'dm' },
    ],
    parse: noArgs({ name: 'review' }, 'review'),
  },
  {
    word: 'drill',
    usages: [
      { usage: 'drill', example: 'drill', summary: 'questions from your weakest sub-skills', place: 'dm' },
    ],
    parse: noArgs({ name: 'drill' }, 'drill'),
  },
  {
    word: 'progress',
    usages: [
      {
        usage: 'progress',
        example: 'progress',
        summary: 'your streak, points, rank and accuracy',
        place: 'any',
      },
    ],
    parse: noArgs({ name: 'progress' }, 'progress'),
  },
  {
    word: 'leaderboard',
    usages: [
      {
        usage: 'leaderboard [week|all|streak] [group]',
        example: 'leaderboard week',
        summary: 'top 10 and your rank',
        place: 'any',
      },
      {
        usage: 'leaderboard hide|show',
        example: 'leaderboard hide',
        summary: 'leave or rejoin the boards',
        place: 'any',
      },
    ],
    parse(args) {
      const [first, ...rest] = args;
      if (first === 'hide' || first === 'show') {
        return rest.length
          ? '`leaderboard hide` and `leaderboard show` take nothing else.'
          : { name: 'leaderboard-visibility', hidden: first === 'hide' };
      }
      const period = first === 'week' || first === 'all' || first === 'streak' ? first : 'week';
      const group = (period === first ? rest : args).join(' ');
      return group ? { name: 'leaderboard', period, group } : { name: 'leaderboard', period };
    },
  },
  {
    word: 'team',
    usages: [
      {
        usage: 'team',
        example: 'team',
        summary: "the group's accuracy per domain",
        place: 'channel',
        organizer: true,
      },
    ],
    parse: noArgs({ name: 'team' }, 'team'),
  },
  {
    word: 'streak',
    usages: [
      {
        usage: 'streak weekdays|daily',
        example: 'streak weekdays',
        summary: 'whether weekends count for your streak',
        place: 'dm',
      },
    ],
    parse(args) {
      const m = mode(args[0]);
      return m && args.length === 1
        ? { name: 'streak-mode', mode: m }
        : 'Usage: `streak weekdays` or `streak daily`.';
    },
  },
  {
    word: 'daily',
    usages: [
      {
        usage: 'daily on HH:MM [tz] [weekdays|daily]',
        example: 'daily on 09:30 Europe/Berlin weekdays',
        summary: 'a daily question in this channel',
        place: 'channel',
        organizer: true,
      },
      {
        usage: 'daily reveal HH:MM',
        example: 'daily reveal 16:00',
        summary: 'when the answer is revealed',
        place: 'channel',
        organizer: true,
      },
      {
        usage: 'daily now',
        example: 'daily now',
        summary: 'post a question here right now',
        place: 'channel',
        organizer: true,
      },
      {
        usage: 'daily off',
        example: 'daily off',
        summary: 'stop the daily question',
        place: 'channel',
        organizer: true,
      },
    ],
    parse(args) {
      const [sub, ...rest] = args;
      switch (sub) {
        case 'now':
          return rest.length ? '`daily now` takes no arguments.' : { name: 'daily-now' };
        case 'off':
          return rest.length ? '`daily off` takes no arguments.' : { name: 'daily-off' };
        case 'reveal': {
          const time = clock(rest[0]);
          return time && rest.length === 1
            ? { name: 'daily-reveal', time }
            : 'Usage: `daily reveal HH:MM`, for example `daily reveal 16:00`.';
        }
        case 'on': {
          const time = clock(rest[0]);
          if (!time)
            return 'Usage: `daily on HH:MM [tz] [weekdays|daily]`, for example `daily on 09:30 Europe/Berlin`.';
          let tz: string | undefined;
          let m: 'daily' | 'weekdays' = 'weekdays';
          for (const a of rest.slice(1)) {
            const asMode = mode(a);
            if (asMode) m = asMode;
            else if (isTimeZone(a)) tz = a;
            else
              return `"${a}" is not a time zone I know. Use an IANA name such as \`Europe/Berlin\` or \`America/New_York\`.`;
          }
          return tz ? { name: 'daily-on', time, tz, mode: m } : { name: 'daily-on', time, mode: m };
        }
        default:
          return 'Usage: `daily on HH:MM`, `daily reveal HH:MM`, `daily now` or `daily off`.';
      }
    },
  },
  {
    word: 'organizer',
    usages: [
      {
        usage: 'organizer add @user',
        example: 'organizer add @dana',
        summary: 'share the organizer role here',
        place: 'channel',
        organizer: true,
      },
    ],
    parse(args) {
      const user = mentionedUser(args[1]);
      return args[0] === 'add' && user && args.length === 2
        ? { name: 'organizer-add', userId: user }
        : 'Usage: `organizer add @user` (mention the person).';
    },
  },
  {
    word: 'organizers',
    usages: [
      { usage: 'organizers', example: 'organizers', summary: "this channel's organizers", place: 'channel' },
    ],
    parse: noArgs({ name: 'organizers' }, 'organizers'),
  },
  {
    word: 'reports',
    usages: [
      {
        usage: 'reports',
        example: 'reports',
        summary: 'questions members reported',
        place: 'channel',
        organizer: true,
      },
    ],
    parse: noArgs({ name: 'reports' }, 'reports'),
  },
  {
    word: 'group',
    usages: [
      {
        usage: 'group create|join|leave NAME',
        example: 'group join night-owls',
        summary: 'named study groups',
        place: 'any',
      },
    ],
    parse(args) {
      const [sub, ...rest] = args;
      const name = rest.join(' ').trim();
      if (sub !== 'create' && sub !== 'join' && sub !== 'leave')
        return 'Usage: `group create NAME`, `group join NAME` or `group leave NAME`.';
      if (!/^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u.test(name))
        return `Give the group a name of up to 40 letters, digits, spaces, "-" or "_": \`group ${sub} night-owls\`.`;
      return { name: `group-${sub}` as const, group: name };
    },
  },
  {
    word: 'groups',
    usages: [
      { usage: 'groups', example: 'groups', summary: 'the study groups here and yours', place: 'any' },
    ],
    parse: noArgs({ name: 'groups' }, 'groups'),
  },
  {
    word: 'remind',
    usages: [
      {
        usage: 'remind HH:MM [weekdays|daily]',
        example: 'remind 08:15 weekdays',
        summary: 'a daily reminder with a question',
        place: 'dm',
      },
      { usage: 'remind off', example: 'remind off', summary: 'no more reminders', place: 'dm' },
    ],
    parse(args) {
      if (args[0] === 'off' && args.length === 1) return { name: 'remind-off' };
      const time = clock(args[0]);
      const m = args[1] === undefined ? 'daily' : mode(args[1]);
      return time && m && args.length <= 2
        ? { name: 'remind', time, mode: m }
        : 'Usage: `remind HH:MM [weekdays|daily]` or `remind off`.';
    },
  },
  {
    word: 'timezone',
    usages: [
      {
        usage: 'timezone Area/City',
        example: 'timezone Europe/Berlin',
        summary: 'your time zone',
        place: 'any',
      },
      {
        usage: 'timezone workspace Area/City',
        example: 'timezone workspace America/New_York',
        summary: "the workspace's (weekly boards)",
        place: 'any',
        organizer: true,
      },
    ],
    parse(args) {
      const workspace = args[0] === 'workspace';
      const tz = workspace ? args[1] : args[0];
      if (!tz || args.length !== (workspace ? 2 : 1))
        return 'Usage: `timezone Area/City`, for example `timezone Europe/Berlin`.';
      if (!isTimeZone(tz))
        return `"${tz}" is not a time zone I know. Use an IANA name such as \`Europe/Berlin\` or \`Asia/Kolkata\`.`;
      return { name: 'timezone', tz, workspace };
    },
  },
  dateCommand('plan', '2027-02-15', 'your exam date and a weekly plan'),
  dateCommand('certified', '2026-11-20', 'record a pass; renewal reminders'),
  {
    word: 'quiet',
    usages: [
      {
        usage: 'quiet HH:MM-HH:MM',
        example: 'quiet 22:00-07:00',
        summary: 'no reminders in this window',
        place: 'dm',
      },
    ],
    parse(args) {
      const [from, to] = (args[0] ?? '').split('-');
      const f = clock(from);
      const t = clock(to);
      return f && t && args.length === 1
        ? { name: 'quiet', from: f, to: t }
        : 'Usage: `quiet HH:MM-HH:MM`, for example `quiet 22:00-07:00`.';
    },
  },
  {
    word: 'export',
    usages: [{ usage: 'export', example: 'export', summary: 'your data as JSON', place: 'dm' }],
    parse: noArgs({ name: 'export' }, 'export'),
  },
  {
    word: 'forget',
    usages: [
      { usage: 'forget me', example: 'forget me', summary: 'delete all your data (asks first)', place: 'dm' },
    ],
    parse: (args) =>
      args.length === 1 && args[0] === 'me'
        ? { name: 'forget-me' }
        : 'Did you mean `forget me`? It deletes all your data, after asking.',
  },
  {
    word: 'next',
    usages: [],
    parse: noArgs({ name: 'next' }, 'next'),
  },
  {
    word: 'stop',
    usages: [],
    parse: noArgs({ name: 'stop' }, 'stop'),
  },
];

/** Where each command may be used, by command name. */
export const placeOf: Readonly<Partial<Record<Command['name'], Place>>> = {
  quiz: 'dm',
  exam: 'dm',
  review: 'dm',
  drill: 'dm',
  'streak-mode': 'dm',
  remind: 'dm',
  'remind-off': 'dm',
  plan: 'dm',
  certified: 'dm',
  quiet: 'dm',
  export: 'dm',
  'forget-me': 'dm',
  next: 'dm',
  stop: 'dm',
  team: 'channel',
  'daily-on': 'channel',
  'daily-off': 'channel',
  'daily-reveal': 'channel',
  'daily-now': 'channel',
  'organizer-add': 'channel',
  organizers: 'channel',
  reports: 'channel',
};
