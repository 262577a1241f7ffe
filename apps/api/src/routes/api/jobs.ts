// GET /api/jobs/:id and GET /api/jobs: run reports; POST /api/jobs/:id/cancel: ends an active run.
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RunNotFoundError } from '../../errors/run-not-found-error.js';
import { RunAlreadyEndedError } from '../../errors/run-already-ended-error.js';
import { RunLostError } from '../../errors/run-lost-error.js';
import { jsonBodyOnly } from '../../security/json-body.js';
import {
  CancelBodySchema,
  JobParamsSchema,
  JobsQuerySchema,
  JobsResponseSchema,
  NoQuerySchema,
  RUN_ID_PATTERN,
  RunReportSchema,
  documented,
  errorResponses,
  redisUnavailableAnswer,
  uriTooLongAnswer,
} from '../../schemas/index.js';

const RUN_ID = new RegExp(RUN_ID_PATTERN);

/** The 404 for a run Redis does not hold: a run this API saw and Redis lost is said as such. */
function runNotFound(app: FastifyInstance, runId: string): Error {
  const loss = app.knownRuns.lossOf(runId);
  return loss === null ? new RunNotFoundError(runId) : new RunLostError(runId, loss);
}

export const jobsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/jobs/:id',
    {
      // 503 at once while Redis is away (the command deadline covers a Redis that is up but silent).
      preHandler: app.redisAvailability.requireConnection,
      schema: {
        operationId: 'getRun',
        tags: ['runs'],
        summary: 'Report of a run',
        description: 'Status, progress, rejected rows by reason with the first samples, and the error of a failed run.',
        params: JobParamsSchema,
        querystring: NoQuerySchema,
        response: {
          200: documented(RunReportSchema, 'The run report.'),
          ...errorResponses({
            400: {
              description: 'A query parameter was sent (this route takes none), or the id is not valid percent-encoding.',
              example: "unknown query parameter 'verbose'; allowed: none",
            },
            404: {
              description: 'No run has this id, or Redis lost the run (the message says so).',
              example: "unknown job 'NoSuchRun'",
            },
            414: uriTooLongAnswer,
            503: redisUnavailableAnswer(),
          }),
        },
      },
    },
    async (request) => {
      const { id: runId } = request.params;
      // Ids are nanoids: anything else is unknown, and never becomes part of a Redis key.
      const run = RUN_ID.test(runId) ? await app.pipeline.getRun(runId) : null;
      if (run === null) throw runNotFound(app, runId);
      app.knownRuns.remember(runId);
      return run;
    },
  );

  app.post(
    '/jobs/:id/cancel',
    {
      // Cross-site check, token, failed-auth throttle and RATE_LIMIT_PER_MINUTE (plugins/state-change.ts).
      config: { changesState: true },
      onRequest: jsonBodyOnly,
      // Before the rate limit counts the request: an unknown id does not use it up, nor does a silent Redis.
      preHandler: [
        app.redisAvailability.requireAnswer,
        async (request) => {
          const { id: runId } = request.params;
          if (!RUN_ID.test(runId) || (await app.pipeline.getRun(runId)) === null) throw runNotFound(app, runId);
        },
      ],
      schema: {
        operationId: 'cancelRun',
        tags: ['runs'],
        summary: 'Cancel a run',
        description:
          'Ends a run that has not ended (queued, splitting, mapping or reducing) with the status cancelled, at once: ' +
          'the active-run slot is free for the next POST /api/process, the run\'s partial data is deleted, its jobs ' +
          'still waiting are removed (a job being processed stops at its next step and stores nothing), and the ' +
          'published results stay those of the last completed run. No body, or an empty JSON object. Needs the ' +
          'bearer token when ADMIN_TOKEN is set; refused (403) when a browser sends it from a page of another origin.',
        params: JobParamsSchema,
        querystring: NoQuerySchema,
        body: CancelBodySchema,
        // The bearer token, 401, 403 and 429 come with `changesState` (plugins/state-change.ts).
        response: {
          202: documented(RunReportSchema, 'The run is cancelled: its report, status cancelled.'),
          ...errorResponses({
            400: {
              description: 'The body is not empty, a query parameter was sent, or the id is not valid percent-encoding.',
              example: "body must NOT have additional properties; allowed: no body, or {}",
            },
            404: {
              description: 'No run has this id, or Redis lost the run (the message says so).',
              example: "unknown job 'NoSuchRun'",
            },
            409: {
              description: 'The run has already ended (completed, failed or cancelled); the message says which.',
              example:
                'run 1pL3EumfjyY4LLOvQoDYa has already ended (completed); only a queued, splitting, mapping or reducing run can be cancelled',
            },
            413: { description: 'The body is larger than 16 KiB.', example: 'Request body is too large' },
            415: {
              description: 'A body whose content type is not application/json.',
              example:
                "unsupported content type 'text/plain': send the body as JSON with Content-Type: application/json, or send no body",
            },
            414: uriTooLongAnswer,
            503: redisUnavailableAnswer(),
          }),
        },
      },
    },
    async (request, reply) => {
      const { id: runId } = request.params;
      const cancel = await app.pipeline.cancelRun(runId);
      if (cancel.outcome === 'unknown') throw runNotFound(app, runId);
      app.knownRuns.remember(runId);
      if (cancel.outcome === 'ended') throw new RunAlreadyEndedError(runId, cancel.report.status);
      request.log.info({ runId }, 'run cancelled');
      return reply.code(202).send(cancel.report);
    },
  );

  app.get(
    '/jobs',
    {
      preHandler: app.redisAvailability.requireConnection,
      schema: {
        operationId: 'listRuns',
        tags: ['runs'],
        summary: 'Recent runs',
        description: 'The most recent runs, newest first, each with the same fields as GET /api/jobs/{id}.',
        querystring: JobsQuerySchema,
        response: {
          200: documented(JobsResponseSchema, 'Run reports, newest first.'),
          ...errorResponses({
            400: {
              description: '`limit` is not an integer from 1 to 100, or another parameter was sent.',
              example: 'invalid query parameter limit="0": expected an integer from 1 to 100 (default 20): how many runs.',
            },
            503: redisUnavailableAnswer(),
          }),
        },
      },
    },
    async (request) => {
      const runs = await app.pipeline.listRuns(request.query.limit ?? 20);
      for (const run of runs) app.knownRuns.remember(run.job_id);
      return runs;
    },
  );
};
