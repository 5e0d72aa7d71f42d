import { ConfigError, loadConfig, secretsOf } from '../../src/config';

describe('configuration', () => {
  it('has working defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3978,
      questionPack: 'questions/az400',
      logLevel: 'info',
      teams: { appType: 'SingleTenant' },
    });
    expect(c.redisUrl).toBeUndefined();
    expect(c.slack).toBeUndefined();
  });

  it('turns Slack on only with a complete set, naming what is missing', () => {
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 'abc' })).toThrow(/set SLACK_BOT_TOKEN/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      /SLACK_SIGNING_SECRET for HTTP mode, or SLACK_APP_TOKEN/,
    );
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack).toEqual({
      botToken: 'xoxb-1',
      signingSecret: 's',
    });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toEqual({
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
    });
  });

  it('explains bad values', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(
      /REDIS_URL must look like redis:\/\/host:6379/,
    );
    expect(() => loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' })).toThrow(
      /MicrosoftAppTenantId/,
    );
    expect(() => loadConfig({ MicrosoftAppId: 'id' })).toThrow(/MicrosoftAppPassword/);
  });

  it('lists the secrets to redact from logs', () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-secret-1',
      SLACK_SIGNING_SECRET: 'sign-secret-2',
      MicrosoftAppId: 'a',
      MicrosoftAppPassword: 'pw-secret-3',
      MicrosoftAppTenantId: 't',
    });
    expect(secretsOf(c).sort()).toEqual(['pw-secret-3', 'sign-secret-2', 'xoxb-secret-1']);
  });
});
