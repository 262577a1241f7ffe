// POST /api/process: starts a run on a CSV of DATA_DIR (one run at a time).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '@autoconnect/config';
import { RunConflictError } from '@autoconnect/pipeline';
import {
  ProcessAcceptedSchema,
  ProcessBodySchema,
  RunConflictSchema,
  documented,
  errorResponse,
  redisUnavailableResponse,
} from '../../schemas/index.js';
import { bearerAuth } from '../../plugins/auth.js';
import { resolveSource } from '../../source/resolve-source.js';

export interface ProcessRateLimit {
  max: number;
  /** Milliseconds. */
  timeWindow: number;
}

/** Starting runs is expensive and the route takes a token: a client looping on it gets 429. */
export const PROCESS_RATE_LIMIT: ProcessRateLimit = { max: 10, timeWindow: 60_000 };

export const processRoutes: FastifyPluginAsyncTypebox<{ config: Config; rateLimit: ProcessRateLimit }> = async (
  app,
  { config, rateLimit },
) => {
  app.post(
    '/process',
    {
      // The limit first, so refused tokens count too: guessing the token is slowed as much as flooding.
      onRequest: [app.rateLimit(rateLimit), bearerAuth(config.ADMIN_TOKEN)],
      // startRun's writes must not wait in a silent Redis's socket and run after the client was told 503.
      preHandler: app.redisAvailability.requireAnswer,
      schema: {
        tags: ['runs'],
        summary: 'Start a run',
        description:
          'Processes a CSV file of DATA_DIR (DATA_FILE when no source is given). Only the path is checked before 202: ' +
          'a file that cannot be processed is accepted and its run ends failed. Needs the bearer token when ADMIN_TOKEN is set.',
        security: [{ adminToken: [] }],
        body: ProcessBodySchema,
        response: {
          202: documented(ProcessAcceptedSchema, 'Run started; Location gives its report.', {
            Location: Type.String({ description: '/api/jobs/<job_id>' }),
          }),
          400: errorResponse('The source is absolute, contains "..", is not a .csv, or the body is invalid.'),
          401: errorResponse('ADMIN_TOKEN is set and the bearer token is missing or wrong.'),
          404: errorResponse('No such file in DATA_DIR.'),
          409: documented(RunConflictSchema, 'Another run is active; job_id names it.'),
          429: errorResponse('Too many requests; retry later.'),
          503: redisUnavailableResponse(),
        },
      },
    },
    async (request, reply) => {
      const source = await resolveSource(config.DATA_DIR, request.body?.source ?? config.DATA_FILE);
      try {
        const run = await app.pipeline.startRun({ source });
        app.knownRuns.remember(run.job_id);
        request.log.info({ runId: run.job_id, source }, 'run started');
        return reply.code(202).header('Location', `/api/jobs/${run.job_id}`).send({ status: 'processing_started', job_id: run.job_id });
      } catch (err) {
        if (!(err instanceof RunConflictError)) throw err;
        return reply.code(409).send({
          statusCode: 409,
          error: 'Conflict',
          message: `run ${err.activeRunId} is still active; wait for it to end (GET /api/jobs/${err.activeRunId})`,
          job_id: err.activeRunId,
        });
      }
    },
  );
};
