// A job whose payload does not match its queue's schema (a broken or outdated producer, a hand-made job): it is
// refused before any of its work is done, and not retried, since it would be refused again.
import { UnrecoverableError } from 'bullmq';
import type { QueueName } from './queue-names.js';

export class MalformedJobError extends UnrecoverableError {
  constructor(
    readonly queue: QueueName,
    readonly jobId: string | undefined,
    readonly problems: readonly string[],
  ) {
    super(`${queue} job ${jobId ?? '(without id)'} was not run, its payload is malformed: ${problems.join('; ')}`);
    this.name = 'MalformedJobError';
  }
}
