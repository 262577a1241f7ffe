// The run report as users read it (GET /api/jobs/:id): the shape every stage of the pipeline keeps up to date.
import type { RejectReason, RejectSample, Results } from '@autoconnect/core';

/**
 * Every status a run can have, in the order a run moves through them, and whether it is final (the run has ended:
 * its report never changes again). The one list of statuses: the RunStatus type, the API's schema and the Lua
 * scripts' tests of a status are all derived from it.
 */
export const RUN_STATUS = {
  queued: { final: false },
  splitting: { final: false },
  mapping: { final: false },
  reducing: { final: false },
  completed: { final: true },
  failed: { final: true },
  cancelled: { final: true },
} as const;

export type RunStatus = keyof typeof RUN_STATUS;

/** The statuses a run ends in. */
export type FinalStatus = { [S in RunStatus]: (typeof RUN_STATUS)[S]['final'] extends true ? S : never }[RunStatus];

export function isFinalStatus(status: RunStatus): status is FinalStatus {
  return RUN_STATUS[status].final;
}

/** Every status, in order. */
export const RUN_STATUSES = Object.keys(RUN_STATUS) as readonly RunStatus[];

/** The statuses a run ends in, in order. */
export const FINAL_STATUSES = RUN_STATUSES.filter(isFinalStatus);

/** The statuses of a run under way, in the order it moves through them. */
export const ACTIVE_STATUSES = RUN_STATUSES.filter((status) => !isFinalStatus(status));

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
