// GET /api/events of the API process over the real pipeline roles: a run's whole life arrives on the stream
// (created, progress as it goes, ended, results published), progress never goes backwards, chunks done never
// pass chunks cut, and while the run works the stream says so about every 250 ms.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTransactionsFile } from '@autoconnect/datagen';
import { EventStreamReader, type SpawnedProcess } from '@autoconnect/testkit';
import { apiClient } from './support/api-client.js';
import { startApiProcess, stopApiStack } from './support/api-process.js';
import { startHarness, type Harness } from './support/pipeline-harness.js';

interface Report {
  job_id: string;
  status: string;
  duration_ms: number | null;
  progress: { percent: number; chunks_done: number; chunks_total: number; rows_valid: number };
}

/** While a run works, an event at least this often (the hub looks every 200 ms)… */
const EVENT_EVERY_MS = 250;
/** …and never a longer silence, even on a busy machine. */
const MAX_GAP_MS = 600;

let dir: string;
let harness: Harness;
let api: SpawnedProcess;
let baseUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autoconnect-events-'));
  await writeTransactionsFile(join(dir, 'big.csv'), { rows: 400_000, seed: 21, invalidRatio: 0.001 });
  // Small ranges (about 24 MB of data in 256 KiB ranges), so the run reports often.
  harness = await startHarness({ CHUNK_BYTES: '262144', WORKER_CONCURRENCY: '2' }, dir);
  ({ api, baseUrl } = await startApiProcess({ prefix: harness.config.REDIS_PREFIX, dataDir: dir, adminToken: '' }));
}, 90_000);

afterAll(async () => {
  // The API stops on SIGTERM by itself, cleanly.
  expect(await stopApiStack({ api, harness, dir })).toEqual({ code: 0, signal: null });
}, 30_000);

describe('GET /api/events over the pipeline', () => {
  it("streams a run's life in order, its progress only moving forward and often", async () => {
    const stream = await EventStreamReader.open(`${baseUrl}/api/events`);
    try {
      await stream.next('status');
      const started = await apiClient(baseUrl).startRun({ body: { source: 'big.csv' } });
      expect(started.response.status).toBe(202);
      const runId = started.data!.job_id;
      const ended = await stream.next<Report>('run.ended', (r) => r.job_id === runId, 90_000);
      expect(ended).toMatchObject({ status: 'completed', progress: { percent: 100 } });
      await stream.next<{ job_id: string }>('results.published', (p) => p.job_id === runId);

      const events = stream.events.filter((e) => e.event !== 'status');
      const names = events.map((e) => e.event);
      expect(names[0]).toBe('run.created');
      expect(names.at(-2)).toBe('run.ended');
      expect(names.at(-1)).toBe('results.published');
      expect(names.slice(1, -2).every((name) => name === 'run.progress')).toBe(true);

      const reports = events.filter((e) => e.event.startsWith('run.')).map((e) => ({ ...(JSON.parse(e.data) as Report), at: e.receivedAt }));
      const seen = reports.map((r) => `${r.status} ${r.progress.percent}% ${r.progress.chunks_done}/${r.progress.chunks_total}`).join(', ');
      expect([seen, reports.every((r) => r.job_id === runId)]).toEqual([seen, true]);
      for (let i = 1; i < reports.length; i += 1) {
        expect([seen, reports[i].progress.percent >= reports[i - 1].progress.percent]).toEqual([seen, true]);
      }
      for (const report of reports) expect([seen, report.progress.chunks_done <= report.progress.chunks_total]).toEqual([seen, true]);
      // While the run works, the stream says so every 250 ms or so (as many events as the run lasted 250 ms,
      // give or take its first and last look: the test holds whatever the pipeline's speed), never quiet long.
      const gaps = reports.slice(1).map((r, i) => r.at - reports[i].at);
      const expected = Math.floor((ended.duration_ms ?? 0) / EVENT_EVERY_MS) - 1;
      expect([seen, gaps, reports.length >= expected, Math.max(...gaps) <= MAX_GAP_MS]).toEqual([seen, gaps, true, true]);
    } finally {
      stream.close();
    }
  }, 120_000);
});
