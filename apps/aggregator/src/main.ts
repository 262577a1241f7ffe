// Process entry of the aggregator role (as its container runs it), through the runtime every role shares.
import { runRole } from '@autoconnect/pipeline';
import { startAggregator } from './aggregator.js';

await runRole('aggregator', startAggregator);
