// GET /api/status: whether starting a run needs the token, which run's results are published, which run is
// active. Public, like every read: the dashboard reads it first, so it neither probes with 404s nor 401s.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '@autoconnect/config';
import {
  NoQuerySchema,
  StatusResponseSchema,
  documented,
  errorResponses,
  redisUnavailableAnswer,
  unknownParameterAnswer,
} from '../../schemas/index.js';
import { maxUploadBytes } from '../../files/data-files.js';

export const statusRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  app.get(
    '/status',
    {
      preHandler: app.redisAvailability.requireConnection,
      schema: {
        operationId: 'getStatus',
        tags: ['runs'],
        summary: 'Service status',
        description:
          'Whether POST /api/process needs the bearer token, the run whose results are published, the active run, and the upload limit.',
        querystring: NoQuerySchema,
        response: {
          200: documented(StatusResponseSchema, 'The status.'),
          ...errorResponses({ 400: unknownParameterAnswer, 503: redisUnavailableAnswer() }),
        },
      },
    },
    async () => {
      const [current, active] = await Promise.all([app.pipeline.currentRunId(), app.pipeline.activeRunId()]);
      return {
        auth_required: config.ADMIN_TOKEN !== '',
        current_run_id: current,
        active_run_id: active,
        max_upload_bytes: maxUploadBytes(config),
      };
    },
  );
};
