// Bull Board at /admin/queues over every queue of the pipeline (split → map → aggregate, so a run's flow
// can be followed from parent to children). The Basic-auth hook sits in the same encapsulated scope as the
// board, so it guards the page, its static assets and its JSON API alike.
import type { FastifyInstance } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { basicAuth } from './auth.js';

export const BULL_BOARD_PATH = '/admin/queues';

export async function bullBoardPlugin(app: FastifyInstance, options: { adminToken: string }): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: app.pipeline.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'AutoConnect pipeline' } },
  });
  app.addHook('onRequest', basicAuth(options.adminToken));
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
