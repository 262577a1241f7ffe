// Prometheus metrics of the API process: HTTP answers (timed on every route), the runs that end while it
// runs, the pipeline's queues, and Node's process metrics. One registry per app, so apps built side by side
// (tests) keep apart; GET /metrics (routes/metrics.ts) reads it.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '@autoconnect/config';
import { HttpMetrics, QueueMetrics, RunMetrics } from '../metrics/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

/** Reports read per look: one run is active at a time, so far fewer than this end between two scrapes. */
const RUN_WINDOW = 50;
/** BullMQ waits for a lost Redis without end: a scrape gives up on the pipeline figures after this long. */
const PIPELINE_READ_TIMEOUT_MS = 2_000;

/** `work`, or a rejection once `ms` have passed (the work itself goes on and its outcome is ignored). */
function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface AppMetrics {
  readonly registry: Registry;
  /** Brings the pipeline's figures up to date (never throws: a failed read sets autoconnect_pipeline_up to 0). */
  refresh(): Promise<void>;
}

async function metricsPlugin(app: FastifyInstance, options: { logger: Logger }): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new HttpMetrics(registry);
  const runs = new RunMetrics(app.pipeline, registry, { window: RUN_WINDOW, since: Date.now() });
  const queues = new QueueMetrics(app.pipeline.queues, registry);
  const pipelineUp = new Gauge({
    name: 'autoconnect_pipeline_up',
    help: '1 when the pipeline figures of this scrape (runs, queues) could be read from Redis, else 0.',
    registers: [registry],
  });

  const metrics: AppMetrics = {
    registry,
    async refresh() {
      const [runsRead, queuesRead] = await Promise.allSettled([
        withTimeout(runs.update(), PIPELINE_READ_TIMEOUT_MS, 'run reports'),
        withTimeout(queues.update(), PIPELINE_READ_TIMEOUT_MS, 'queue counts'),
      ]);
      if (queuesRead.status === 'rejected') queues.clear();
      const failure = [runsRead, queuesRead].find((read) => read.status === 'rejected');
      if (failure) options.logger.warn({ err: failure.reason }, 'metrics: could not read the pipeline figures');
      pipelineUp.set(failure ? 0 : 1);
    },
  };
  app.decorate('metrics', metrics);

  // A callback hook: an async one would cost every request a promise for a synchronous observation.
  app.addHook('onResponse', (request, reply, done) => {
    http.observe(request, reply);
    done();
  });

  // A completed run is counted as soon as its results are published; failed runs publish nothing and are
  // found at the next scrape.
  let unsubscribe: (() => void) | null = null;
  app.addHook('onReady', async () => {
    unsubscribe = app.pipeline.onResultsPublished(() => {
      runs.update().catch((err: unknown) => options.logger.warn({ err }, 'metrics: could not read run reports'));
    });
  });
  app.addHook('onClose', async () => unsubscribe?.());
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['pipeline'] });
