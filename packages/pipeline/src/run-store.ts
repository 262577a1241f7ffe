// The run reports in Redis: created with the active-run slot, updated by every stage, read by the API.
import type { Redis } from 'ioredis';
import type { RejectReason, RejectSample } from '@autoconnect/core';
import type { PipelineKeys } from './redis-keys.js';
import { RUN_STATUSES, type RunReport, type RunStatus } from './run-report.js';
import { runPercent } from './progress.js';
import { scripted, type ScriptedRedis } from './scripts.js';

/** How many run reports are kept (oldest ended ones are deleted when a run starts). */
export const KEEP_RUN_REPORTS = 200;

/** The run deadline of a store whose caller does not say (the config schema's default, RUN_TIMEOUT_MS). */
export const DEFAULT_RUN_TIMEOUT_MS = 3_600_000;

/** Overdue runs ended per check: one run is active at a time, so more only ever wait for the next check. */
const OVERDUE_BATCH = 10;

/** A run found past its deadline, with what its failure message says. */
export interface OverdueRun {
  runId: string;
  status: RunStatus;
  timeoutMs: number;
  chunksDone: number;
  chunksTotal: number;
}

export type ReportFields = Record<string, string | number>;

function toInt(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

function parseJsonArray<T>(json: string | undefined): T[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

function endedFrom(value: string | undefined): RunStatus {
  return RUN_STATUSES.includes(value as RunStatus) ? (value as RunStatus) : 'queued';
}

/** Builds the report users see from the run's hash; null for a hash that is not a run report. */
export function reportFromHash(hash: Record<string, string>): RunReport | null {
  const status = hash.status as RunStatus;
  if (!hash.job_id || !RUN_STATUSES.includes(status)) return null;
  const byReason: Partial<Record<RejectReason, number>> = {};
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('rej:')) byReason[field.slice(4) as RejectReason] = toInt(value);
  }
  const bytesTotal = toInt(hash.bytes_total);
  const bytesRead = toInt(hash.bytes_read);
  const chunksTotal = toInt(hash.chunks_total);
  const chunksDone = toInt(hash.chunks_done);
  const report: RunReport = {
    job_id: hash.job_id,
    status,
    source: hash.source ?? '',
    created_at: hash.created_at ?? '',
    finished_at: hash.finished_at || null,
    duration_ms: hash.duration_ms !== undefined && hash.duration_ms !== '' ? toInt(hash.duration_ms) : null,
    progress: {
      // A run that failed or was cancelled shows the progress of the stage it ended in.
      percent: runPercent({ status: status === 'failed' || status === 'cancelled' ? endedFrom(hash.ended_from) : status, bytesTotal, bytesRead }),
      bytes_total: bytesTotal,
      bytes_read: Math.min(bytesRead, bytesTotal),
      chunks_total: chunksTotal,
      chunks_done: Math.min(chunksDone, chunksTotal),
      rows_valid: toInt(hash.rows_valid),
      rows_rejected: toInt(hash.rows_rejected),
    },
    rejected: { by_reason: byReason, samples: parseJsonArray<RejectSample>(hash.samples) },
    warnings: parseJsonArray<string>(hash.warnings),
  };
  if (status === 'failed') report.error = hash.error || 'the run failed';
  return report;
}

function flatten(fields: ReportFields): Array<string | number> {
  return Object.entries(fields).flat();
}

export class RunStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: PipelineKeys,
  ) {
    this.redis = scripted(redis);
  }

  /**
   * Creates a queued run, takes the active-run slot and sets the run's deadline `timeoutMs` from now (by Redis's
   * clock); returns the active run's id instead when one is running.
   */
  async create(
    runId: string,
    source: string,
    { timeoutMs = DEFAULT_RUN_TIMEOUT_MS, now = new Date() }: { timeoutMs?: number; now?: Date } = {},
  ): Promise<{ activeRunId: string | null }> {
    const active = await this.redis.startRun(
      ...[this.keys.activeRun, this.keys.run(runId).report, this.keys.runs, this.keys.runDeadlines],
      ...[runId, source, now.toISOString(), now.getTime(), this.keys.reportPrefix, KEEP_RUN_REPORTS, timeoutMs],
    );
    return { activeRunId: active === '' ? null : active };
  }

  async get(runId: string): Promise<RunReport | null> {
    const hash = await this.redis.hgetall(this.keys.run(runId).report);
    return reportFromHash(hash);
  }

  /** The most recent runs, newest first. */
  async list(limit: number): Promise<RunReport[]> {
    const ids = await this.redis.zrevrange(this.keys.runs, 0, Math.max(0, limit - 1));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.run(id).report);
    const replies = (await pipeline.exec()) ?? [];
    const reports: RunReport[] = [];
    for (const [err, hash] of replies) {
      if (err) throw err;
      const report = reportFromHash(hash as Record<string, string>);
      if (report) reports.push(report);
    }
    return reports;
  }

  async status(runId: string): Promise<RunStatus | null> {
    return ((await this.redis.hget(this.keys.run(runId).report, 'status')) as RunStatus | null) ?? null;
  }

  async activeRunId(): Promise<string | null> {
    return this.redis.activeRun(this.keys.activeRun, this.keys.reportPrefix);
  }

  /** Moves a run forward (never back) and sets fields; false when the run has already ended. */
  async update(runId: string, status: RunStatus | null, fields: ReportFields = {}): Promise<boolean> {
    const applied = await this.redis.updateRun(this.keys.run(runId).report, status ?? '', ...flatten(fields));
    return applied === 1;
  }

  /**
   * Records the plan in the report (size, header bytes, ranges) and moves the run to `mapping`, once: false when
   * the run has ended. Done before any map job is added, so chunks_done never passes chunks_total.
   */
  async markPlanned(runId: string, plan: { bytesTotal: number; headerBytes: number; ranges: number }): Promise<boolean> {
    const outcome = await this.redis.planRun(this.keys.run(runId).report, plan.bytesTotal, plan.headerBytes, plan.ranges);
    return outcome !== -1;
  }

  /**
   * Ends a run as failed with a message for users, frees the active-run slot and deletes the run's scratch
   * data (also when the run had already ended: whoever ended it may have died before). False when the run had
   * already ended (the first ending wins).
   */
  async fail(runId: string, message: string, fields: ReportFields = {}, now: Date = new Date()): Promise<boolean> {
    const ended = await this.end(runId, 'failed', message, fields, now);
    await this.deleteScratch(runId);
    return ended;
  }

  /** Ends a run that has not ended as cancelled, frees the slot and deletes its scratch data. False when it had ended. */
  async cancel(runId: string, now: Date = new Date()): Promise<boolean> {
    const ended = await this.end(runId, 'cancelled', '', {}, now);
    if (ended) await this.deleteScratch(runId);
    return ended;
  }

  /** The runs past their deadline that have not ended (a few at a time). */
  async overdue(): Promise<OverdueRun[]> {
    const flat = await this.redis.overdueRuns(this.keys.runDeadlines, this.keys.reportPrefix, OVERDUE_BATCH);
    const runs: OverdueRun[] = [];
    for (let i = 0; i + 4 < flat.length; i += 5) {
      runs.push({
        runId: flat[i],
        status: flat[i + 1] as RunStatus,
        timeoutMs: toInt(flat[i + 2]),
        chunksDone: toInt(flat[i + 3]),
        chunksTotal: toInt(flat[i + 4]),
      });
    }
    return runs;
  }

  private async end(runId: string, status: 'failed' | 'cancelled', message: string, fields: ReportFields, now: Date): Promise<boolean> {
    const ended = await this.redis.endRun(
      ...[this.keys.run(runId).report, this.keys.activeRun, this.keys.runDeadlines],
      ...[runId, status, message, now.toISOString(), now.getTime(), ...flatten(fields)],
    );
    return ended === 1;
  }

  /**
   * Deletes every key of a run but its report: its plan and its ranges' outcomes. Called once the run has
   * ended, when no job writes them any more.
   */
  async deleteScratch(runId: string): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.keys.run(runId).scratchPattern, 'COUNT', 1000);
      if (keys.length > 0) await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
