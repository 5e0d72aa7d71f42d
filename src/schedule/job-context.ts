import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Set while a scheduled job runs. A send that must wait for a rate-limit slot then
 * hands the job back to the engine (BullMQ: moved to delayed) instead of sleeping; an
 * interactive send (a user's command) sleeps instead.
 */
export const jobContext = new AsyncLocalStorage<{ readonly jobId: string }>();

/** True inside a scheduled job. */
export const inJob = (): boolean => jobContext.getStore() !== undefined;
