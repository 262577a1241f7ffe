// The API as deployed — its built entry point in a process of its own — over a test's pipeline, on a free
// port, resolved once it answers /ready.
import { rm } from 'node:fs/promises';
import { freePort, pollUntil, REDIS_URL, SpawnedProcess, type ProcessExit } from '@autoconnect/testkit';
import { repoPath, repoRoot } from '../../src/repo-paths.js';
import { apiClient } from './api-client.js';

export interface ApiProcess {
  api: SpawnedProcess;
  baseUrl: string;
}

export async function startApiProcess(options: { prefix: string; dataDir: string; adminToken: string }): Promise<ApiProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = new SpawnedProcess('api', ['node', repoPath('apps/api/dist/main.js')], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL,
      REDIS_PREFIX: options.prefix,
      DATA_DIR: options.dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_TOKEN: options.adminToken,
      LOG_LEVEL: 'warn',
    },
  });
  const client = apiClient(baseUrl);
  await pollUntil(
    async () => {
      if (!api.running) throw new Error(`the API exited:\n${api.output()}`);
      // Refused until it listens; 503 until Redis answers.
      return client.getReady().then(({ response }) => (response.status === 200 ? true : undefined), () => undefined);
    },
    { what: 'the API to be ready', timeoutMs: 20_000, intervalMs: 100, seen: () => api.output() },
  );
  return { api, baseUrl };
}

/**
 * Takes down what a test file started, whatever of it was started: the API (SIGTERM: it stops by itself), the
 * pipeline, the data folder. Returns how the API exited, for the test to check it stopped cleanly.
 */
export async function stopApiStack(stack: { api?: SpawnedProcess; harness?: { close(): Promise<void> }; dir?: string }): Promise<ProcessExit | null> {
  const exit = stack.api ? await stack.api.stop('SIGTERM', 10_000) : null;
  await stack.harness?.close();
  if (stack.dir) await rm(stack.dir, { recursive: true, force: true });
  return exit;
}
