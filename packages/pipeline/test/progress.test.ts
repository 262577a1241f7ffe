import { describe, expect, it } from '@jest/globals';
import { runPercent } from '../src/progress.js';
import { reportFromHash } from '../src/run-store.js';

describe('runPercent', () => {
  const base = { bytesTotal: 1000, bytesRead: 0 };

  it('is 0 while queued and 100 only once completed', () => {
    expect(runPercent({ ...base, status: 'queued', bytesRead: 500 })).toBe(0);
    expect(runPercent({ ...base, status: 'completed' })).toBe(100);
    expect(runPercent({ ...base, status: 'mapping', bytesRead: 1000 })).toBe(95);
  });

  it('counts mapping by bytes mapped, after planning and before reducing', () => {
    expect(runPercent({ ...base, status: 'splitting' })).toBe(1);
    expect(runPercent({ ...base, status: 'mapping', bytesRead: 0 })).toBe(2);
    expect(runPercent({ ...base, status: 'mapping', bytesRead: 500 })).toBe(48);
    expect(runPercent({ ...base, status: 'reducing', bytesRead: 1000 })).toBe(97);
  });

  it('never goes back along a run, whatever its bytes mapped', () => {
    const steps: Array<Parameters<typeof runPercent>[0]> = [
      { status: 'queued', ...base },
      { status: 'splitting', ...base },
      ...[0, 1, 10, 500, 999, 1000].map((bytesRead) => ({ status: 'mapping' as const, bytesTotal: 1000, bytesRead })),
      { status: 'reducing', bytesTotal: 1000, bytesRead: 1000 },
      { status: 'completed', bytesTotal: 1000, bytesRead: 1000 },
    ];
    const percents = steps.map(runPercent);
    for (let i = 1; i < percents.length; i++) expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1]);
    expect(percents.slice(0, -1).every((p) => p < 100)).toBe(true);
  });

  it('keeps a failed or cancelled run at the progress of the stage it ended in', () => {
    const ended = (status: string, endedFrom: string) =>
      reportFromHash({ job_id: 'x', status, ended_from: endedFrom, bytes_total: '1000', bytes_read: '1000', chunks_total: '4', chunks_done: '4' })!.progress.percent;
    expect(ended('failed', 'reducing')).toBe(97);
    expect(ended('cancelled', 'mapping')).toBe(95);
    expect(ended('failed', 'queued')).toBe(0);
  });
});
