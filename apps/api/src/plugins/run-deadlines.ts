// RUN_TIMEOUT_MS: the API, like every role, looks once a second for runs past their deadline and fails them (see
// the pipeline's run-deadline.ts), so a run whose roles are all down still ends while someone can read it.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@autoconnect/config';
import { watchDeadlines, type DeadlineWatch } from '@autoconnect/pipeline';

async function runDeadlinesPlugin(app: FastifyInstance, options: { logger: Logger }): Promise<void> {
  let watch: DeadlineWatch | null = null;
  app.addHook('onReady', async () => {
    watch = watchDeadlines(() => app.pipeline.failOverdueRuns(), options.logger);
  });
  app.addHook('onClose', async () => {
    watch?.stop();
  });
}

export default fp(runDeadlinesPlugin, { name: 'run-deadlines', dependencies: ['pipeline'] });
