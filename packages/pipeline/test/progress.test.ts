import { describe, expect, it } from '@jest/globals';
import { runPercent } from '../src/progress.js';

describe('runPercent', () => {
  const base = { bytesTotal: 1000, bytesRead: 0, chunksTotal: 0, chunksDone: 0 };

  it('is 0 while queued and 100 only once completed', () => {
    expect(runPercent({ ...base, status: 'queued', bytesRead: 500 })).toBe(0);
    expect(runPercent({ ...base, status: 'completed' })).toBe(100);
    expect(runPercent({ ...base, status: 'mapping', bytesRead: 1000, chunksTotal: 4, chunksDone: 4 })).toBe(95);
  });

  it('blends reading (30 %) and mapping (65 %), mapping weighed by the share read', () => {
    expect(runPercent({ ...base, status: 'splitting', bytesRead: 500 })).toBe(15);
    expect(runPercent({ ...base, status: 'splitting', bytesRead: 500, chunksTotal: 2, chunksDone: 1 })).toBe(31);
    expect(runPercent({ ...base, status: 'mapping', bytesRead: 1000, chunksTotal: 10, chunksDone: 5 })).toBe(62);
  });

  it('never goes back as the split finds more chunks, and stays within 0..99 before completion', () => {
    const early = runPercent({ ...base, status: 'splitting', bytesRead: 200, chunksTotal: 1, chunksDone: 1 });
    const later = runPercent({ ...base, status: 'splitting', bytesRead: 400, chunksTotal: 3, chunksDone: 1 });
    expect(later).toBeGreaterThanOrEqual(early);
    expect(runPercent({ ...base, status: 'failed', bytesRead: 5000, chunksTotal: 1, chunksDone: 9 })).toBeLessThanOrEqual(99);
    expect(runPercent({ ...base, status: 'reducing' })).toBe(95);
  });
});
