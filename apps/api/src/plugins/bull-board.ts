// Bull Board at /admin/queues over every queue of the pipeline (split → map → aggregate, so a run's flow
// can be followed from parent to children). The Basic-auth hook (with the failed-auth throttle) sits in the
// same encapsulated scope as the board, so it guards the page, its static assets and its JSON API alike;
// the board's actions (PUT, POST, DELETE) are refused when a browser sends them from another origin.
import type { FastifyInstance } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { basicAuth } from './auth.js';
import { refuseCrossSite } from './state-change.js';

export const BULL_BOARD_PATH = '/admin/queues';

export async function bullBoardPlugin(app: FastifyInstance, options: { adminToken: string }): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: app.pipeline.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'AutoConnect pipeline' } },
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    refuseCrossSite.call(app, request, reply, done);
  });
  app.addHook('onRequest', basicAuth(options.adminToken, app.authThrottle));
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
