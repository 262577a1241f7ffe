// The orchestrator role: a BullMQ worker on the `split` queue, plus the producer of `map` jobs.
import { Queue, Worker } from 'bullmq';
import type { Config, Logger } from '@autoconnect/config';
import {
  ChunkLink,
  closeRedisConnection,
  createRedisConnection,
  isFinalFailure,
  pipelineKeys,
  QueueName,
  RunStore,
  workerOptions,
  type MapJobData,
  type RunningRole,
  type SplitJobData,
  type SplitJobResult,
} from '@autoconnect/pipeline';
import { createSplitProcessor } from './split.processor.js';

export async function startOrchestrator(config: Config, logger: Logger): Promise<RunningRole> {
  const keys = pipelineKeys(config.REDIS_PREFIX);
  const redis = createRedisConnection(config, logger, 'worker', 'orchestrator');
  const workerConnection = createRedisConnection(config, logger, 'worker', 'orchestrator-worker');
  const chunks = ChunkLink.like(redis, 'orchestrator-chunks');
  const runs = new RunStore(redis, keys);
  const mapQueue = new Queue<MapJobData>(QueueName.map, { connection: redis, prefix: config.REDIS_PREFIX });
  const processor = createSplitProcessor({ config, logger, redis, chunks, keys, runs, mapQueue });
  // One split at a time per process: there is one active run, and a split is I/O-bound on one file.
  const worker = new Worker<SplitJobData, SplitJobResult>(QueueName.split, processor, workerOptions(config, workerConnection, 'orchestrator', 1));

  worker.on('failed', (job, err) => {
    logger.warn({ runId: job?.data.runId, attempt: job?.attemptsMade, err: err.message }, 'split failed');
    if (!job || !isFinalFailure(job, err)) return;
    runs.fail(job.data.runId, err.message).catch((failErr: unknown) => logger.error({ err: failErr }, 'cannot mark run failed'));
  });
  worker.on('error', (err) => logger.error({ err }, 'split worker error'));
  await worker.waitUntilReady();

  return {
    async close() {
      await worker.close();
      await mapQueue.close();
      chunks.close();
      await Promise.all([closeRedisConnection(workerConnection), closeRedisConnection(redis)]);
    },
  };
}
