// A results endpoint was called before any run completed.
import { ApiError } from './api-error.js';

export class NoResultsError extends ApiError {
  readonly statusCode = 404;
  constructor() {
    super('no results yet');
    this.name = 'NoResultsError';
  }
}
