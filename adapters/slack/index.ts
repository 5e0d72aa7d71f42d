// The Slack adapter: the factory the service registers, and the pieces tests and tools reach for.
export { ACTION, BLOCK, decodeAnswer, encodeAnswer } from './action-values';
export { LIMITS } from './limits';
export { SlackMessenger, UNINSTALLED_REF } from './messenger';
export { SLACK_EVENTS_PATH } from './receiver';
export { render } from './render';
export { renderHome } from './render-home';
export { createSlackAdapter } from './slack-adapter';
