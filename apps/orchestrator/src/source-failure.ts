// How a planning error reaches BullMQ: bad input (the file's fault, or the source's) is not retried and its
// message is the run's error; anything else is retried as it is.
import { UnrecoverableError } from 'bullmq';
import { InputError } from '@autoconnect/core';
import { SourceChangedError, SourceMissingError, SourceRefusedError, SourceUnreadableError } from '@autoconnect/data-folder';

export function asJobError(err: unknown): unknown {
  if (err instanceof UnrecoverableError) return err;
  if (
    err instanceof InputError ||
    err instanceof SourceRefusedError ||
    err instanceof SourceMissingError ||
    err instanceof SourceUnreadableError ||
    err instanceof SourceChangedError
  ) {
    return new UnrecoverableError((err as Error).message);
  }
  return err;
}
