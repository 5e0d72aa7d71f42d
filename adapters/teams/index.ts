// The Teams adapter: the factory the service registers, and the pieces tests and tools reuse.

export { renderCard, renderCards } from './cards/render-card';
export { renderMemberView, renderSharedCard } from './cards/render-post';
export { TeamsMessenger } from './messenger';
export { MESSAGES_PATH } from './receiver';
export { createTeamsAdapter, createTeamsAdapterWith } from './teams-adapter';
