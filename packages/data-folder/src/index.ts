// The data folder (DATA_DIR): source names confined to it, and a run's file opened as the snapshot it planned.
export { checkSourceName } from './source-name.js';
export { confineSource, isInside, type ConfinedSource } from './confine.js';
export { SourceFile, type SourceSnapshot } from './source-file.js';
export { SourceChangedError, SourceMissingError, SourceRefusedError, SourceUnreadableError } from './source-errors.js';
