// The committed client files are what the API's document produces now: a change to a route's schema that
// was not followed by `pnpm --filter @autoconnect/api-client generate` fails here (and in `pnpm lint`). The
// check runs as `pnpm lint` runs it: the generator script over the built API.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

describe('the generated client', () => {
  it('matches the OpenAPI document the built API produces', () => {
    const check = spawnSync(process.execPath, [join(packageDir, 'scripts/generate.js'), '--check'], { cwd: packageDir, encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
    expect(check.stdout).toContain('up to date');
  }, 60_000);
});
