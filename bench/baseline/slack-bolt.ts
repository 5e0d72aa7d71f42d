/**
 * The Slack baseline of `npm run bench:clicks`: a bare Bolt app on restify (Bolt's
 * `HTTPReceiver` handed the request from a callback-style route, see PITFALLS) whose
 * action handler acks and sends one ephemeral message through `respond`. No store, no
 * logging. Env: PORT, SLACK_SIGNING_SECRET, SLACK_API_URL.
 */
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import restify from 'restify';

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  logLevel: LogLevel.ERROR,
});
const app = new App({
  receiver,
  token: 'xoxb-baseline',
  botId: 'BBOT',
  botUserId: 'UBOT',
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
});
app.action(/.*/, async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: 'ephemeral', text: 'Correct! +10 points. Total 10, streak 1.' });
});

const server = restify.createServer({ handleUncaughtExceptions: false });
server.post('/slack/events', (req, res, next) => {
  res.once('finish', () => next(false));
  receiver.requestListener(req, res);
});
server.get('/readyz', (_req, res, next) => {
  res.send(200, { status: 'ready' });
  next();
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
// A baseline keeps nothing: it stops at once, open keep-alive connections or not.
process.once('SIGTERM', () => process.exit(0));
