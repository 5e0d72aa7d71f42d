/**
 * The Teams baseline of `npm run bench:clicks`: restify with a JSON body parser on
 * `/api/messages`, an anonymous botbuilder `CloudAdapter`, and an `ActivityHandler` that
 * answers every `Action.Execute` invoke with the same fixed card. No store, no logging.
 * Env: PORT.
 */
import {
  ActivityHandler,
  type AdaptiveCardInvokeResponse,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
} from 'botbuilder';
import restify from 'restify';

/** About the size of the service's feedback card: a result line, the answer, an explanation. */
const CARD = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Correct! +10 points', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: 'You chose **B**: Azure Pipelines environments with approvals.', wrap: true },
    {
      type: 'TextBlock',
      text: 'Environments hold approvals and checks that gate a deployment stage; a release gate in classic pipelines does the same for releases.',
      wrap: true,
      isSubtle: true,
    },
    {
      type: 'FactSet',
      facts: [
        { title: 'Total', value: '10' },
        { title: 'Streak', value: '1 day' },
      ],
    },
  ],
};

class BaselineBot extends ActivityHandler {
  protected override async onAdaptiveCardInvoke(): Promise<AdaptiveCardInvokeResponse> {
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: CARD };
  }
}

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new BaselineBot();
const server = restify.createServer({ handleUncaughtExceptions: false });
server.post(
  '/api/messages',
  restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }),
  async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  },
);
server.get('/readyz', (_req, res, next) => {
  res.send(200, { status: 'ready' });
  next();
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
// A baseline keeps nothing: it stops at once, open keep-alive connections or not.
process.once('SIGTERM', () => process.exit(0));
