// GET /api/events: Server-Sent Events about runs (created, progress, ended) and published results, so a page
// open anywhere follows what any client starts. Every stream is fed by the app's one RunEventHub.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '@autoconnect/config';
import type { LiveEvent } from '../../events/run-event-hub.js';
import {
  EVENTS_DESCRIPTION,
  EVENT_STREAM_EXAMPLE,
  EventStreamSchema,
  NoQuerySchema,
  documentedMedia,
  errorResponses,
  unknownParameterAnswer,
} from '../../schemas/index.js';

/** Sent with the first event: browsers reconnect this soon after the stream drops. */
export const RECONNECT_MS = 2_000;
/** A client that leaves this much unread is too slow to follow: its stream is closed (it may reconnect). */
const MAX_UNREAD_BYTES = 1024 * 1024;

interface OpenStream {
  close(): void;
}

export const eventsRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const open = new Set<OpenStream>();
  // Before the server waits for its connections to end: an open stream never would.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.close();
  });

  app.get(
    '/events',
    {
      sse: { kind: 'only' },
      config: { longLived: true },
      schema: {
        operationId: 'streamEvents',
        tags: ['runs'],
        summary: 'Live events: runs and published results',
        description: EVENTS_DESCRIPTION,
        querystring: NoQuerySchema,
        response: {
          200: documentedMedia(
            'text/event-stream',
            EventStreamSchema,
            'The event stream (open until the client or the server closes it).',
            EVENT_STREAM_EXAMPLE,
          ),
          ...errorResponses({
            400: unknownParameterAnswer,
            406: { description: 'The Accept header refuses text/event-stream.', example: "This endpoint only produces 'text/event-stream'." },
          }),
        },
      },
    },
    async (request, reply) => {
      const stream = reply.sse;
      stream.keepAlive();
      open.add(stream);
      let live = false;
      const write = (event: LiveEvent) => {
        if (!stream.isConnected) return;
        if (reply.raw.writableLength > MAX_UNREAD_BYTES) {
          request.log.info('event stream closed: the client reads too slowly');
          stream.close();
          return;
        }
        stream.send({ event: event.name, data: event.data }).catch(() => undefined);
      };
      const unsubscribe = app.runEvents.subscribe((event) => {
        // Until the first state is sent, it already says what these events would.
        if (live) write(event);
      });
      stream.onClose(() => {
        unsubscribe();
        open.delete(stream);
      });

      await app.runEvents.ready();
      if (!stream.isConnected) return;
      // The state now, from the hub itself, then its events as they come: nothing is missed or repeated.
      const active = app.runEvents.activeRun();
      live = true;
      await stream.send({
        event: 'status',
        retry: RECONNECT_MS,
        data: {
          auth_required: config.ADMIN_TOKEN !== '',
          current_run_id: app.resultsCache.peek()?.runId ?? null,
          active_run_id: active?.job_id ?? null,
        },
      });
      if (active) write({ name: 'run.progress', data: active });
    },
  );
};
