// Running the roles by hand, as `pnpm start:<role>` does: a bad variable stops every role with one clean
// message and exit code 1, an optional .env is read without overriding the environment, and logs are
// readable lines on a terminal and JSON lines otherwise.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteKeys, freePort, freshPrefix, pollUntil, REDIS_URL, SpawnedProcess } from '@autoconnect/testkit';
import { repoPath } from '../src/repo-paths.js';
import { apiClient } from './support/api-client.js';

const ROLES = ['api', 'orchestrator', 'worker', 'aggregator'] as const;
const LOAD_ENV = repoPath('scripts/load-env.js');

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
  it.each(ROLES)('stops the %s with one message naming it, exit code 1, no stack trace', async (role) => {
    const { code, stdout, stderr } = await runToEnd(['node', repoPath('apps', role, 'dist/main.js')], {
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
