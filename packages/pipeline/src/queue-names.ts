// The pipeline's BullMQ queues: who enqueues into each and which role processes it.

/** `split`: the orchestrator plans a run (its file cut into byte ranges); `map`: workers turn a range into
 * partial metrics; `aggregate`: the aggregator checks and merges every range of a run and publishes the results. */
export const QueueName = {
  split: 'split',
  map: 'map',
  aggregate: 'aggregate',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const QUEUE_NAMES: readonly QueueName[] = [QueueName.split, QueueName.map, QueueName.aggregate];
