// Process entry of the API role: configuration from the environment, then serve until a signal. A bad
// variable stops it with one message naming it (exit 1), as every role does.
import closeWithGrace from 'close-with-grace';
import { createLogger } from '@autoconnect/config';
import { loadConfigOrExit } from '@autoconnect/pipeline';
import { startServer, type RunningServer } from './server.js';

const config = loadConfigOrExit(process.env);
const logger = createLogger('api', config.LOG_LEVEL);
let server: RunningServer;
try {
  server = await startServer(config, logger);
} catch (err) {
  // The port taken, Redis refusing the first commands…: said once, without a stack trace to read through.
  logger.fatal(`api could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'closing after an error');
  else logger.info({ signal }, 'closing');
  await server.close();
});
