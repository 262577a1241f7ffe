// Running the roles by hand, as `pnpm start:<role>` and `pnpm start` do: a bad variable stops every role (and
// all of them in one process) with one clean message and exit code 1, an optional .env is read without
// overriding the environment, every role in one process completes a run and closes on SIGTERM, and logs are
// readable lines on a terminal and JSON lines otherwise.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { deleteKeys, freePort, freshPrefix, pollUntil, REDIS_URL, ROLE_NODE_OPTIONS, SpawnedProcess } from '@autoconnect/testkit';
import { repoPath } from '../src/repo-paths.js';
import { apiClient } from './support/api-client.js';

const ROLES = ['api', 'orchestrator', 'worker', 'aggregator'] as const;
const LOAD_ENV = repoPath('scripts/load-env.js');
/** What `pnpm start` runs (root package.json): every role in one process. */
const ALL_ROLES_MAIN = repoPath('apps/all-roles/dist/main.js');

/** A small file of two villes for a whole run. */
const SAMPLE_CSV = [
  'transaction_id,date,ville,type,modele,prix,duree_location_mois',
  'TX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,',
  'TX2,2023-01-15,Lyon,location,Renault Clio,349.90,24',
  'TX3,2023-02-02,Paris,location,Peugeot 208,299.00,12',
  '',
].join('\n');
const SAMPLE_ROWS = 3;

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Everything a process writes on stdout, kept whole (SpawnedProcess keeps only a tail), as log lines. */
function collectLogs(spawned: SpawnedProcess): () => Array<Record<string, unknown>> {
  let stdout = '';
  spawned.child.stdout?.on('data', (text: string) => (stdout += text));
  return () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

let dir: string;
const prefixes: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autoconnect-local-'));
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(prefix);
  await rm(dir, { recursive: true, force: true });
});

/** Runs `args` to its end; its exit code and what it wrote. */
function runToEnd(args: string[], env: Record<string, string>, cwd = dir): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(args[0] === 'node' ? process.execPath : args[0], args.slice(1), { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function waitForReady(api: SpawnedProcess, baseUrl: string): Promise<void> {
  await pollUntil(
    async () => {
      if (!api.running) throw new Error(`the API exited:\n${api.output()}`);
      return apiClient(baseUrl)
        .getReady()
        .then(({ response }) => (response.status === 200 ? true : undefined), () => undefined);
    },
    { what: 'the API to be ready', timeoutMs: 20_000, intervalMs: 100, seen: () => api.output() },
  );
}

describe('a bad variable', () => {
  it.each([...ROLES, 'all-roles'])('stops the %s with one message naming it, exit code 1, no stack trace', async (app) => {
    const { code, stdout, stderr } = await runToEnd(['node', repoPath('apps', app, 'dist/main.js')], {
      REDIS_URL: 'localhost:6379',
      PORT: 'eighty',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'Invalid configuration:\n' +
        '  - REDIS_URL="localhost:6379": expected a string matching /^rediss?:///\n' +
        '  - PORT="eighty": expected an integer >= 1 and <= 65535\n',
    );
  });
});

describe('pnpm start:<role> and .env', () => {
  it('reads the .env of its folder, the environment winning over it', async () => {
    const prefix = freshPrefix('e2e-local');
    prefixes.push(prefix);
    const [filePort, envPort] = [await freePort(), await freePort()];
    await writeFile(
      join(dir, '.env'),
      [`# as .env.example, edited`, `PORT=${filePort}`, `HOST=127.0.0.1`, `REDIS_PREFIX=${prefix}`, `ADMIN_TOKEN="from-the-file"`, `LOG_LEVEL=debug`, ''].join('\n'),
    );
    // `pnpm start:api` is `node --import ./scripts/load-env.js apps/api/dist/main.js`, run from its folder.
    const api = new SpawnedProcess('api', ['node', '--import', LOAD_ENV, repoPath('apps/api/dist/main.js')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', REDIS_URL, DATA_DIR: dir, PORT: String(envPort), LOG_LEVEL: 'warn' },
    });
    try {
      const baseUrl = `http://127.0.0.1:${envPort}`;
      await waitForReady(api, baseUrl);
      const { data: status } = await apiClient(baseUrl).getStatus();
      expect(status?.auth_required).toBe(true);
      const { response: accepted } = await apiClient(baseUrl, 'from-the-file').startRun();
      expect(accepted.status).not.toBe(401);
      await expect(apiClient(`http://127.0.0.1:${filePort}`).getHealth()).rejects.toThrow();
      // LOG_LEVEL=warn from the environment: no info or debug line.
      expect(api.output()).not.toMatch(/"level":(20|30)/);
    } finally {
      expect(await api.stop('SIGTERM', 10_000)).toEqual({ code: 0, signal: null });
      await rm(join(dir, '.env'), { force: true });
    }
  }, 60_000);
});

describe('pnpm start', () => {
  it('runs every role in one process: reads .env, completes the run PROCESS_ON_START asks for, closes on SIGTERM', async () => {
    const root = readJson<{ scripts: Record<string, string> }>(repoPath('package.json'));
    expect(root.scripts.start).toBe('node --import ./scripts/load-env.js apps/all-roles/dist/main.js');
    const prefix = freshPrefix('e2e-start');
    prefixes.push(prefix);
    const port = await freePort();
    const dataDir = await mkdtemp(join(dir, 'data-'));
    await writeFile(join(dataDir, 'transactions.csv'), SAMPLE_CSV);
    await writeFile(
      join(dir, '.env'),
      [`PORT=${port}`, 'HOST=127.0.0.1', `REDIS_PREFIX=${prefix}`, `DATA_DIR=${dataDir}`, 'PROCESS_ON_START=true', ''].join('\n'),
    );
    const all = new SpawnedProcess('all', ['node', '--import', LOAD_ENV, ALL_ROLES_MAIN], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', REDIS_URL, NODE_OPTIONS: ROLE_NODE_OPTIONS },
    });
    const logLines = collectLogs(all);
    try {
      const api = apiClient(`http://127.0.0.1:${port}`);
      const run = await pollUntil(
        async () => {
          if (!all.running) throw new Error(`pnpm start exited:\n${all.output()}`);
          const latest = (await api.listRuns().catch(() => null))?.data?.[0];
          if (latest?.status === 'failed') throw new Error(`the run failed: ${latest.error}\n${all.output()}`);
          return latest?.status === 'completed' ? latest : undefined;
        },
        { what: 'the run started by pnpm start to complete', timeoutMs: 60_000, intervalMs: 200, seen: () => all.output() },
      );
      expect(run.progress.rows_valid).toBe(SAMPLE_ROWS);
      const villes = await api.listVilles();
      expect(villes.response.headers.get('x-run-id')).toBe(run.job_id);
      expect(villes.data?.villes).toEqual(['Lyon', 'Paris']);
      // Each role logs under its own name, and the run under one field, runId, whichever role logs it.
      const lines = logLines();
      expect([...new Set(lines.map((line) => line.role))].sort()).toEqual(['aggregator', 'all', 'api', 'orchestrator', 'worker']);
      const naming = lines.filter((line) => Object.values(line).includes(run.job_id));
      expect(naming.filter((line) => line.runId !== run.job_id)).toEqual([]);
      expect([...new Set(naming.map((line) => line.role))].sort()).toEqual(expect.arrayContaining(['aggregator', 'api', 'orchestrator']));
    } finally {
      expect(await all.stop('SIGTERM', 15_000)).toEqual({ code: 0, signal: null });
      await rm(join(dir, '.env'), { force: true });
    }
    expect(logLines()).toContainEqual(expect.objectContaining({ role: 'all', msg: 'shut down cleanly' }));
  }, 90_000);
});

describe('logs', () => {
  const command = (port: number, prefix: string) => [
    `REDIS_URL=${REDIS_URL}`,
    `REDIS_PREFIX=${prefix}`,
    `PORT=${port}`,
    'HOST=127.0.0.1',
    `DATA_DIR=${dir}`,
    `${process.execPath} ${repoPath('apps/api/dist/main.js')}`,
  ].join(' ');

  it('are JSON lines when stdout is not a terminal, readable lines on a terminal', async () => {
    const prefix = freshPrefix('e2e-logs');
    prefixes.push(prefix);
    const piped = new SpawnedProcess('api', ['sh', '-c', `exec env ${command(await freePort(), prefix)}`], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    await pollUntil(async () => (piped.output().includes('Server listening') ? true : piped.running ? undefined : false), {
      what: 'the API to log that it listens',
      timeoutMs: 20_000,
      intervalMs: 100,
      seen: () => piped.output(),
    });
    await piped.stop('SIGTERM', 10_000);
    const firstLine = piped.output(200).split('\n').find((line) => line.includes('Server listening')) ?? '';
    expect(JSON.parse(firstLine.replace(/^\[api\] /, ''))).toMatchObject({ level: 30, role: 'api', msg: expect.stringContaining('Server listening') });

    // `script` gives the API a pseudo-terminal, as a shell would.
    const onTerminal = new SpawnedProcess('api', ['script', '-qfec', `env ${command(await freePort(), prefix)}`, '/dev/null'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm' },
    });
    try {
      await pollUntil(async () => (onTerminal.output().includes('Server listening') ? true : onTerminal.running ? undefined : false), {
        what: 'the API to log that it listens',
        timeoutMs: 20_000,
        intervalMs: 100,
        seen: () => onTerminal.output(),
      });
      const line = onTerminal.output(200).split('\n').find((l) => l.includes('Server listening')) ?? '';
      expect(line).toMatch(/\[\d\d:\d\d:\d\d\.\d{3}\] .*INFO.* \(api\): .*Server listening at http:\/\/127\.0\.0\.1:/);
      expect(line).not.toContain('{"level"');
    } finally {
      await onTerminal.stop('SIGTERM', 10_000);
    }
  }, 60_000);
});
