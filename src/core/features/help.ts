import { commandTable } from '../commands';
import type { Reply } from '../reply';

/** `help`: every command with a one-line example, grouped by where it works. */
export function help(inChannel: boolean): Reply[] {
  const usages = commandTable.flatMap((c) => c.usages);
  const line = (u: (typeof usages)[number]) =>
    `- \`${u.usage}\`: ${u.summary} (e.g. \`${u.example}\`)${u.organizer ? ' _organizers_' : ''}`;
  const section = (title: string, place: string) => {
    const lines = usages.filter((u) => u.place === place).map(line);
    return lines.length ? `**${title}**\n${lines.join('\n')}` : '';
  };
  const body = [
    "**Study Companion**: practice for AZ-400 together. Here's what I understand:",
    section('Study (in a direct message)', 'dm'),
    section('Anywhere', 'any'),
    section('In a channel', 'channel'),
  ]
    .filter(Boolean)
    .join('\n\n');
  return [{ kind: 'text', text: body, ...(inChannel ? { audience: 'private' as const } : {}) }];
}
