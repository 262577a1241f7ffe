export { freePort } from './free-port.js';
export { REDIS_URL, freshPrefix, deleteKeys } from './redis-prefix.js';
export { SpawnedProcess, type ProcessExit } from './spawned-process.js';
export { ROLE_NODE_OPTIONS } from './role-node-options.js';
export { EventStreamReader, type StreamEvent } from './event-stream-reader.js';
export { pollUntil, type PollOptions } from './poll-until.js';
export { PrivateRedis, type PrivateRedisOptions } from './private-redis.js';
export { parsePrometheusText, sampleValue, type Exposition, type MetricType, type Sample } from './prometheus-text.js';
