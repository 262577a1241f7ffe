// Process entry of the worker role (as its container runs it; scale by running more of them).
import { createLogger } from '@autoconnect/config';
import { loadConfigOrExit, runRole } from '@autoconnect/pipeline';
import { startWorker } from './worker.js';

const config = loadConfigOrExit(process.env);
const logger = createLogger('worker', config.LOG_LEVEL);
await runRole('worker', logger, config.SHUTDOWN_TIMEOUT_MS, () => startWorker(config, logger));
