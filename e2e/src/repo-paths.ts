// Where the deployment files live, from the e2e tests' point of view: the checkout's root and its files.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function repoPath(...segments: string[]): string {
  return join(repoRoot, ...segments);
}
