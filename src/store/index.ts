// The stores: Redis (the system of record) and memory (one process, nothing installed).
export { type CreateStoreOptions, createStore } from './create-store';
export { MemoryStore } from './memory/memory-store';
export { type RedisClient, RedisStore, type RedisStoreOptions } from './redis/redis-store';
