// Partial metrics as JSON. A ville's partial as stored between the map and the reduce is the core's compact form
// (serialiseVille, parseVille); a whole partial reads back into null-prototype records so a modele named
// `__proto__` or `constructor` stays data.
import type { PartialMetrics } from '@autoconnect/core';

export { serialiseVille, parseVille } from '@autoconnect/core';

function withDataRecords(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.assign(Object.create(null), value) : value;
}

/** A whole partial (tests and tools; the pipeline stores villes one by one). */
export function serialisePartial(partial: PartialMetrics): string {
  return JSON.stringify(partial);
}

export function parsePartial(json: string | Buffer): PartialMetrics {
  return JSON.parse(String(json), withDataRecords) as PartialMetrics;
}
