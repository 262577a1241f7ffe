// A city filter matched no city of the published results, even ignoring case and accents.
import { ApiError } from './api-error.js';
import { printable } from './printable.js';

export class UnknownVilleError extends ApiError {
  readonly statusCode = 404;
  constructor(readonly ville: string) {
    super(`unknown ville '${printable(ville)}': not in the current results (see GET /api/villes)`);
    this.name = 'UnknownVilleError';
  }
}
