// The chaos suite: the service as separate processes on a Redis of its own with append-only persistence, a lean
// generated file cut into many small ranges, short job locks. Each fault ends the run either completed, with
// results byte for byte those of a fault-free run (as GET /api/… serves them), or failed/cancelled with a clear
// message; after each, the next run completes with those same results. What each fault did, with its times, is
// written to e2e/test-output/chaos-report.json.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTransactionsFile } from '@autoconnect/datagen';
import { createLogger } from '@autoconnect/config';
import { createPipelineClient, isFinalStatus, KEEP_RESULTS, QueueName, type RunReport } from '@autoconnect/pipeline';
import { pollUntil } from '@autoconnect/testkit';
import { repoPath } from '../src/repo-paths.js';
import { ChaosStack, PROCESS_NAMES, type MemorySnapshot, type ProcessName, type ServedResults } from './support/chaos-stack.js';

const LEAN = 'lean.csv';
const ROWS = 20_000;
/** Redis's deadline for the API: the SIGSTOP below lasts longer. */
const COMMAND_TIMEOUT_MS = 500;
const LOCK_DURATION_MS = 1_000;
/** The keys BullMQ keeps per queue (not per job); some come and go (stalled-check, marker). */
const BULLMQ_QUEUE_KEYS = ['stalled-check', 'stalled', 'marker', 'active', 'wait', 'paused', 'meta', 'id', 'events', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children', 'pc', 'limiter'];

interface Observation {
  fault: string;
  outcome: string;
  ms: Record<string, number>;
  notes?: string[];
}
const observations: Observation[] = [];

let stack: ChaosStack;
/** The fault-free run's results, as served. */
let baseline: ServedResults;

function since(start: number): number {
  return Math.round(performance.now() - start);
}

/** The next run after a fault: it completes, and the API serves the fault-free results, byte for byte. */
async function nextRunCompletes(): Promise<number> {
  const started = performance.now();
  const runId = await stack.startRun(LEAN);
  const report = await stack.waitForEnd(runId);
  expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
  expect((await stack.servedResults(runId)).bodies).toBe(baseline.bodies);
  return since(started);
}

/** A run that completed despite a fault: its results are the fault-free ones, nothing counted twice. */
async function expectExact(runId: string): Promise<RunReport> {
  const report = await stack.waitForEnd(runId);
  expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
  expect((await stack.servedResults(runId)).bodies).toBe(baseline.bodies);
  expect(report.progress.chunks_done).toBe(report.progress.chunks_total);
  return report;
}

/** Up to `tries` runs until `fault` lands where it should (it returns a note, or null when the run went past). */
async function untilLanded(tries: number, fault: () => Promise<string | null>): Promise<string[]> {
  const notes: string[] = [];
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    const note = await fault();
    if (note !== null) return [...notes, note];
    notes.push(`attempt ${attempt}: the run went past the stage before the fault landed`);
  }
  throw new Error(`the fault never landed: ${notes.join('; ')}`);
}

/** Waits until `name` holds a job of its queue for `runId` (it is mid-run) and returns the job's id; null once the run has ended. */
async function heldBy(name: ProcessName, queue: QueueName, runId: string, timeoutMs = 30_000): Promise<string | null> {
  const pid = stack.process(name).pid;
  const deadline = Date.now() + timeoutMs;
  for (let look = 0; Date.now() < deadline; look += 1) {
    const active = await stack.queue(queue).getActive().catch(() => []);
    const held = active.find((job) => job.data?.runId === runId && job.processedBy?.endsWith(`-${pid}`));
    if (held) return held.id ?? null;
    if (look % 20 === 19 && isFinalStatus((await stack.report(runId))?.status ?? 'queued')) return null;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return null;
}

/** Nothing of an ended run is left behind: no scratch key, no job waiting, no children's results in its parent. */
async function expectNothingLeftOf(runId: string): Promise<void> {
  await stack.waitForStatus(runId, () => true, 'its report');
  const leftovers = async () => {
    const keys = [...(await stack.keys(`${stack.prefix}:run:${runId}:*`)), ...(await stack.keys(`${stack.prefix}:aggregate:${runId}:processed`))];
    const waiting = [];
    for (const name of [QueueName.split, QueueName.map, QueueName.aggregate]) {
      for (const job of await stack.queue(name).getJobs(['waiting', 'waiting-children', 'delayed', 'prioritized', 'active'])) {
        if (job?.data?.runId === runId) waiting.push(`${name}:${job.id}`);
      }
    }
    return [...keys, ...waiting];
  };
  const deadline = Date.now() + 15_000;
  let left = await leftovers();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = await leftovers();
  }
  expect(left).toEqual([]);
}

beforeAll(async () => {
  stack = await ChaosStack.start({
    env: {
      CHUNK_BYTES: '8192',
      WORKER_CONCURRENCY: '2',
      LOCK_DURATION_MS: String(LOCK_DURATION_MS),
      SHUTDOWN_TIMEOUT_MS: '3000',
    },
    apiEnv: { REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), RATE_LIMIT_PER_MINUTE: '0' },
  });
  await writeTransactionsFile(join(stack.dataDir, LEAN), { rows: ROWS, seed: 14, invalidRatio: 0.01 });
  const started = performance.now();
  const runId = await stack.startRun(LEAN);
  const report = await stack.waitForEnd(runId);
  expect(report.status).toBe('completed');
  baseline = await stack.servedResults(runId);
  observations.push({ fault: 'none (baseline)', outcome: 'completed', ms: { run: since(started) }, notes: [`${report.progress.chunks_total} ranges`] });
}, 120_000);

// A test that failed half-way may leave Redis paused, a process stopped, paused or killed, or its run active:
// none of that may make the next test fail too (a role missing, a POST answered 409).
afterEach(async () => {
  stack.redis.resume();
  for (const name of PROCESS_NAMES) {
    const spawned = stack.process(name);
    if (spawned.running) spawned.child.kill('SIGCONT');
    else stack.start(name);
  }
  await stack.waitUntilUp();
  const active = await stack.client.activeRunId().catch(() => null);
  if (active === null) return;
  await stack.waitForEnd(active, 20_000).catch(() => stack.client.cancelRun(active));
}, 90_000);

afterAll(async () => {
  await stack?.close();
  await mkdir(repoPath('e2e/test-output'), { recursive: true });
  await writeFile(repoPath('e2e/test-output/chaos-report.json'), `${JSON.stringify(observations, null, 2)}\n`);
});

describe('SIGKILL of each role mid-run', () => {
  it.each<[ProcessName, QueueName]>([
    ['orchestrator', QueueName.split],
    ['worker-1', QueueName.map],
    ['aggregator', QueueName.aggregate],
  ])('%s: the run completes exact once the job is taken over (lock expiry), and the next run too', async (name, queue) => {
    let runId = '';
    let started = 0;
    let killedAt = 0;
    const notes = await untilLanded(3, async () => {
      started = performance.now();
      runId = await stack.startRun(LEAN);
      const held = await heldBy(name, queue, runId);
      if (held === null) {
        await expectExact(runId);
        return null;
      }
      const stage = (await stack.report(runId))?.status ?? '?';
      await stack.kill(name);
      killedAt = since(started);
      // As compose's restart policy would: the role comes back, and takes the job over once its lock has expired.
      stack.start(name);
      return `killed while holding ${held} (run ${stage})`;
    });
    const report = await expectExact(runId);
    observations.push({
      fault: `SIGKILL ${name}`,
      outcome: report.status,
      ms: { killed_at: killedAt, run: since(started), run_duration: report.duration_ms ?? -1, next_run: await nextRunCompletes() },
      notes,
    });
  });

  it('api: the run completes without it, and the restarted API serves its results', async () => {
    const started = performance.now();
    const runId = await stack.startRun(LEAN);
    await stack.waitForStatus(runId, (r) => r.status === 'mapping' && r.progress.chunks_done > 0, 'mapping');
    await stack.kill('api');
    const killedAt = since(started);
    const ended = await stack.waitForEnd(runId);
    stack.start('api');
    await stack.waitUntilUp();
    const report = await expectExact(runId);
    observations.push({ fault: 'SIGKILL api', outcome: report.status, ms: { killed_at: killedAt, run_duration: ended.duration_ms ?? -1, back: since(started) } });
    observations[observations.length - 1].ms.next_run = await nextRunCompletes();
  });
});

describe('Redis restarted with its AOF mid-run', () => {
  it.each<['SIGTERM' | 'SIGKILL']>([['SIGTERM'], ['SIGKILL']])(
    '%s: the roles reconnect, the run completes exact, and the next run too',
    async (signal) => {
      const started = performance.now();
      const runId = await stack.startRun(LEAN);
      const before = await stack.waitForStatus(runId, (r) => r.status === 'mapping' && r.progress.chunks_done >= 5, 'mapping');
      const downAt = since(started);
      await stack.redis.stopServer(signal);
      // The API knows at once: 503 rather than a hang.
      const during = await fetch(`${stack.baseUrl}/api/jobs/${runId}`);
      expect(during.status).toBe(503);
      await stack.redis.startServer();
      const upAt = since(started);
      const report = await expectExact(runId);
      observations.push({
        fault: `Redis ${signal}, restarted with its AOF`,
        outcome: report.status,
        ms: { down_at: downAt, up_at: upAt, run: since(started) },
        notes: [`${before.progress.chunks_done} of ${before.progress.chunks_total} ranges mapped when it went down; GET /api/jobs/:id meanwhile: ${during.status}`],
      });
      observations[observations.length - 1].ms.next_run = await nextRunCompletes();
    },
  );

  it(`SIGSTOP longer than REDIS_COMMAND_TIMEOUT_MS (${COMMAND_TIMEOUT_MS} ms): the API answers 503 in time and serves its results, the run completes after SIGCONT`, async () => {
    const started = performance.now();
    const runId = await stack.startRun(LEAN);
    await stack.waitForStatus(runId, (r) => r.status === 'mapping' && r.progress.chunks_done >= 5, 'mapping');
    const timed = async (path: string, init?: RequestInit) => {
      const from = performance.now();
      const res = await fetch(`${stack.baseUrl}${path}`, init);
      return { status: res.status, ms: since(from), runId: res.headers.get('x-run-id') };
    };
    stack.redis.pause();
    const pausedAt = performance.now();
    const [report, post, villes, ready] = await Promise.all([
      timed(`/api/jobs/${runId}`),
      timed('/api/process', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: LEAN }) }),
      timed('/api/villes'),
      timed('/ready'),
    ]);
    // Paused for longer than the deadline and than a job lock: locks expire, jobs are taken over once it is back.
    const pauseMs = 2 * COMMAND_TIMEOUT_MS + LOCK_DURATION_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, pauseMs - since(pausedAt))));
    stack.redis.resume();
    const resumedAt = since(started);
    expect([report.status, post.status, ready.status]).toEqual([503, 503, 503]);
    for (const answer of [report, post]) {
      expect(answer.ms).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 50);
      expect(answer.ms).toBeLessThan(COMMAND_TIMEOUT_MS + 1_000);
    }
    expect(villes).toMatchObject({ status: 200, runId: expect.any(String) });
    const ended = await expectExact(runId);
    observations.push({
      fault: `Redis SIGSTOP for ${pauseMs} ms`,
      outcome: ended.status,
      ms: { job_report_503: report.ms, process_503: post.ms, ready_503: ready.ms, villes_200: villes.ms, resumed_at: resumedAt, run: since(started) },
    });
    observations[observations.length - 1].ms.next_run = await nextRunCompletes();
  });
});

describe('cancel during each stage', () => {
  /** POST /api/jobs/:id/cancel: its answer and how long it took. */
  async function cancel(runId: string): Promise<{ status: number; body: { status?: string; message?: string }; ms: number }> {
    const from = performance.now();
    const res = await stack.post(`/api/jobs/${runId}/cancel`);
    return { status: res.status, body: (await res.json()) as { status?: string; message?: string }, ms: since(from) };
  }

  /** A cancelled run: its report, the slot free, the published results untouched. */
  async function expectCancelled(runId: string, answer: Awaited<ReturnType<typeof cancel>>): Promise<void> {
    expect({ status: answer.status, run: answer.body.status }).toEqual({ status: 202, run: 'cancelled' });
    expect((await stack.report(runId))?.status).toBe('cancelled');
    expect(await stack.client.activeRunId()).toBeNull();
    // The results served are still those of the last completed run (every completed run here has the baseline's).
    const served = await currentBodies();
    expect(served.runId).not.toBe(runId);
    expect(served.bodies).toBe(baseline.bodies);
  }

  async function currentBodies(): Promise<ServedResults> {
    const current = (await fetch(`${stack.baseUrl}/api/villes`)).headers.get('x-run-id')!;
    return stack.servedResults(current);
  }

  it('queued (no orchestrator running): its flow leaves the queues', async () => {
    await stack.stop('orchestrator');
    const runId = await stack.startRun(LEAN);
    expect(await stack.queue(QueueName.split).getJobState(`${runId}-split`)).toBe('waiting');
    const answer = await cancel(runId);
    await expectCancelled(runId, answer);
    expect(await stack.queue(QueueName.aggregate).getJob(runId)).toBeUndefined();
    expect(await stack.queue(QueueName.split).getJob(`${runId}-split`)).toBeUndefined();
    stack.start('orchestrator');
    await stack.waitUntilUp();
    observations.push({ fault: 'cancel while queued', outcome: 'cancelled', ms: { cancel: answer.ms, next_run: await nextRunCompletes() } });
    await expectNothingLeftOf(runId);
  });

  it('splitting (the orchestrator paused while it plans): the split adds nothing more and stops', async () => {
    let runId = '';
    let answer: Awaited<ReturnType<typeof cancel>> | null = null;
    const notes = await untilLanded(3, async () => {
      runId = await stack.startRun(LEAN);
      const held = await heldBy('orchestrator', QueueName.split, runId, 10_000);
      stack.process('orchestrator').child.kill('SIGSTOP');
      const stage = (await stack.report(runId))!.status;
      answer = held ? await cancel(runId) : null;
      stack.process('orchestrator').child.kill('SIGCONT');
      if (answer?.status === 202) return `cancelled while the split ${held} was held (run ${stage})`;
      await stack.waitForEnd(runId);
      return null;
    });
    await expectCancelled(runId, answer!);
    observations.push({ fault: 'cancel while splitting', outcome: 'cancelled', ms: { cancel: answer!.ms, next_run: await nextRunCompletes() }, notes });
    await expectNothingLeftOf(runId);
  });

  it('mapping (a worker paused on a map job): that job commits nothing once resumed', async () => {
    let runId = '';
    let answer: Awaited<ReturnType<typeof cancel>> | null = null;
    let done = 0;
    const notes = await untilLanded(3, async () => {
      runId = await stack.startRun(LEAN);
      const mapping = await stack.waitForStatus(runId, (r) => r.status === 'mapping' && r.progress.chunks_done >= 5, 'mapping').catch(() => null);
      const held = mapping ? await heldBy('worker-1', QueueName.map, runId, 10_000) : null;
      if (held === null) {
        await stack.waitForEnd(runId);
        return null;
      }
      stack.process('worker-1').child.kill('SIGSTOP');
      answer = await cancel(runId);
      done = (await stack.report(runId))!.progress.chunks_done;
      stack.process('worker-1').child.kill('SIGCONT');
      if (answer.status !== 202) return null;
      return `${done} of ${mapping!.progress.chunks_total} ranges mapped at the cancel; ${held} held by the paused worker, stored nothing after`;
    });
    await expectCancelled(runId, answer!);
    await expectNothingLeftOf(runId);
    // The job held during the cancel, and any other still running, counted nothing afterwards.
    expect((await stack.report(runId))!.progress.chunks_done).toBe(done);
    observations.push({ fault: 'cancel while mapping', outcome: 'cancelled', ms: { cancel: answer!.ms, next_run: await nextRunCompletes() }, notes });
  });

  it('reducing (the aggregator paused while it merges): nothing is published', async () => {
    let runId = '';
    let answer: Awaited<ReturnType<typeof cancel>> | null = null;
    const notes = await untilLanded(3, async () => {
      runId = await stack.startRun(LEAN);
      await stack.waitForStatus(runId, (r) => r.status === 'reducing', 'reducing', 30_000).catch(() => null);
      const held = await heldBy('aggregator', QueueName.aggregate, runId, 2_000);
      stack.process('aggregator').child.kill('SIGSTOP');
      const stage = (await stack.report(runId))!.status;
      answer = held && stage === 'reducing' ? await cancel(runId) : null;
      stack.process('aggregator').child.kill('SIGCONT');
      if (answer?.status === 202) return `cancelled while ${held} was held (run ${stage})`;
      await stack.waitForEnd(runId);
      await stack.servedResults(runId);
      return null;
    });
    await expectCancelled(runId, answer!);
    await expectNothingLeftOf(runId);
    observations.push({ fault: 'cancel while reducing', outcome: 'cancelled', ms: { cancel: answer!.ms, next_run: await nextRunCompletes() }, notes });
  });
});

describe('RUN_TIMEOUT_MS', () => {
  it('fails a run no orchestrator takes, with a message naming the variable; the next run completes', async () => {
    await stack.stop('orchestrator');
    // Started with a short deadline by a client of the test's own: the processes of the stack enforce it.
    const short = createPipelineClient({ REDIS_URL: stack.redis.url, REDIS_PREFIX: stack.prefix, RUN_TIMEOUT_MS: 2_000 }, createLogger('chaos', 'silent'));
    const started = performance.now();
    try {
      const run = await short.startRun({ source: LEAN });
      const report = await stack.waitForEnd(run.job_id, 20_000);
      const endedAt = since(started);
      expect(report.status).toBe('failed');
      expect(report.error).toMatch(/^the run did not end within RUN_TIMEOUT_MS=2000 \(2 s\): it was still queued, no orchestrator took it/);
      expect(endedAt).toBeGreaterThanOrEqual(2_000);
      expect(await stack.client.activeRunId()).toBeNull();
      // The run is failed first (nothing works on it any more), then its jobs are removed.
      await pollUntil(async () => ((await stack.queue(QueueName.aggregate).getJob(run.job_id)) === undefined ? true : undefined), {
        what: "the overdue run's jobs to be removed",
        timeoutMs: 5_000,
      });
      const api = await (await fetch(`${stack.baseUrl}/api/jobs/${run.job_id}`)).json();
      expect(api).toMatchObject({ status: 'failed', error: report.error });
      stack.start('orchestrator');
      await stack.waitUntilUp();
      observations.push({ fault: 'RUN_TIMEOUT_MS=2000, no orchestrator', outcome: `failed: ${report.error}`, ms: { failed_at: endedAt, next_run: await nextRunCompletes() } });
      await expectNothingLeftOf(run.job_id);
    } finally {
      await short.close();
    }
  });
});

describe('hostile files', () => {
  it('a stray quote: every line it spans is rejected, so the reject ratio fails the run; the next run completes', async () => {
    const lines = (await readFile(join(stack.dataDir, LEAN), 'utf8')).split('\n');
    // Line 1,001 of the file: its model opens a quote that nothing after it closes (the quoted models of the
    // lines after lose their quotes).
    const fields = lines[1000].split(',');
    fields[4] = `"${fields[4]}`;
    lines[1000] = fields.join(',');
    for (let i = 1001; i < lines.length; i += 1) lines[i] = lines[i].replaceAll('"', '');
    await writeFile(join(stack.dataDir, 'stray-quote.csv'), lines.join('\n'));
    const started = performance.now();
    const runId = await stack.startRun('stray-quote.csv');
    const report = await stack.waitForEnd(runId);
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/^\d+ of \d+ data rows rejected, more than the allowed ratio 0\.5$/);
    expect(report.rejected.by_reason.unterminated_quote).toBeGreaterThanOrEqual(ROWS - 1_000);
    expect(report.rejected.samples.find((sample) => sample.line === 1_001)?.reason).toMatch(/quote/);
    observations.push({ fault: 'stray quote on line 1,001', outcome: `failed: ${report.error}`, ms: { run: since(started), next_run: await nextRunCompletes() } });
  });

  it('a binary file: the run fails with a short, printable message; the next run completes', async () => {
    // An executable's bytes (an ELF header, NULs, control and high bytes), named .csv.
    const bytes = Buffer.alloc(256 * 1024);
    let seed = 7;
    for (let i = 0; i < bytes.length; i += 1) {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      bytes[i] = seed >>> 24;
    }
    Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1').copy(bytes);
    await writeFile(join(stack.dataDir, 'binary.csv'), bytes);
    const started = performance.now();
    const runId = await stack.startRun('binary.csv');
    const report = await stack.waitForEnd(runId);
    expect(report.status).toBe('failed');
    expect(report.error!.length).toBeLessThan(1_000);
    expect(report.error).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    const list = await fetch(`${stack.baseUrl}/api/jobs`);
    expect(Number(list.headers.get('content-length') ?? (await list.text()).length)).toBeLessThan(64 * 1024);
    observations.push({ fault: 'binary file', outcome: `failed: ${report.error}`, ms: { run: since(started), next_run: await nextRunCompletes() } });
  });
});

describe('retention', () => {
  it(`ten back-to-back runs leave Redis within 2 MB of where it was after the first, all of it the runs' kept records`, async () => {
    const runIds: string[] = [];
    let first: MemorySnapshot | null = null;
    const started = performance.now();
    for (let i = 0; i < 10; i += 1) {
      const runId = await stack.startRun(LEAN);
      expect((await stack.waitForEnd(runId)).status).toBe('completed');
      await stack.servedResults(runId);
      runIds.push(runId);
      first ??= await stack.memory();
    }
    const last = await stack.memory();
    const runs = since(started);
    // Nothing per range or per chunk is left of any ended run: no scratch keys, no children's results in a parent.
    // (The last run's partials are swept just after it completes: allow that a moment.)
    const leftKeys = async () => [...(await stack.keys(`${stack.prefix}:run:*:*`)), ...(await stack.keys(`${stack.prefix}:aggregate:*:processed`))];
    let left: string[] = [];
    await pollUntil(async () => ((left = await leftKeys()).length === 0 ? true : undefined), {
      what: "every ended run's scratch keys and processed hash to go",
      timeoutMs: 5_000,
      intervalMs: 100,
      seen: () => left.join('\n'),
    });
    expect(await leftKeys()).toEqual([]);
    expect(await stack.queue(QueueName.map).getJobCountByTypes('completed', 'waiting', 'active', 'delayed')).toBe(0);

    // The only keys runs 2-10 added are their report, their results and their parent job (a summary); older
    // results left as the last KEEP_RESULTS were kept; everything else (queue streams, indexes, BullMQ's
    // queue-level keys that come and go) hardly moved.
    const newRecords = new Set(runIds.slice(1).flatMap((id) => [`run:${id}`, `results:${id}`, `aggregate:${id}`].map((key) => `${stack.prefix}:${key}`)));
    const queueLevel = new RegExp(`^${stack.prefix}:(split|map|aggregate):(${BULLMQ_QUEUE_KEYS.join('|')})$`);
    // A job's lock lives while the job is processed: the first snapshot may catch the first run's parent job
    // finishing just after its report said completed.
    const comesAndGoes = (key: string) => queueLevel.test(key) || key.endsWith(':lock');
    const added = [...last.sizes.keys()].filter((key) => !first!.sizes.has(key) && !comesAndGoes(key));
    const removed = [...first!.sizes.keys()].filter((key) => !last.sizes.has(key) && !comesAndGoes(key));
    expect(added.filter((key) => !newRecords.has(key))).toEqual([]);
    expect(removed.filter((key) => !key.startsWith(`${stack.prefix}:results:`))).toEqual([]);
    const sum = (keys: string[], from: MemorySnapshot) => keys.reduce((total, key) => total + from.sizes.get(key)!, 0);
    const others = new Set([...first!.sizes.keys(), ...last.sizes.keys()].filter((key) => !added.includes(key) && !removed.includes(key)));
    const othersGrowth = [...others].reduce((total, key) => total + (last.sizes.get(key) ?? 0) - (first!.sizes.get(key) ?? 0), 0);
    const growth = last.total - first!.total;
    observations.push({
      fault: 'ten back-to-back runs',
      outcome: 'completed ×10',
      ms: { runs },
      notes: [
        `keys' memory after run 1: ${first!.total} B, after run 10: ${last.total} B (growth ${growth} B)`,
        `used_memory after run 1: ${first!.used} B, after run 10: ${last.used} B (growth ${last.used - first!.used} B)`,
        `runs 2-10 added ${added.length} keys, ${sum(added, last)} B (reports, results, parent jobs); ${removed.length} older results left, ${sum(removed, first!)} B; every other key together grew ${othersGrowth} B`,
      ],
    });
    expect(growth).toBeLessThan(2 * 1024 * 1024);
    expect(last.used - first!.used).toBeLessThan(2 * 1024 * 1024);
    expect(othersGrowth).toBeLessThan(64 * 1024);
    expect(KEEP_RESULTS).toBe(10);
  });
});
