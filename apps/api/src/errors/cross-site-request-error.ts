// A browser sent a request that changes state from a page of another site or origin (cross-site request
// forgery): refused whatever its credentials.
import { ApiError } from './api-error.js';

export class CrossSiteRequestError extends ApiError {
  readonly statusCode = 403;
  constructor(reason: string) {
    super(
      `cross-site request refused (${reason}): this route changes state and accepts no request sent by a page of ` +
        'another origin; call it from a script or from this service\'s own pages',
    );
    this.name = 'CrossSiteRequestError';
  }
}
