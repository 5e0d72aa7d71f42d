import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig } from '../../src/config';
import { type Actor, PackError, StudyCore, systemClock, type Where } from '../../src/core';
import { createLogger } from '../../src/logger';
import { loadPack } from '../../src/packs/load-pack';
import { createStore } from '../../src/store/create-store';
import { ConsoleChat } from './console-chat';
import { markdown } from './render';

/** `npm run chat`: talk to the bot in this terminal, with nothing configured. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
  const bank = loadPack(join(process.cwd(), config.questionPack));
  if (!config.redisUrl)
    console.log(
      markdown(
        'Using the in-memory store: nothing is kept after `quit`. Set `REDIS_URL` to keep your progress.',
      ),
    );
  const store = await createStore({
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    clock: systemClock,
  });
  const core = new StudyCore({ bank, store, clock: systemClock, logger });
  const user = process.env.USER || 'you';
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const actor: Actor = {
    platform: 'local',
    tenant: 'local:terminal',
    userId: user,
    name: user,
    tz,
    isAdmin: true,
  };
  const where: Where = { platform: 'local', tenant: actor.tenant, id: `dm-${user}`, kind: 'dm' };
  const chat = new ConsoleChat(core, actor, where, (t) => process.stdout.write(t));

  console.log(
    markdown(
      `**Study Companion** · ${bank.manifest.exam} · ${bank.items.length} questions. Type \`help\`, \`quiz 3\`, or \`quit\`.`,
    ),
  );
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
  rl.prompt();
  for await (const input of rl) {
    if (!(await chat.line(input))) break;
    rl.prompt();
  }
  rl.close();
  await store.close();
  console.log('Bye! Keep the streak going.');
}

main().catch((err: unknown) => {
  console.error(err instanceof PackError || err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
