export { startOrchestrator } from './orchestrator.js';
export { createSplitProcessor, MAX_RANGES, type SplitDeps } from './split.processor.js';
export { RunEndedError } from './run-ended-error.js';
