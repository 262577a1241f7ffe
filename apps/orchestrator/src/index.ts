export { startOrchestrator } from './orchestrator.js';
export { createSplitProcessor, type SplitDeps } from './split.processor.js';
export { openSource, detectEncoding, readSource, READ_BUFFER_BYTES, type SourceFile } from './source-file.js';
export { RunEndedError } from './run-ended-error.js';
