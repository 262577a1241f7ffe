// Missing or wrong credentials; carries the WWW-Authenticate challenge to answer with.
import { ApiError } from './api-error.js';

export class UnauthorizedError extends ApiError {
  readonly statusCode = 401;
  constructor(readonly challenge: string, message = 'missing or invalid credentials') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}
