// Process entry of the API role (as its container runs it): serve until a signal, through the runtime every
// role shares (packages/pipeline's runRole: one message for a bad variable, exit 1; a graceful close).
import { runRole } from '@autoconnect/pipeline';
import { startServer } from './server.js';

await runRole('api', startServer);
