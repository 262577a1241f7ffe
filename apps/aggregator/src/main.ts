// Process entry of the aggregator role (as its container runs it).
import { createLogger } from '@autoconnect/config';
import { loadConfigOrExit, runRole } from '@autoconnect/pipeline';
import { startAggregator } from './aggregator.js';

const config = loadConfigOrExit(process.env);
const logger = createLogger('aggregator', config.LOG_LEVEL);
await runRole('aggregator', logger, config.SHUTDOWN_TIMEOUT_MS, () => startAggregator(config, logger));
