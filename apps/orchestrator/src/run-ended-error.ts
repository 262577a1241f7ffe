// The run ended (failed elsewhere, e.g. a map job's last failure) while it was being planned: the split stops
// and is not retried.
import { UnrecoverableError } from 'bullmq';

export class RunEndedError extends UnrecoverableError {
  constructor(readonly runId: string) {
    super(`run ${runId} ended while it was being planned`);
    this.name = 'RunEndedError';
  }
}
