// The run event hub of the app (events/run-event-hub.ts), fed with the results this API starts serving, and
// Server-Sent Events support (@fastify/sse) for GET /api/events. Streams are ended before the server closes.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { fastifySSE } from '@fastify/sse';
import type { Logger } from '@autoconnect/config';
import { RunEventHub } from '../events/run-event-hub.js';

declare module 'fastify' {
  interface FastifyInstance {
    runEvents: RunEventHub;
  }
}

export interface EventsPluginOptions {
  logger: Logger;
  /** How often the newest run's report is read while a client listens. */
  pollMs: number;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs: number;
}

async function eventsPlugin(app: FastifyInstance, options: EventsPluginOptions): Promise<void> {
  await app.register(fastifySSE, { heartbeatInterval: options.heartbeatMs });
  const hub = new RunEventHub(app.pipeline, options.logger, { pollMs: options.pollMs });
  app.decorate('runEvents', hub);
  const stopListening = app.resultsCache.onNewResults((view) => void hub.resultsServed(view.runId, view.published.publishedAt));
  app.addHook('onClose', async () => {
    stopListening();
    hub.close();
  });
}

export default fp(eventsPlugin, { name: 'events', dependencies: ['pipeline', 'results-cache'] });
