export { ApiError } from './api-error.js';
export { NoResultsError } from './no-results-error.js';
export { UnknownVilleError } from './unknown-ville-error.js';
export { InvalidSourceError } from './invalid-source-error.js';
export { SourceNotFoundError } from './source-not-found-error.js';
export { JobNotFoundError } from './job-not-found-error.js';
export { UnauthorizedError } from './unauthorized-error.js';
export { ParameterError } from './parameter-error.js';
