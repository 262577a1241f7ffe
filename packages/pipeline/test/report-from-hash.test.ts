import { describe, expect, it } from '@jest/globals';
import { reportFromHash } from '../src/run-store.js';

describe('reportFromHash', () => {
  it('builds the report users see, with reasons, samples and percent', () => {
    const report = reportFromHash({
      job_id: 'abc',
      status: 'mapping',
      source: 'a.csv',
      created_at: '2026-01-01T00:00:00.000Z',
      created_ms: '1767225600000',
      bytes_total: '1000',
      bytes_read: '1000',
      chunks_total: '4',
      chunks_done: '2',
      rows_valid: '90',
      rows_rejected: '3',
      'rej:invalid_date': '2',
      'rej:field_count': '1',
      samples: '[{"line":4,"reason":"expected 7 fields, found 6"}]',
    });
    expect(report).toEqual({
      job_id: 'abc',
      status: 'mapping',
      source: 'a.csv',
      created_at: '2026-01-01T00:00:00.000Z',
      finished_at: null,
      duration_ms: null,
      progress: { percent: 95, bytes_total: 1000, bytes_read: 1000, chunks_total: 4, chunks_done: 2, rows_valid: 90, rows_rejected: 3 },
      rejected: { by_reason: { invalid_date: 2, field_count: 1 }, samples: [{ line: 4, reason: 'expected 7 fields, found 6' }] },
      warnings: [],
    });
  });

  it('gives a failed run its error and a finished run its duration', () => {
    const report = reportFromHash({ job_id: 'x', status: 'failed', error: 'the file is empty', finished_at: '2026-01-01T00:00:01.000Z', duration_ms: '1000' });
    expect(report).toMatchObject({ status: 'failed', error: 'the file is empty', finished_at: '2026-01-01T00:00:01.000Z', duration_ms: 1000 });
  });

  it('never shows chunks_done above chunks_total nor bytes_read above bytes_total, and reads warnings', () => {
    const report = reportFromHash({ job_id: 'x', status: 'mapping', bytes_total: '10', bytes_read: '12', chunks_total: '2', chunks_done: '3', warnings: '["the file grew"]' });
    expect(report?.progress).toMatchObject({ bytes_read: 10, chunks_done: 2 });
    expect(report?.warnings).toEqual(['the file grew']);
  });

  it('is null for a hash that is not a run report', () => {
    expect(reportFromHash({})).toBeNull();
    expect(reportFromHash({ job_id: 'x', status: 'weird' })).toBeNull();
  });
});
