// Partial metrics as stored in Redis: one JSON value per city, read back into null-prototype records so a
// model named `__proto__` or `constructor` stays data.
import type { CityPartial, PartialMetrics } from '@autoconnect/core';

function withDataRecords(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.assign(Object.create(null), value) : value;
}

export function serialiseCity(city: CityPartial): string {
  return JSON.stringify(city);
}

export function parseCity(json: string | Buffer): CityPartial {
  return JSON.parse(String(json), withDataRecords) as CityPartial;
}

export function serialisePartial(partial: PartialMetrics): string {
  return JSON.stringify(partial);
}

export function parsePartial(json: string | Buffer): PartialMetrics {
  return JSON.parse(String(json), withDataRecords) as PartialMetrics;
}
