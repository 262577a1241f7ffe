// Builds the API (plugins, schemas, routes) without listening: tests drive it with inject, server.ts listens.
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config, Logger } from '@autoconnect/config';
import type { PipelineClient } from '@autoconnect/pipeline';
import { strictValidatorCompiler } from './validation/strict-validator-compiler.js';
import { clientErrorHandler } from './errors/client-error-handler.js';
import errorsPlugin, { answerFrameworkError } from './plugins/errors.js';
import securityPlugin from './plugins/security.js';
import stateChangePlugin from './plugins/state-change.js';
import swaggerPlugin from './plugins/swagger.js';
import pipelinePlugin from './plugins/pipeline.js';
import redisAvailabilityPlugin from './plugins/redis-availability.js';
import knownRunsPlugin from './plugins/known-runs.js';
import resultsCachePlugin from './plugins/results-cache.js';
import runDeadlinesPlugin from './plugins/run-deadlines.js';
import { bullBoardPlugin } from './plugins/bull-board.js';
import metricsPlugin from './plugins/metrics.js';
import { dashboardPlugin } from './plugins/dashboard.js';
import { RequestLogController } from './logging/request-log-controller.js';
import eventsPlugin from './plugins/events.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import {
  caMensuelRoutes,
  eventsRoutes,
  filesRoutes,
  jobsRoutes,
  processRoutes,
  repartitionRoutes,
  statusRoutes,
  topModelesRoutes,
  villesRoutes,
} from './routes/api/index.js';

/** Bodies are tiny JSON objects ({ "source": "…" }); anything larger is refused with 413. */
export const BODY_LIMIT_BYTES = 16 * 1024;

export interface BuildAppOptions {
  config: Config;
  logger: Logger;
  /** A client made elsewhere (kept open on close); by default the app makes and closes its own. */
  pipeline?: PipelineClient;
  /** Event streams: how often the newest run is looked at (200 ms) and the heartbeat period (15 s). */
  events?: { pollMs?: number; heartbeatMs?: number };
}

/** Event streams look at the newest run this often while a client listens: progress within 250 ms. */
export const EVENTS_POLL_MS = 200;
/** Well under the idle timeouts of common proxies (60 s for nginx). */
export const EVENTS_HEARTBEAT_MS = 15_000;

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export async function buildApp({
  config,
  logger,
  pipeline,
  events = {},
}: BuildAppOptions): Promise<App> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; typing it as such keeps route and plugin types the default ones.
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // One line per answer, at a level that depends on how it went (logging/request-log-controller.ts).
    logController: new RequestLogController(),
    // Lets in-flight requests finish on close while new ones get 503.
    return503OnClosing: true,
    // Long enough for any file name an upload may have (200), so a longer one gets a 400 that says why.
    routerOptions: { maxParamLength: 256 },
    // A bad URL (400) or a too long path parameter (414), refused by the router, answers in the error shape.
    frameworkErrors: answerFrameworkError,
    // Requests the HTTP parser refuses (a URL with raw non-ASCII letters…): the error shape, a useful message.
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(strictValidatorCompiler);

  // External plugins, then the app's own, then routes (swagger must see every route).
  await app.register(errorsPlugin, { redisCommandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  await app.register(securityPlugin);
  // Before swagger: it adds the 401/403/429 answers to the schema of each route that changes state.
  await app.register(stateChangePlugin, { config });
  await app.register(swaggerPlugin);
  await app.register(pipelinePlugin, { config, logger, pipeline });
  await app.register(redisAvailabilityPlugin, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS, logger });
  await app.register(knownRunsPlugin);
  // Before every route, so each answer is timed.
  await app.register(metricsPlugin, { logger });
  await app.register(resultsCachePlugin, { logger });
  await app.register(runDeadlinesPlugin, { logger });
  await app.register(eventsPlugin, {
    logger,
    pollMs: events.pollMs ?? EVENTS_POLL_MS,
    heartbeatMs: events.heartbeatMs ?? EVENTS_HEARTBEAT_MS,
  });
  await app.register(bullBoardPlugin, { adminToken: config.ADMIN_TOKEN });
  if (config.ADMIN_TOKEN === '') {
    logger.warn('ADMIN_TOKEN is not set: POST /api/process, cancelling runs, PUT /api/files and /admin/queues are open to anyone');
  }

  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(dashboardPlugin);
  await app.register(
    async (api) => {
      await api.register(villesRoutes);
      await api.register(caMensuelRoutes);
      await api.register(repartitionRoutes);
      await api.register(topModelesRoutes);
      await api.register(processRoutes, { config });
      await api.register(jobsRoutes);
      await api.register(statusRoutes, { config });
      await api.register(filesRoutes, { config });
      await api.register(eventsRoutes, { config });
    },
    { prefix: '/api' },
  );
  return app;
}
