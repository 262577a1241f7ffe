import { describe, expect, it } from '@jest/globals';
import { ConfigError, configKeys, loadConfig, retiredVariableWarnings } from '../src/index.js';

describe('loadConfig', () => {
  it('gives every default for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      REDIS_URL: 'redis://localhost:6379',
      PORT: 5000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      DATA_FILE: 'transactions.csv',
      MAX_REJECT_RATIO: 0.5,
      PROCESS_ON_START: false,
      ADMIN_TOKEN: '',
      LOG_LEVEL: 'info',
    });
    expect(Object.keys(config).sort()).toEqual([...configKeys].sort());
  });

  it('converts numbers and booleans from their text', () => {
    const config = loadConfig({ PORT: '8080', CHUNK_BYTES: '4096', MAX_REJECT_RATIO: '0.25', PROCESS_ON_START: 'true' });
    expect(config.PORT).toBe(8080);
    expect(config.CHUNK_BYTES).toBe(4096);
    expect(config.MAX_REJECT_RATIO).toBe(0.25);
    expect(config.PROCESS_ON_START).toBe(true);
  });

  it('reads numbers and booleans by the rule of the API\'s parameters: plain decimal, true or false', () => {
    expect(loadConfig({ PORT: ' 8080 ', MAX_REJECT_RATIO: '0.25', RUN_TIMEOUT_MS: '1000', PROCESS_ON_START: 'false' })).toMatchObject({
      PORT: 8080,
      MAX_REJECT_RATIO: 0.25,
      RUN_TIMEOUT_MS: 1000,
      PROCESS_ON_START: false,
    });
    for (const text of ['+8080', '8e3', '0x1f90', '08080', '8080.', '8080.0', '.5']) {
      expect(() => loadConfig({ PORT: text })).toThrow(
        `PORT=${JSON.stringify(text)}: expected an integer >= 1 and <= 65535, written in plain decimal digits, e.g. 5000 (no +, exponent or leading zero)`,
      );
    }
    for (const text of ['+0.5', '5e-1', '.5', '00.5']) {
      expect(() => loadConfig({ MAX_REJECT_RATIO: text })).toThrow(`MAX_REJECT_RATIO=${JSON.stringify(text)}: expected a number >= 0 and <= 1, written in plain decimal`);
    }
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty": expected an integer >= 1 and <= 65535$/);
    for (const text of ['1', '0', 'TRUE', 'yes']) {
      expect(() => loadConfig({ PROCESS_ON_START: text })).toThrow(new RegExp(`PROCESS_ON_START=${JSON.stringify(text)}: expected true or false$`));
    }
  });

  it('lists every bad variable with what it accepts', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', CHUNK_BYTES: '1.5', MAX_REJECT_RATIO: '2', LOG_LEVEL: 'loud', REDIS_URL: 'localhost' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT="abc": expected an integer >= 1 and <= 65535');
    expect(message).toContain('CHUNK_BYTES="1.5": expected an integer >= 1024 and <= 1073741824');
    expect(message).toContain('MAX_REJECT_RATIO="2": expected a number >= 0 and <= 1');
    expect(message).toContain('LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent');
    expect(message).toContain('REDIS_URL="localhost"');
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('refuses ranges under 1 KiB and cardinality limits under 1', () => {
    expect(() => loadConfig({ CHUNK_BYTES: '1023' })).toThrow(/CHUNK_BYTES="1023": expected an integer >= 1024/);
    expect(() => loadConfig({ MAX_VILLES: '0' })).toThrow(/MAX_VILLES="0": expected an integer >= 1/);
    expect(() => loadConfig({ MAX_MODELES: '-5' })).toThrow(/MAX_MODELES="-5": expected an integer >= 1/);
  });
});

describe('REDIS_URL', () => {
  it('accepts the URLs ioredis reads: host, port, credentials, database number, TLS, IPv6', () => {
    for (const url of [
      'redis://localhost:6379',
      'redis://redis:6379/',
      'redis://127.0.0.1:6391/2',
      'rediss://user:p%40ss@cache.example.com:6380/0',
      'redis://:secret@localhost',
      'redis://[::1]:6379',
      'redis://localhost:6379/0?family=6',
    ]) {
      expect(loadConfig({ REDIS_URL: url }).REDIS_URL).toBe(url);
    }
  });

  it('refuses, with one message naming it, a URL that matches redis:// but that no role could connect with', () => {
    for (const url of ['redis://127.0.0.1:notaport', 'redis://127.0.0.1:99999', 'redis://host with space:6379', 'redis://127.0.0.1:6379/abc', 'redis://127.0.0.1:6379/0/1']) {
      let error: unknown;
      try {
        loadConfig({ REDIS_URL: url, PORT: '8080' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(1);
      expect((error as ConfigError).problems[0]).toMatch(new RegExp(`^REDIS_URL=${JSON.stringify(url).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*; expected a URL redis://`));
    }
  });

  it('reports a URL without the scheme once, by the pattern', () => {
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/^Invalid configuration:\n {2}- REDIS_URL="localhost:6379": expected a string matching \/\^rediss\?:\/\/\/$/);
  });
});

describe('retiredVariableWarnings', () => {
  it('says which variables of an earlier version are set and no longer read', () => {
    expect(retiredVariableWarnings({ CHUNK_ROWS: '50000', MAX_INFLIGHT_MB: '', PORT: '5000' })).toEqual([
      'CHUNK_ROWS is no longer read (runs are cut into byte ranges now: set CHUNK_BYTES (bytes per map job) instead); it is ignored',
    ]);
    expect(retiredVariableWarnings({})).toEqual([]);
  });
});
