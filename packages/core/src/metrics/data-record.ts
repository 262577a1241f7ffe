// Records keyed by data (villes, months, modeles): null-prototype objects, so `__proto__` is data like any other.

/** A record safe for any key, `__proto__` included. */
export function dataRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
