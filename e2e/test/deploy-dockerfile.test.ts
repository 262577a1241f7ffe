// The Dockerfile checked without a Docker engine: the pinned Node of .node-version as its base, the locked
// pnpm, a build from the lockfile, pruned production roles in a final image that runs as a non-root user with
// the roles' NODE_OPTIONS, and a build context that holds what the build reads and nothing secret or generated.
import { describe, expect, it } from '@jest/globals';
import { ROLE_NODE_OPTIONS } from '@autoconnect/testkit';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { parse } from 'yaml';
import { commandArgs, loadComposeFile } from '../src/compose-file.js';
import { execArgs, loadDockerfile, readCopy, type DockerStage } from '../src/dockerfile.js';
import { DockerIgnore } from '../src/dockerignore.js';
import { repoPath } from '../src/repo-paths.js';

const dockerfile = loadDockerfile();
const compose = loadComposeFile();
const dockerIgnore = new DockerIgnore(readFileSync(repoPath('.dockerignore'), 'utf8'));
const rootPackage = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
  packageManager: string;
  engines: { node: string };
};
const stageNames = new Set(dockerfile.stages.map((s) => s.name).filter((n): n is string => n !== null));
const finalStage = dockerfile.stages[dockerfile.stages.length - 1];
const roles = ['api', 'orchestrator', 'worker', 'aggregator'];

function stage(name: string): DockerStage {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
}

function runs(s: DockerStage): string[] {
  return s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

/** The stage's WORKDIR in force at the end (absolute). */
function workdir(s: DockerStage): string {
  return s.instructions.filter((i) => i.keyword === 'WORKDIR').reduce((dir, i) => posix.resolve(dir, i.args), '/');
}

/** Workspace packages (folder → name) of apps/ and packages/. */
function workspacePackages(): Map<string, string> {
  const found = new Map<string, string>();
  for (const group of ['apps', 'packages']) {
    for (const dir of readdirSync(repoPath(group))) {
      const manifest = repoPath(group, dir, 'package.json');
      if (existsSync(manifest)) found.set(`${group}/${dir}`, (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name);
    }
  }
  return found;
}

describe('Dockerfile', () => {
  it("builds on the official slim image of .node-version's Node, pinned, at least as new as engines.node", () => {
    const pinned = readFileSync(repoPath('.node-version'), 'utf8').trim();
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const [major, minor] = pinned.split('.').map(Number);
    const [, minimumMajor, minimumMinor] = /(\d+)\.(\d+)/.exec(rootPackage.engines.node) ?? [];
    expect(major > Number(minimumMajor) || (major === Number(minimumMajor) && minor >= Number(minimumMinor))).toBe(true);
    const external = dockerfile.stages.map((s) => s.from).filter((from) => !stageNames.has(from));
    expect(external.length).toBeGreaterThan(0);
    for (const image of external) expect(image).toBe(`node:${pinned}-bookworm-slim`);
  });

  it("installs the pnpm of package.json's packageManager", () => {
    const version = rootPackage.packageManager.replace(/^pnpm@/, '');
    expect(runs(stage('build'))).toContain(`npm install -g pnpm@${version}`);
  });

  it('installs from the lockfile, then runs the workspace build', () => {
    const build = runs(stage('build'));
    const install = build.findIndex((r) => /^pnpm install\b.*--frozen-lockfile/.test(r));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(build.indexOf('pnpm build')).toBeGreaterThan(install);
  });

  it('deploys each role with production dependencies only', () => {
    const packages = workspacePackages();
    const deploys = runs(stage('build')).flatMap((r) => r.split('&&').map((c) => c.trim())).filter((c) => /\bdeploy\b/.test(c));
    for (const role of roles) {
      expect(deploys).toContain(`pnpm --filter ${packages.get(`apps/${role}`)} deploy --prod --legacy /prod/apps/${role}`);
    }
  });

  it.each(roles)('packs everything %s reads at run time: its build output and asset folders', (role) => {
    // pnpm deploy copies a package as `pnpm pack` would: the `files` list when there is one, else all of it.
    const manifest = JSON.parse(readFileSync(repoPath('apps', role, 'package.json'), 'utf8')) as { files?: string[] };
    const assets = readdirSync(repoPath('apps', role), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !['src', 'test', 'node_modules', 'dist', 'test-output', '.turbo'].includes(entry.name))
      .map((entry) => entry.name);
    for (const folder of ['dist', ...assets]) {
      if (manifest.files) expect(manifest.files.map((f) => f.replace(/\/$/, ''))).toContain(folder);
      if (folder !== 'dist') expect([folder, dockerIgnore.keeps(`apps/${role}/${folder}/x`)]).toEqual([folder, true]);
    }
  });

  describe('final image', () => {
    const copies = finalStage.instructions.filter((i) => i.keyword === 'COPY').map((i) => readCopy(i.args));

    it('holds only what the build stage deployed, run by a non-root user who owns DATA_DIR and nothing else', () => {
      expect(copies).toEqual([{ from: 'build', sources: ['/prod/'], destination: './' }]);
      const users = finalStage.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args);
      expect(users.length).toBeGreaterThan(0);
      const user = users[users.length - 1];
      expect(user).not.toMatch(/^(root|0)(:|$)/);
      // The API stores uploads in DATA_DIR (compose's /app/data): the one folder made for the user.
      const dataDir = posix.resolve(workdir(finalStage), 'data');
      expect(dataDir).toBe('/app/data');
      expect(runs(finalStage)).toEqual([`install -d -o ${user} -g ${user} -m 0755 ${dataDir}`]);
      const runIndex = finalStage.instructions.findIndex((i) => i.keyword === 'RUN');
      const userIndex = finalStage.instructions.findIndex((i) => i.keyword === 'USER');
      expect(runIndex).toBeLessThan(userIndex);
    });

    it.each(roles)('has the entry file the %s service runs, where its command looks for it', (role) => {
      const [program, entry] = commandArgs(compose.services[role]);
      expect(program).toBe('node');
      // The file the container opens, mapped back through COPY --from=build to the build stage's path.
      const inImage = posix.resolve(workdir(finalStage), entry);
      const destination = posix.resolve(workdir(finalStage), copies[0].destination);
      expect(inImage.startsWith(`${destination}/`)).toBe(true);
      const inBuild = posix.join(copies[0].sources[0], posix.relative(destination, inImage));
      expect(inBuild).toBe(`/prod/apps/${role}/dist/main.js`);
      // pnpm deploy copies the package as is: dist/main.js there is the package's own build output.
      const start = (JSON.parse(readFileSync(repoPath('apps', role, 'package.json'), 'utf8')) as { scripts: { start: string } })
        .scripts.start;
      expect(start).toBe('node dist/main.js');
    });

    it('gives every role the NODE_OPTIONS that tests and the benchmark start roles with', () => {
      const env = finalStage.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args);
      expect(env).toContain(`NODE_OPTIONS=${ROLE_NODE_OPTIONS}`);
    });

    it('starts the API when no command is given', () => {
      const cmd = finalStage.instructions.filter((i) => i.keyword === 'CMD').pop();
      expect(cmd && execArgs(cmd.args)).toEqual(commandArgs(compose.services.api));
    });
  });

  describe('build context', () => {
    it('has every file a COPY names, and .dockerignore keeps them', () => {
      for (const s of dockerfile.stages) {
        for (const copy of s.instructions.filter((i) => i.keyword === 'COPY').map((i) => readCopy(i.args))) {
          if (copy.from !== null) {
            expect(stageNames).toContain(copy.from);
            continue;
          }
          for (const source of copy.sources) {
            expect(existsSync(repoPath(source))).toBe(true);
            if (source !== '.') expect(dockerIgnore.keeps(source)).toBe(true);
          }
        }
      }
    });

    it('keeps what the build reads: manifests, lockfile, TypeScript configs and sources', () => {
      const needed = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', 'turbo.json', 'tsconfig.base.json'];
      for (const dir of workspacePackages().keys()) needed.push(`${dir}/package.json`, `${dir}/tsconfig.json`, `${dir}/src/index.ts`);
      for (const path of needed) {
        expect(existsSync(repoPath(path))).toBe(true);
        expect([path, dockerIgnore.keeps(path)]).toEqual([path, true]);
      }
    });

    it('holds every workspace package the lockfile knows, or the frozen install fails', () => {
      const lockfile = parse(readFileSync(repoPath('pnpm-lock.yaml'), 'utf8')) as { importers: Record<string, unknown> };
      const importers = Object.keys(lockfile.importers);
      expect(importers).toContain('.');
      for (const importer of importers) {
        const manifest = posix.join(importer, 'package.json');
        expect([manifest, existsSync(repoPath(manifest)) && dockerIgnore.keeps(manifest)]).toEqual([manifest, true]);
      }
    });

    it('leaves out local installs, build output, git, secrets, data and generated benchmark files', () => {
      const generated = ['bench/.cache/transactions-10000000-seed42.csv', 'e2e/test-output/jest-unit.json'];
      for (const path of ['node_modules/x', 'apps/api/node_modules/x', 'packages/core/dist/index.js', '.turbo/x', '.git/HEAD', '.env', '.env.local', 'data/transactions.csv', ...generated]) {
        expect([path, dockerIgnore.keeps(path)]).toEqual([path, false]);
      }
    });
  });
});

describe('DockerIgnore', () => {
  it("follows Docker's matching rules", () => {
    const ignore = new DockerIgnore('**/dist\n*.log\ndocs/*.md\n!docs/keep.md\n/data\n');
    expect(ignore.keeps('dist/a.js')).toBe(false);
    expect(ignore.keeps('apps/api/dist/main.js')).toBe(false);
    expect(ignore.keeps('apps/api/distance.ts')).toBe(true);
    expect(ignore.keeps('x.log')).toBe(false);
    expect(ignore.keeps('logs/x.log')).toBe(true);
    expect(ignore.keeps('docs/a.md')).toBe(false);
    expect(ignore.keeps('docs/keep.md')).toBe(true);
    expect(ignore.keeps('docs/sub/a.md')).toBe(true);
    expect(ignore.keeps('data/x.csv')).toBe(false);
    expect(ignore.keeps('packages/data/x.csv')).toBe(true);
  });
});
