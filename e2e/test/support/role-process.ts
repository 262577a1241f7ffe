// A role started as its own Node process from its build (`node apps/<role>/dist/main.js`), as a container runs it,
// with the image's NODE_OPTIONS.
import { ROLE_NODE_OPTIONS, SpawnedProcess } from '@autoconnect/testkit';
import { repoPath, repoRoot } from '../../src/repo-paths.js';

export type PipelineRole = 'orchestrator' | 'worker' | 'aggregator';

export function startRole(role: PipelineRole, env: Record<string, string>): SpawnedProcess {
  return new SpawnedProcess(role, ['node', repoPath('apps', role, 'dist/main.js')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: ROLE_NODE_OPTIONS, ...env },
  });
}
