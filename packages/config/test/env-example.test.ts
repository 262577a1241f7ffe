import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configKeys, loadConfig } from '../src/index.js';

const envExample = readFileSync(fileURLToPath(new URL('../../../.env.example', import.meta.url)), 'utf8');
const entries = Object.fromEntries(
  envExample
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

describe('.env.example', () => {
  it('lists exactly the variables of the config schema', () => {
    expect(Object.keys(entries).sort()).toEqual([...configKeys].sort());
  });

  it('shows each default as the schema has it', () => {
    const fromExample = loadConfig(entries);
    expect(fromExample).toEqual(loadConfig({}));
  });
});
