// PartialMetrics as stored in Redis: JSON, read back into null-prototype records so a city or model named
// `__proto__` or `constructor` stays data.
import type { PartialMetrics } from '@autoconnect/core';

export function serialisePartial(partial: PartialMetrics): string {
  return JSON.stringify(partial);
}

export function parsePartial(json: string | Buffer): PartialMetrics {
  return JSON.parse(String(json), (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.assign(Object.create(null), value) : value,
  ) as PartialMetrics;
}
