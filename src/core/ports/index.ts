// The ports: what the core needs from the outside world.
export * from './clock.port';
export * from './logger.port';
export * from './messenger.port';
export * from './scheduler.port';
export * from './store.port';
