// Process entry of the orchestrator role (as its container runs it), through the runtime every role shares.
import { runRole } from '@autoconnect/pipeline';
import { startOrchestrator } from './orchestrator.js';

await runRole('orchestrator', startOrchestrator);
