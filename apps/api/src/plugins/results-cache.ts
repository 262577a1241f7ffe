// Serves results from memory: one ResultsCache per app, started when the app is ready, stopped on close.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@autoconnect/config';
import { ResultsCache } from '../results/results-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    resultsCache: ResultsCache;
  }
}

/** Variants of one run kept serialised: cities × months of ca-mensuel dominate, a few hundred at most. */
const MAX_VARIANTS = 2_000;
/**
 * Fallback for a missed publication message, and how the memory learns that Redis lost its results: two
 * API instances disagree at most this long (one GET a second each).
 */
const VERSION_CHECK_MS = 1_000;

async function resultsCachePlugin(app: FastifyInstance, options: { logger: Logger }): Promise<void> {
  const cache = new ResultsCache(app.pipeline, options.logger, { maxVariants: MAX_VARIANTS, versionCheckMs: VERSION_CHECK_MS });
  app.decorate('resultsCache', cache);
  app.addHook('onReady', async () => cache.start());
  app.addHook('onClose', async () => cache.stop());
}

export default fp(resultsCachePlugin, { name: 'results-cache', dependencies: ['pipeline'] });
