// The run report as users read it (GET /api/jobs/:id): the shape every stage of the pipeline keeps up to date.
import type { RejectReason, RejectSample, Results } from '@autoconnect/core';

export type RunStatus = 'queued' | 'splitting' | 'mapping' | 'reducing' | 'completed' | 'failed';

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
