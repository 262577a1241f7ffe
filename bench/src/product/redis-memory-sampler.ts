// Redis's used_memory sampled every ~100 ms during a run. The Redis may be shared with other work, so the
// figure that belongs to the run is the peak above the level measured just before it started.
import type { Redis } from 'ioredis';

export interface RedisMemoryPeak {
  /** used_cpu_user + used_cpu_sys of the Redis server over the run (all its clients, ours and others'). */
  cpuSeconds: number;
  baselineBytes: number;
  peakBytes: number;
  /** peak − baseline: what the run added at its worst. */
  runPeakBytes: number;
  samples: number;
}

async function usedCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN);
}

export class RedisMemorySampler {
  private baseline = 0;
  private cpuAtStart = 0;
  private peak = 0;
  private samples = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly intervalMs = 100,
  ) {}

  async start(): Promise<void> {
    this.cpuAtStart = await usedCpu(this.redis);
    this.baseline = await usedMemory(this.redis);
    this.peak = this.baseline;
    this.timer = setInterval(() => {
      // One INFO at a time: a slow answer skips a tick rather than piling requests up.
      if (this.inFlight === null) this.inFlight = this.sample().finally(() => (this.inFlight = null));
    }, this.intervalMs);
  }

  async stop(): Promise<RedisMemoryPeak> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
    await this.sample();
    const cpuSeconds = (await usedCpu(this.redis)) - this.cpuAtStart;
    return { cpuSeconds, baselineBytes: this.baseline, peakBytes: this.peak, runPeakBytes: this.peak - this.baseline, samples: this.samples };
  }

  private async sample(): Promise<void> {
    try {
      const used = await usedMemory(this.redis);
      this.samples++;
      if (used > this.peak) this.peak = used;
    } catch {
      // A missed sample is not a failed benchmark; the count of samples is reported.
    }
  }
}
