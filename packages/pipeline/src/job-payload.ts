// Checks a job's payload against its queue's schema in the job catalogue, where a role receives the job: a
// malformed job fails at once with what is wrong, before any of its work is done.
import type { Job } from 'bullmq';
import { Compile, type Validator } from 'typebox/compile';
import { JOB_DATA_SCHEMAS, type JobData } from './job-catalogue.js';
import { MalformedJobError } from './malformed-job-error.js';
import type { QueueName } from './queue-names.js';

/** Problems named per malformed job: the first few say what is wrong; a payload of another shape has dozens. */
const MAX_PROBLEMS = 3;

/** A payload check per queue, compiled once (a map job is checked in microseconds). */
const validators: Record<QueueName, Validator> = {
  split: Compile(JOB_DATA_SCHEMAS.split),
  map: Compile(JOB_DATA_SCHEMAS.map),
  aggregate: Compile(JOB_DATA_SCHEMAS.aggregate),
};

/** `data.layouts.utf-8.layout`: where in the payload (`data`, as BullMQ names it) a problem is. */
function where(instancePath: string): string {
  return `data${instancePath.replaceAll('/', '.')}`;
}

/** What is wrong with `data` as a payload of `queue`, in words; empty when nothing is. */
export function payloadProblems(queue: QueueName, data: unknown): string[] {
  const validator = validators[queue];
  if (validator.Check(data)) return [];
  const problems = validator.Errors(data).map((error) => `${where(error.instancePath)} ${error.message}`);
  const shown = [...new Set(problems)].slice(0, MAX_PROBLEMS);
  return shown.length > 0 ? shown : ['it does not match its schema'];
}

/** The job's payload, checked: throws MalformedJobError (not retried) naming the queue, the job and what is wrong. */
export function checkedPayload<Q extends QueueName>(queue: Q, job: Pick<Job, 'id' | 'data'>): JobData<Q> {
  const problems = payloadProblems(queue, job.data);
  if (problems.length > 0) throw new MalformedJobError(queue, job.id, problems);
  return job.data as JobData<Q>;
}
