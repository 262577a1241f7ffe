// Process entry of the worker role (as its container runs it; scale by running more of them), through the
// runtime every role shares.
import { runRole } from '@autoconnect/pipeline';
import { startWorker } from './worker.js';

await runRole('worker', startWorker);
