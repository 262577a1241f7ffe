export { startAggregator } from './aggregator.js';
export { createAggregateProcessor, type AggregateDeps } from './aggregate.processor.js';
