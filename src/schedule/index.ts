// Scheduling: when jobs run (BullMQ on Redis, or in-process timers) and how sends stay single.
export * from './bullmq-scheduler';
export * from './in-process-scheduler';
export * from './rate-limits';
export * from './register-schedules';
export * from './send-once';
