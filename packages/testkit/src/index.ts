export { freePort } from './free-port.js';
export { REDIS_URL, freshPrefix, deleteKeys } from './redis-prefix.js';
