export { buildApp, BODY_LIMIT_BYTES, type App, type BuildAppOptions } from './app.js';
export { startServer, type RunningServer } from './server.js';
export { openApiDocument, type OpenApiDocument } from './openapi-document.js';
