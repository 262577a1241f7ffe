import { describe, expect, it } from '@jest/globals';
import type { PartialMetrics } from '@autoconnect/core';
import { parseVille, parsePartial, serialiseVille, serialisePartial } from '../src/partial-json.js';
import { failedChildKey, isFinalFailure } from '../src/run-failure.js';
import { UnrecoverableError } from 'bullmq';

describe('partial JSON', () => {
  it('round-trips into null-prototype records, so a modele named __proto__ or constructor stays data', () => {
    const modeles = Object.create(null) as PartialMetrics['villes'][string]['modeles'];
    modeles['__proto__'] = { transactions: 1, ventes: 1, locations: 0, caCents: 100 };
    const villes = Object.create(null) as PartialMetrics['villes'];
    villes.Paris = { months: { '2023-01': 100 }, vente: 1, location: 0, modeles };
    const partial: PartialMetrics = { rowsValid: 1, rowsRejected: 0, rejectedByReason: {}, samples: [], villes };
    const back = parsePartial(serialisePartial(partial));
    expect(Object.getPrototypeOf(back.villes)).toBeNull();
    expect(Object.keys(back.villes.Paris.modeles)).toEqual(['__proto__']);
    expect(back.villes.Paris.modeles['__proto__'].caCents).toBe(100);
    expect(back.villes.Paris.modeles['constructor']).toBeUndefined();
    expect(JSON.parse(serialisePartial(back))).toEqual(JSON.parse(serialisePartial(partial)));
    const paris = parseVille(serialiseVille(villes.Paris));
    expect(Object.getPrototypeOf(paris.modeles)).toBeNull();
    expect(paris.modeles['__proto__'].caCents).toBe(100);
  });
});

describe('run failure helpers', () => {
  it('treats bad input and the last attempt as final', () => {
    expect(isFinalFailure({ attemptsMade: 1, opts: { attempts: 3 } }, new UnrecoverableError('bad'))).toBe(true);
    expect(isFinalFailure({ attemptsMade: 1, opts: { attempts: 3 } }, new Error('blip'))).toBe(false);
    expect(isFinalFailure({ attemptsMade: 3, opts: { attempts: 3 } }, new Error('blip'))).toBe(true);
  });

  it("finds the child that failed a parent from BullMQ's reason", () => {
    expect(failedChildKey('child p:map:abc-map-3 failed')).toBe('p:map:abc-map-3');
    expect(failedChildKey('something else')).toBeNull();
  });
});
