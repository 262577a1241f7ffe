// The reduce step: checks that the ranges were read exactly (see the core's checkRangeChain), has the workers
// read again the few that were not, then merges the ranges' partials in file order, checks the reject ratio
// and the cardinality limits, finalises and publishes atomically.
import { UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import {
  checkRangeChain,
  checkValueLimits,
  checkRejectRatio,
  InputError,
  MetricsMerger,
  planRanges,
  type ChainVerdict,
  type PlannedRange,
  type RemapRequest,
} from '@autoconnect/core';
import type { Config, Logger } from '@autoconnect/config';
import {
  isFinalStatus,
  publishResults,
  type AggregateJobData,
  type AggregateJobResult,
  type RangeMeta,
  type RangeStore,
  type RunFlow,
  type RunPlan,
  type RunStore,
} from '@autoconnect/pipeline';
import type { Redis } from 'ioredis';

export interface AggregateDeps {
  config: Pick<Config, 'MAX_REJECT_RATIO' | 'REDIS_PREFIX'>;
  logger: Logger;
  redis: Redis;
  runs: RunStore;
  ranges: RangeStore;
  /** Adds the map jobs of ranges to read again, and drops what the run's parent kept of its children. */
  flow: Pick<RunFlow, 'addMapJobs' | 'forgetChildResults'>;
}

/** How often a long merge looks whether its run has ended meanwhile (cancelled, past its deadline). */
const RUN_CHECK_MS = 250;

export function createAggregateProcessor(deps: AggregateDeps) {
  const { config, logger, redis, runs, ranges, flow } = deps;

  return async function aggregate(job: Job<AggregateJobData, AggregateJobResult>, token?: string): Promise<AggregateJobResult> {
    const result = await reduce(job, token);
    // Done with its children: what BullMQ keeps of their results (an entry per map job) goes, the job stays.
    await flow.forgetChildResults(job.data.runId);
    return result;
  };

  async function ended(runId: string): Promise<AggregateJobResult | null> {
    const report = await runs.get(runId);
    if (report && !isFinalStatus(report.status)) return null;
    return { runId, rowsValid: report?.progress.rows_valid ?? 0, rowsRejected: report?.progress.rows_rejected ?? 0, ranges: report?.progress.chunks_total ?? 0 };
  }

  async function reduce(job: Job<AggregateJobData, AggregateJobResult>, token?: string): Promise<AggregateJobResult> {
    const { runId } = job.data;
    // A repeated delivery after the publication, or a run failed or cancelled meanwhile: nothing left to do.
    const endedBefore = await ended(runId);
    if (endedBefore) return endedBefore;
    const plan = await ranges.plan(runId);
    // Every child has completed, the split included: a run without a plan is a defect, not a delay (unless the
    // run ended just now, and its plan went with its scratch data).
    if (plan === null) {
      const endedNow = await ended(runId);
      if (endedNow) return endedNow;
      throw new UnrecoverableError(`run ${runId} has no plan`);
    }
    await runs.update(runId, 'reducing');
    const planned = planRanges(plan.dataStart, plan.snapshot.size, plan.rangeBytes);
    let metas: Array<RangeMeta | undefined>;
    let verdict: ChainVerdict;
    for (;;) {
      metas = await ranges.metas(runId, planned.length);
      verdict = checkRangeChain({
        ranges: planned,
        dataStart: plan.dataStart,
        linesBefore: plan.linesBefore,
        headerText: plan.headerText,
        sameLayout: JSON.stringify(plan.layouts['utf-8']) === JSON.stringify(plan.layouts['windows-1252']),
        reports: metas,
      });
      if (verdict.kind === 'complete') break;
      // A run cancelled meanwhile has lost its ranges' outcomes: nothing is read again for it.
      const endedNow = await ended(runId);
      if (endedNow) return endedNow;
      await remap(job, plan, planned, metas, verdict.remaps);
      logger.info({ runId, ranges: verdict.remaps.map((r) => r.index) }, 'ranges read again');
      // Back in the queue once those jobs are done; if they are done already, the check runs again here.
      if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
    }

    const checkedAt = performance.now();
    const merger = new MetricsMerger();
    let grew = false;
    let lookedAt = checkedAt;
    try {
      for (const { index, lineOffset } of verdict.accepted) {
        if (performance.now() - lookedAt > RUN_CHECK_MS) {
          // Cancelled or past its deadline meanwhile: its partials are being deleted, and nothing would be published.
          const endedNow = await ended(runId);
          if (endedNow) return endedNow;
          lookedAt = performance.now();
        }
        const meta = metas[index]!;
        grew ||= meta.grew;
        merger.addCounts(meta.rowsValid, meta.rowsRejected, meta.rejectedByReason);
        merger.addSamples(meta.samples, lineOffset);
        for await (const [ville, json] of ranges.storedVilles(runId, index)) merger.addStoredVille(ville, json);
        // The limits hold for the whole run, not only for each range.
        checkValueLimits({ villes: merger.villeCount, modeles: merger.modeleCount, pairs: merger.pairCount }, plan.limits);
      }
    } catch (err) {
      if (err instanceof InputError) {
        await runs.fail(runId, err.message);
        throw new UnrecoverableError(err.message);
      }
      throw err;
    }
    const mergedAt = performance.now();
    const rejected = merger.rejected();
    const warnings = grew ? [`the file grew while the run read it: it was read up to its size when the run started (${plan.snapshot.size} bytes)`] : [];
    let published: boolean;
    try {
      checkRejectRatio(merger, config.MAX_REJECT_RATIO);
      // Finalised ville by ville as the text is sent (a run of many villes never has its results whole, as objects
      // or as text); finalising refuses sums past exact integer range (AmountOverflowError): bad input, like too
      // many rejects, found before anything is published.
      published = await publishResults(redis, config.REDIS_PREFIX, {
        runId,
        results: { pieces: merger.finaliseJsonPieces(), rowsValid: merger.rowsValid, rowsRejected: merger.rowsRejected },
        rejected,
        warnings,
      });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const fields: Record<string, string | number> = {
        rows_valid: merger.rowsValid,
        rows_rejected: merger.rowsRejected,
        samples: JSON.stringify(rejected.samples),
      };
      for (const [reason, count] of Object.entries(rejected.byReason)) fields[`rej:${reason}`] = count ?? 0;
      await runs.fail(runId, err.message, fields);
      throw new UnrecoverableError(err.message);
    }
    const publishedAt = performance.now();
    // The ranges' partials are no longer needed (the plan and outcomes went with the publication).
    await runs.deleteScratch(runId);
    const ms = (from: number, to: number) => Math.round(to - from);
    logger.info(
      {
        runId,
        published,
        rowsValid: merger.rowsValid,
        rowsRejected: merger.rowsRejected,
        ranges: verdict.accepted.length,
        encoding: verdict.encoding,
        ms: { merge: ms(checkedAt, mergedAt), finaliseAndPublish: ms(mergedAt, publishedAt) },
      },
      'run reduced',
    );
    return { runId, rowsValid: merger.rowsValid, rowsRejected: merger.rowsRejected, ranges: verdict.accepted.length };
  }

  /** Adds a map job per range to read again, children of this aggregate job, a generation above any stored. */
  async function remap(job: Job<AggregateJobData, AggregateJobResult>, plan: RunPlan, planned: PlannedRange[], metas: Array<RangeMeta | undefined>, remaps: RemapRequest[]): Promise<void> {
    const generation = 1 + metas.reduce((highest, meta) => Math.max(highest, meta?.generation ?? 0), 0);
    const readings = remaps.map((remap) => ({ range: remap.index, start: remap.start, end: planned[remap.index].end, startsAtRecord: true, encoding: remap.encoding, generation }));
    await flow.addMapJobs(job.data.runId, plan, readings);
  }
}
