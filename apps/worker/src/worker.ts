// The worker role: BullMQ workers on the `map` queue, WORKER_CONCURRENCY jobs at once.
import { Worker } from 'bullmq';
import type { Config, Logger } from '@autoconnect/config';
import {
  ChunkLink,
  closeRedisConnection,
  createRedisConnection,
  isFinalFailure,
  mapFailureMessage,
  pipelineKeys,
  QueueName,
  RunStore,
  workerOptions,
  type MapJobData,
  type MapJobResult,
  type RunningRole,
} from '@autoconnect/pipeline';
import { createMapProcessor } from './map.processor.js';

export async function startWorker(config: Config, logger: Logger): Promise<RunningRole> {
  const keys = pipelineKeys(config.REDIS_PREFIX);
  const redis = createRedisConnection(config, logger, 'worker', 'map-worker');
  const workerConnection = createRedisConnection(config, logger, 'worker', 'map-worker-jobs');
  const chunks = ChunkLink.like(redis, 'map-worker-chunks');
  const runs = new RunStore(redis, keys);
  const processor = createMapProcessor({ logger, redis, chunks, keys, runs });
  const worker = new Worker<MapJobData, MapJobResult>(
    QueueName.map,
    processor,
    workerOptions(config, workerConnection, 'worker', config.WORKER_CONCURRENCY),
  );

  worker.on('failed', (job, err) => {
    logger.warn({ runId: job?.data.runId, chunk: job?.data.chunk, attempt: job?.attemptsMade, err: err.message }, 'map failed');
    if (!job || !isFinalFailure(job, err)) return;
    runs.fail(job.data.runId, mapFailureMessage(job.data, err.message)).catch((failErr: unknown) => logger.error({ err: failErr }, 'cannot mark run failed'));
  });
  worker.on('error', (err) => logger.error({ err }, 'map worker error'));
  await worker.waitUntilReady();

  return {
    async close() {
      await worker.close();
      chunks.close();
      await Promise.all([closeRedisConnection(workerConnection), closeRedisConnection(redis)]);
    },
  };
}
