export * from './generator-options.js';
export * from './generate-transactions.js';
export * from './write-transactions-file.js';
export { HEADER, INVALID_KINDS, TransactionRows, type InvalidKind } from './transaction-rows.js';
export { CAR_MODELS, CITIES, FIRST_DATE, LAST_DATE, type CarModel, type City } from './vocabulary.js';
export { createRandom, weightedPicker, type Random } from './random.js';
