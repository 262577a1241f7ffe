// GET /api/jobs/:id and GET /api/jobs: run reports.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JobNotFoundError } from '../../errors/job-not-found-error.js';
import { RunLostError } from '../../errors/run-lost-error.js';
import {
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
      const { id } = request.params;
      // Ids are nanoids: anything else is unknown, and never becomes part of a Redis key.
      const run = RUN_ID.test(id) ? await app.pipeline.getRun(id) : null;
      if (run === null) {
        const loss = app.knownRuns.lossOf(id);
        throw loss === null ? new JobNotFoundError(id) : new RunLostError(id, loss);
      }
      app.knownRuns.remember(id);
      return run;
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
