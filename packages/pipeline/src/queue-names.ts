// The pipeline's BullMQ queues: who enqueues into each and which role processes it.

/** `split`: the orchestrator cuts a file into city-chunks; `map`: workers turn a chunk into partial metrics;
 * `aggregate`: the aggregator merges every partial of a run and publishes the results. */
export const QueueName = {
  split: 'split',
  map: 'map',
  aggregate: 'aggregate',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const QUEUE_NAMES: readonly QueueName[] = [QueueName.split, QueueName.map, QueueName.aggregate];
