// A querystring, path parameter or body that breaks its schema; the message says what is allowed.
import { ApiError } from './api-error.js';

export class ParameterError extends ApiError {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}
