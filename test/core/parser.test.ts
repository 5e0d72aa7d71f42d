import { commandTable, parseCommand } from '../../src/core/commands';
import { fixtureBank } from './fixtures';

const bank = fixtureBank();
const ctx = {
  findDomain: (w: string) => bank.findDomain(w)?.id,
  domainWords: bank.manifest.domains.map((d) => d.id),
};
const parse = (line: string) => parseCommand(line, ctx);

describe('command parser', () => {
  it.each([
    ['help', { name: 'help' }],
    ['quiz', { name: 'quiz', count: 5 }],
    ['quiz 3', { name: 'quiz', count: 3 }],
    ['Quiz pipelines 10', { name: 'quiz', domain: 'pipelines', count: 10 }],
    ['quiz d4', { name: 'quiz', domain: 'security', count: 5 }],
    ['quiz 4', { name: 'quiz', count: 4 }],
    ['/study quiz security', { name: 'quiz', domain: 'security', count: 5 }],
    ['exam', { name: 'exam' }],
    ['exam 20', { name: 'exam', count: 20 }],
    ['leaderboard', { name: 'leaderboard', period: 'week' }],
    ['leaderboard all night-owls', { name: 'leaderboard', period: 'all', group: 'night-owls' }],
    ['leaderboard hide', { name: 'leaderboard-visibility', hidden: true }],
    ['streak weekdays', { name: 'streak-mode', mode: 'weekdays' }],
    [
      'daily on 09:30 Europe/Berlin daily',
      { name: 'daily-on', time: { hour: 9, minute: 30 }, tz: 'Europe/Berlin', mode: 'daily' },
    ],
    ['daily reveal 16:00', { name: 'daily-reveal', time: { hour: 16, minute: 0 } }],
    ['daily now', { name: 'daily-now' }],
    ['daily off', { name: 'daily-off' }],
    ['organizer add <@U123ABC>', { name: 'organizer-add', userId: 'U123ABC' }],
    ['group create Night Owls', { name: 'group-create', group: 'night owls' }],
    ['remind 08:15 weekdays', { name: 'remind', time: { hour: 8, minute: 15 }, mode: 'weekdays' }],
    ['remind off', { name: 'remind-off' }],
    ['timezone America/New_York', { name: 'timezone', tz: 'America/New_York', workspace: false }],
    ['timezone workspace Asia/Kolkata', { name: 'timezone', tz: 'Asia/Kolkata', workspace: true }],
    ['plan 2027-02-15', { name: 'plan', date: '2027-02-15' }],
    ['certified 2026-11-20', { name: 'certified', date: '2026-11-20' }],
    ['quiet 22:00-07:00', { name: 'quiet', from: { hour: 22, minute: 0 }, to: { hour: 7, minute: 0 } }],
    ['forget me', { name: 'forget-me' }],
    ['export', { name: 'export' }],
    ['  progress  ', { name: 'progress' }],
  ])('parses %p', (line, command) => {
    expect(parse(line)).toEqual({ ok: true, command });
  });

  it.each([
    ['qiuz 5', 'quiz'],
    ['leaderbord', 'leaderboard'],
    ['progres', 'progress'],
    ['hlep', 'help'],
    ['timezon', 'timezone'],
  ])('corrects %p with the closest command', (line, closest) => {
    const r = parse(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(`\`${closest}`);
  });

  it.each([
    ['quiz 50', 'At most 20'],
    ['quiz kubernetes', 'I don\'t know the domain "kubernetes"'],
    ['timezone Mars/Base', 'not a time zone'],
    ['daily on 25:00', 'Usage: `daily on'],
    ['plan tomorrow', 'Usage: `plan YYYY-MM-DD`'],
    ['forget everything', 'forget me'],
  ])('explains bad arguments of %p', (line, hint) => {
    const r = parse(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(hint);
  });

  it('declares every command of the product table once', () => {
    const words = commandTable.map((c) => c.word);
    expect(new Set(words).size).toBe(words.length);
    for (const w of [
      'help',
      'quiz',
      'exam',
      'review',
      'drill',
      'progress',
      'leaderboard',
      'team',
      'streak',
      'daily',
      'organizer',
      'organizers',
      'reports',
      'group',
      'groups',
      'remind',
      'timezone',
      'plan',
      'certified',
      'quiet',
      'export',
      'forget',
    ]) {
      expect(words).toContain(w);
    }
  });
});
