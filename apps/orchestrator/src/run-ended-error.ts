// The run ended (failed elsewhere, e.g. a map job's last failure) while its file was being split: the split stops
// and is not retried.
import { UnrecoverableError } from 'bullmq';

export class RunEndedError extends UnrecoverableError {
  constructor(readonly runId: string) {
    super(`run ${runId} ended while its file was being split`);
    this.name = 'RunEndedError';
  }
}
