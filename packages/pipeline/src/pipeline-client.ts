// What the API (and tests) use of the pipeline: start a run as a BullMQ flow, read run reports and results,
// hear about new results, and the queues for Bull Board.
import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { nanoid } from 'nanoid';
import type { Config, Logger } from '@autoconnect/config';
import { closeRedisConnection, createRedisConnection } from './connections.js';
import { aggregateJobOptions, childJobOptions, queueOptions } from './job-options.js';
import { jobIds, type AggregateJobData, type SplitJobData } from './job-catalogue.js';
import { QueueName } from './queue-names.js';
import { pipelineKeys, type PipelineKeys } from './redis-keys.js';
import { RunConflictError } from './run-conflict-error.js';
import type { PublishedResults, RunReport } from './run-report.js';
import { DEFAULT_RUN_TIMEOUT_MS, RunStore } from './run-store.js';
import { failOverdueRuns } from './run-deadline.js';
import { RunFlow } from './run-flow.js';
import { scripted } from './scripts.js';

export interface StartRunInput {
  /** File name inside DATA_DIR (the caller has checked it). */
  source: string;
}

/**
 * What asking to cancel a run did: `cancelled` (this call ended it; the report says so), `ended` (it had ended
 * already: completed, failed or cancelled), `unknown` (no such run).
 */
export type CancelOutcome = { outcome: 'cancelled' | 'ended'; report: RunReport } | { outcome: 'unknown' };

export interface PipelineClient {
  /**
   * Starts a run, whose deadline is RUN_TIMEOUT_MS from now; throws RunConflictError (with `activeRunId`)
   * while another run is active.
   */
  startRun(input: StartRunInput): Promise<RunReport>;
  /**
   * Cancels a run that has not ended: its report says `cancelled`, the active-run slot is free, its scratch data
   * is deleted and its jobs that no process holds are removed (the others find the run ended and stop).
   * Published results are left as they are.
   */
  cancelRun(runId: string): Promise<CancelOutcome>;
  /** Fails the runs past their deadline (RUN_TIMEOUT_MS) that have not ended; returns the ids this call ended. */
  failOverdueRuns(): Promise<string[]>;
  getRun(runId: string): Promise<RunReport | null>;
  /** The most recent runs, newest first. */
  listRuns(limit: number): Promise<RunReport[]>;
  getCurrentResults(): Promise<PublishedResults | null>;
  /** The results a completed run published, while kept (the last KEEP_RESULTS runs). */
  getResults(runId: string): Promise<PublishedResults | null>;
  currentRunId(): Promise<string | null>;
  /** Calls `listener(runId)` each time a run's results are published; returns the unsubscribe function. */
  onResultsPublished(listener: (runId: string) => void): () => void;
  activeRunId(): Promise<string | null>;
  /** Whether Redis answers within a second. */
  ping(): Promise<boolean>;
  /** Every queue of the pipeline (split, map, aggregate), for Bull Board. */
  readonly queues: Queue[];
  /** The client's Redis connection (producer kind: fails fast). */
  readonly redis: Redis;
  readonly keys: PipelineKeys;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 1_000;

export function createPipelineClient(
  config: Pick<Config, 'REDIS_URL' | 'REDIS_PREFIX'> & Partial<Pick<Config, 'REDIS_COMMAND_TIMEOUT_MS' | 'RUN_TIMEOUT_MS'>>,
  logger: Logger,
): PipelineClient {
  const prefix = config.REDIS_PREFIX;
  const keys = pipelineKeys(prefix);
  const redis = createRedisConnection(config, logger, 'producer', 'pipeline-client');
  const runs = new RunStore(redis, keys);
  const queues = [QueueName.split, QueueName.map, QueueName.aggregate].map((name) => new Queue(name, queueOptions(prefix, redis)));
  const flow = new RunFlow(redis, queues[2]);
  let flowProducer: FlowProducer | null = null;
  let subscriber: Redis | null = null;
  const listeners = new Set<(runId: string) => void>();

  function subscribe(): void {
    if (subscriber) return;
    subscriber = createRedisConnection(config, logger, 'subscriber', 'pipeline-results-subscriber');
    subscriber.on('message', (channel: string, runId: string) => {
      if (channel !== keys.resultsChannel) return;
      for (const listener of listeners) {
        try {
          listener(runId);
        } catch (err) {
          logger.error({ err }, 'results listener failed');
        }
      }
    });
    subscriber.subscribe(keys.resultsChannel).catch((err: unknown) => logger.error({ err }, 'cannot subscribe to results'));
  }

  return {
    queues,
    redis,
    keys,

    async startRun({ source }) {
      const runId = nanoid();
      const { activeRunId } = await runs.create(runId, source, { timeoutMs: config.RUN_TIMEOUT_MS ?? DEFAULT_RUN_TIMEOUT_MS });
      if (activeRunId) throw new RunConflictError(activeRunId);
      flowProducer ??= new FlowProducer({ connection: redis, prefix });
      const aggregateData: AggregateJobData = { runId };
      const splitData: SplitJobData = { runId, source };
      try {
        await flowProducer.add({
          name: QueueName.aggregate,
          queueName: QueueName.aggregate,
          data: aggregateData,
          opts: { ...aggregateJobOptions, jobId: jobIds.aggregate(runId) },
          // The split is a child so the parent stays in waiting-children until every map child is added.
          children: [
            { name: QueueName.split, queueName: QueueName.split, data: splitData, opts: { ...childJobOptions, jobId: jobIds.split(runId) } },
          ],
        });
      } catch (err) {
        await runs.fail(runId, 'the run could not be queued').catch(() => undefined);
        throw err;
      }
      const report = await runs.get(runId);
      if (!report) throw new Error(`run ${runId} vanished right after it was created`);
      return report;
    },

    async cancelRun(runId) {
      // Looked up first: asking about an id that is no run, or a run that has ended, changes nothing.
      const before = await runs.get(runId);
      if (before === null) return { outcome: 'unknown' };
      const cancelled = await runs.cancel(runId);
      if (cancelled) {
        logger.info({ runId, stage: before.status }, 'run cancelled');
        // Best effort: a job left behind finds the run ended and stops.
        await flow.discard(runId).catch((err: unknown) => logger.warn({ err, runId }, "cannot remove a cancelled run's jobs"));
      }
      const report = await runs.get(runId);
      if (report === null) return { outcome: 'unknown' };
      return { outcome: cancelled ? 'cancelled' : 'ended', report };
    },

    failOverdueRuns: () => failOverdueRuns(runs, flow, logger),

    getRun: (runId) => runs.get(runId),
    listRuns: (limit) => runs.list(limit),
    activeRunId: () => runs.activeRunId(),

    async getCurrentResults() {
      const json = await scripted(redis).currentResults(keys.currentResults, keys.results(''));
      return json ? (JSON.parse(json) as PublishedResults) : null;
    },

    async getResults(runId) {
      const json = await redis.get(keys.results(runId));
      return json ? (JSON.parse(json) as PublishedResults) : null;
    },

    currentRunId: () => redis.get(keys.currentResults),

    onResultsPublished(listener) {
      listeners.add(listener);
      subscribe();
      return () => {
        listeners.delete(listener);
      };
    },

    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
      });
      try {
        return await Promise.race([redis.ping().then((reply) => reply === 'PONG', () => false), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    async close() {
      await Promise.allSettled([...queues.map((queue) => queue.close()), flowProducer?.close()]);
      // Queue.close() does not quit a connection it was given.
      await Promise.allSettled([closeRedisConnection(redis), subscriber ? closeRedisConnection(subscriber) : undefined]);
    },
  };
}
