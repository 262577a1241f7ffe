// POST /api/process: starts a run on a CSV of DATA_DIR (one run at a time).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '@autoconnect/config';
import { RunConflictError } from '@autoconnect/pipeline';
import {
  NoQuerySchema,
  ProcessAcceptedSchema,
  ProcessBodySchema,
  RunConflictSchema,
  documented,
  errorResponses,
  redisUnavailableAnswer,
} from '../../schemas/index.js';
import { jsonBodyOnly } from '../../security/json-body.js';
import { resolveSource } from '../../source/resolve-source.js';

export const processRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  app.post(
    '/process',
    {
      // Cross-site check, token, failed-auth throttle and RATE_LIMIT_PER_MINUTE (plugins/state-change.ts).
      config: { changesState: true },
      onRequest: jsonBodyOnly,
      // Checks that come before the rate limit counts the request: a bad or missing source does not use it
      // up, nor does a Redis that does not answer.
      preHandler: [
        async (request) => {
          // The run gets the name as checked and normalised (`./a.csv` → `a.csv`).
          request.body = { source: await resolveSource(config.DATA_DIR, request.body?.source ?? config.DATA_FILE) };
        },
        // startRun's writes must not wait in a silent Redis's socket and run after the client was told 503.
        app.redisAvailability.requireAnswer,
      ],
      schema: {
        operationId: 'startRun',
        tags: ['runs'],
        summary: 'Start a run',
        description:
          'Processes a CSV file of DATA_DIR (DATA_FILE when no source is given). Only the path is checked before 202: ' +
          'a file that cannot be processed is accepted and its run ends failed. The body is optional; when sent it is ' +
          'JSON (Content-Type: application/json). Needs the bearer token when ADMIN_TOKEN is set; refused (403) when a ' +
          'browser sends it from a page of another origin.',
        querystring: NoQuerySchema,
        body: ProcessBodySchema,
        // The bearer token, 401, 403 and 429 come with `changesState` (plugins/state-change.ts).
        response: {
          202: documented(ProcessAcceptedSchema, 'Run started; Location gives its report.', {
            Location: Type.String({ description: '/api/jobs/<job_id>', example: '/api/jobs/1pL3EumfjyY4LLOvQoDYa' }),
          }),
          409: documented(RunConflictSchema, 'Another run is active; job_id names it.'),
          ...errorResponses({
            400: {
              description: 'The source is absolute, contains "..", is not a .csv, or the body or a parameter is invalid.',
              example:
                "invalid source '../ventes.csv': '..' is not allowed; expected a .csv file name inside DATA_DIR, relative, without '..'",
            },
            404: { description: 'No such file in DATA_DIR.', example: "source 'ventes-2025.csv' not found in DATA_DIR" },
            413: { description: 'The body is larger than 16 KiB.', example: 'Request body is too large' },
            415: {
              description: 'A body whose content type is not application/json.',
              example:
                "unsupported content type 'application/x-www-form-urlencoded': send the body as JSON with Content-Type: application/json, or send no body",
            },
            503: redisUnavailableAnswer(),
          }),
        },
      },
    },
    async (request, reply) => {
      const source = request.body?.source ?? config.DATA_FILE;
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
