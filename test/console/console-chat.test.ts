import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ConsoleChat } from '../../adapters/console/console-chat';
import type { QuestionCard, Reply } from '../../src/core';
import { StudyCore } from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import { MemoryStore } from '../../src/store/memory/memory-store';
import { actor, dm, FakeClock, fixtureBank } from '../core/fixtures';

describe('terminal chat', () => {
  it('runs help, quiz 3 answered by number, summary, progress and leaderboard', async () => {
    const clock = FakeClock.at('2026-11-30T09:00:00Z');
    const core = new StudyCore({
      bank: fixtureBank(),
      store: new MemoryStore(clock),
      clock,
      logger: silentLogger,
    });
    const out: string[] = [];
    const chat = new ConsoleChat(core, actor('dev'), dm('dev'), (t) => out.push(t));
    const shown: Reply[] = [];
    const original = chat.show.bind(chat);
    chat.show = (replies) => {
      shown.push(...replies);
      original(replies);
    };

    await chat.line('help');
    expect(out.join('')).toContain('quiz [domain] [n]');
    await chat.line('quiz 3');
    for (let i = 0; i < 3; i++) {
      const card = shown.filter((r): r is QuestionCard => r.kind === 'question').at(-1) as QuestionCard;
      const key = core.bank.item(card.questionId)?.key ?? [];
      const numbers = key.map((k) => card.options.findIndex((o) => o.id === k) + 1);
      await chat.line(numbers.join(' '));
      expect(out.join('')).toContain(`Correct`);
      if (i < 2) await chat.line('');
    }
    expect(out.join('')).toContain('Quiz done: 3 of 3 right.');
    await chat.line('progress');
    expect(out.at(-1)).toMatch(/Streak 1 .*\n.*Points 30/);
    await chat.line('leaderboard');
    expect(out.at(-1)).toMatch(/1\. DEV\s+30/);
    await chat.line('leaderbord');
    expect(out.at(-1)).toContain('Did you mean');
    expect(await chat.line('quit')).toBe(false);
  });

  it('runs as `npm run chat` with nothing configured, reading typed lines', async () => {
    const root = join(__dirname, '..', '..');
    const child = spawn(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'adapters', 'console', 'main.ts')],
      {
        cwd: root,
        env: { ...process.env, REDIS_URL: '', QUESTION_PACK: 'test/fixtures/pack-core', LOG_LEVEL: 'silent' },
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stdin.write('help\nquiz 2\nstop\nprogress\nquit\n');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toContain('in-memory store');
    expect(output).toContain('Question 1 of 2');
    expect(output).toContain('Quiz done');
    expect(output).toContain('Progress for');
    expect(output).toContain('Bye!');
    expect(code).toBe(0);
  });
});
