// Process entry of the orchestrator role (as its container runs it).
import { createLogger } from '@autoconnect/config';
import { loadConfigOrExit, runRole } from '@autoconnect/pipeline';
import { startOrchestrator } from './orchestrator.js';

const config = loadConfigOrExit(process.env);
const logger = createLogger('orchestrator', config.LOG_LEVEL);
await runRole('orchestrator', logger, config.SHUTDOWN_TIMEOUT_MS, () => startOrchestrator(config, logger));
