import { describe, expect, it } from '@jest/globals';
import { deadlineMessage, formatDuration } from '../src/run-deadline.js';

describe('RUN_TIMEOUT_MS messages', () => {
  it('say durations the way people read them', () => {
    expect([3_600_000, 5_400_000, 90_000, 1_000, 2_500, 999, 86_400_000].map(formatDuration)).toEqual([
      '1 h', '1.5 h', '1.5 min', '1 s', '2.5 s', '999 ms', '1 d',
    ]);
  });

  it('name the variable, its value and where the run stood', () => {
    const at = (status: 'queued' | 'splitting' | 'mapping' | 'reducing') => deadlineMessage({ status, timeoutMs: 3_600_000, chunksDone: 3, chunksTotal: 8 });
    expect(at('queued')).toMatch(/^the run did not end within RUN_TIMEOUT_MS=3600000 \(1 h\): it was still queued, no orchestrator took it/);
    expect(at('splitting')).toContain('still being planned');
    expect(at('mapping')).toContain('still mapping, 3 of 8 ranges done');
    expect(at('reducing')).toContain('still reducing (is an aggregator running?)');
  });
});
