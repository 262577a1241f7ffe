export { startWorker } from './worker.js';
export { createMapProcessor, type MapDeps } from './map.processor.js';
