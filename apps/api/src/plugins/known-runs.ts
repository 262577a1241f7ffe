// The runs this API process has seen (started, or reported by GET /api/jobs), with the Redis server that
// held them then: when Redis no longer has one, GET /api/jobs/:id says the run was lost (and whether Redis
// restarted since) instead of calling its id unknown. Bounded: the oldest ids are forgotten first.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { RunLoss } from '../errors/run-lost-error.js';

declare module 'fastify' {
  interface FastifyInstance {
    knownRuns: KnownRuns;
  }
}

/** Far more than the run history Redis keeps, and still a few hundred KB at most. */
const KNOWN_RUNS = 10_000;

export class KnownRuns {
  /** run id → run_id of the Redis server seen holding it (null when unknown); in insertion order. */
  private readonly seen = new Map<string, string | null>();

  constructor(
    private readonly serverId: () => string | null,
    private readonly capacity = KNOWN_RUNS,
  ) {}

  remember(runId: string): void {
    this.seen.delete(runId);
    this.seen.set(runId, this.serverId());
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value as string);
  }

  /** How a run Redis no longer holds left it; null for a run this process never saw. */
  lossOf(runId: string): RunLoss | null {
    if (!this.seen.has(runId)) return null;
    const then = this.seen.get(runId) ?? null;
    const now = this.serverId();
    if (then === null || now === null) return 'unknown';
    return then === now ? 'deleted' : 'redis-restarted';
  }
}

async function knownRunsPlugin(app: FastifyInstance): Promise<void> {
  app.decorate('knownRuns', new KnownRuns(() => app.redisAvailability.serverId));
}

export default fp(knownRunsPlugin, { name: 'known-runs', dependencies: ['redis-availability'] });
