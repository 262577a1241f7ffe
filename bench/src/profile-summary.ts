// Where a role's CPU time went, from the .cpuprofile that `node --cpu-prof` writes: self time per function
// and per area (the project's packages, BullMQ, ioredis, Node internals, GC, idle).
import { readFile } from 'node:fs/promises';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time, 0..100. */
  busyPercent: number;
}

export interface ProfileSummary {
  label: string;
  /** Sampled time counted: the whole profile, or the part inside the window asked for. */
  totalMs: number;
  busyMs: number;
  areas: ProfileEntry[];
  functions: ProfileEntry[];
}

const AREAS: Array<[RegExp, string]> = [
  [/packages\/core\//, 'core (packages/core)'],
  [/packages\/pipeline\//, 'pipeline (packages/pipeline)'],
  [/apps\/orchestrator\//, 'orchestrator (apps/orchestrator)'],
  [/apps\/worker\//, 'worker (apps/worker)'],
  [/apps\/aggregator\//, 'aggregator (apps/aggregator)'],
  [/apps\/api\//, 'api (apps/api)'],
  [/node_modules\/.*\/bullmq\//, 'bullmq'],
  [/node_modules\/.*\/ioredis\//, 'ioredis'],
  [/node_modules\/.*\/(redis-parser|cluster-key-slot|denque|standard-as-callback)\//, 'ioredis (parser & helpers)'],
  [/node_modules\/.*\/(msgpackr|cron-parser|luxon)/, 'bullmq dependencies'],
  [/node_modules\/.*\/(pino|sonic-boom|thread-stream)/, 'pino'],
  [/node_modules\//, 'other dependencies'],
  [/^node:|^internal\//, 'Node.js internals'],
];

function area(frame: CallFrame): string {
  if (frame.functionName === '(idle)') return 'idle';
  if (frame.functionName === '(garbage collector)') return 'garbage collector';
  if (frame.functionName === '(program)') return 'V8/native (program)';
  if (frame.url === '') return `native: ${frame.functionName || '(anonymous)'}`;
  for (const [pattern, name] of AREAS) if (pattern.test(frame.url)) return name;
  return 'other JavaScript';
}

function shortUrl(url: string): string {
  const at = url.search(/(packages|apps)\/[^/]+\/(src|dist)\//);
  if (at >= 0) return url.slice(at);
  const modules = url.lastIndexOf('node_modules/');
  return modules >= 0 ? url.slice(modules + 'node_modules/'.length) : url.replace(/^file:\/\//, '');
}

function top(totals: Map<string, number>, busyMs: number, limit: number): ProfileEntry[] {
  return [...totals]
    .sort(([, a], [, b]) => b - a)
    .slice(0, limit)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), busyPercent: Math.round((1000 * ms) / busyMs) / 10 }));
}

/** A span of the monotonic clock in microseconds (`process.hrtime`'s, which V8 stamps its samples with). */
export interface ClockWindow {
  startUs: number;
  endUs: number;
}

export function clockNowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Self time per function and area. With `window`, only samples taken inside it count: a role's profile
 * covers its whole life (start-up, waiting), the run is only part of it.
 */
export async function summariseProfile(label: string, path: string, window?: ClockWindow, limit = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    // A sample's delta is the time since the previous one: the time it stands for ends at its stamp.
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.startUs || at > window.endUs)) return;
    selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of selfMs) {
    const frame = frames.get(id) as CallFrame;
    const where = area(frame);
    totalMs += ms;
    if (where === 'idle') {
      idleMs += ms;
      continue;
    }
    areas.set(where, (areas.get(where) ?? 0) + ms);
    const name = frame.url === '' ? `${frame.functionName}` : `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const busyMs = totalMs - idleMs;
  return { label, totalMs: Math.round(totalMs), busyMs: Math.round(busyMs), areas: top(areas, busyMs, limit), functions: top(functions, busyMs, limit) };
}
