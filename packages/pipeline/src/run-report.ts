// The run report as users read it (GET /api/jobs/:id): the shape every stage of the pipeline keeps up to date.
import type { RejectReason, RejectSample, Results } from '@autoconnect/core';

/** Every status a run can have, in the order a run moves through them (it ends in one of the last three). */
export const RUN_STATUSES = ['queued', 'splitting', 'mapping', 'reducing', 'completed', 'failed', 'cancelled'] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a run ends in: its report never changes again. */
export const FINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

export function isFinalStatus(status: RunStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export interface RunProgress {
  /** 0..100, integer. */
  percent: number;
  bytes_total: number;
  bytes_read: number;
  chunks_total: number;
  chunks_done: number;
  rows_valid: number;
  rows_rejected: number;
}

export interface RunReport {
  job_id: string;
  status: RunStatus;
  /** File name inside DATA_DIR. */
  source: string;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601, null until the run ends. */
  finished_at: string | null;
  /** null until the run ends. */
  duration_ms: number | null;
  progress: RunProgress;
  rejected: {
    by_reason: Partial<Record<RejectReason, number>>;
    samples: RejectSample[];
  };
  /** What users should know about a run that went through: e.g. its file grew while it ran. */
  warnings: string[];
  /** Only when failed. */
  error?: string;
}

/** The results currently published, with the run that produced them. */
export interface PublishedResults {
  runId: string;
  /** ISO 8601. */
  publishedAt: string;
  results: Results;
}
