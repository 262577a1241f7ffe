// Process entry of the API role: configuration from the environment, then serve until a signal.
import closeWithGrace from 'close-with-grace';
import { createLogger, loadConfig } from '@autoconnect/config';
import { startServer } from './server.js';

const config = loadConfig(process.env);
const logger = createLogger('api', config.LOG_LEVEL);
const server = await startServer(config, logger);

closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'closing after an error');
  else logger.info({ signal }, 'closing');
  await server.close();
});
