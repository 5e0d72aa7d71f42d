// The study core's public surface: the core, its model, its ports.
export * from './async';
export * from './bank';
export * from './commands';
export * from './core-deps';
export * from './grading';
export * from './item';
export * from './memo';
export * from './model';
export * from './ports';
export * from './reply';
export * from './schema/manifest.schema';
export * from './schema/question.schema';
export * from './streak';
export * from './study-core';
export * from './time';
