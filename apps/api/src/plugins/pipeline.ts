// The pipeline client of the app (queues, run reports, published results): made here unless one is given,
// and then closed with the app. A client passed in belongs to whoever made it.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config, Logger } from '@autoconnect/config';
import { createPipelineClient, type PipelineClient } from '@autoconnect/pipeline';

declare module 'fastify' {
  interface FastifyInstance {
    pipeline: PipelineClient;
  }
}

export interface PipelinePluginOptions {
  config: Config;
  logger: Logger;
  pipeline?: PipelineClient;
}

async function pipelinePlugin(app: FastifyInstance, options: PipelinePluginOptions): Promise<void> {
  const owned = options.pipeline === undefined;
  const pipeline = options.pipeline ?? createPipelineClient(options.config, options.logger);
  app.decorate('pipeline', pipeline);
  // The connection already logs Redis errors (throttled); a queue without an 'error' listener would also
  // print each one to the console.
  for (const queue of pipeline.queues) {
    queue.on('error', (err: Error) => options.logger.debug({ err, queue: queue.name }, 'queue error'));
  }
  if (owned) app.addHook('onClose', async () => pipeline.close());
}

export default fp(pipelinePlugin, { name: 'pipeline' });
