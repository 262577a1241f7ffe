// Shared jest settings: native ESM (run jest under --experimental-vm-modules), TypeScript through swc,
// workspace packages resolved to their sources so tests never need a prior build.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));

const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: {
    '^@autoconnect/(api|orchestrator|worker|aggregator)$': join(root, 'apps/$1/src/index.ts'),
    '^@autoconnect/([a-z-]+)$': join(root, 'packages/$1/src/index.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

/**
 * Two projects per package: `unit` (pure, parallel) runs `test/**\/*.test.ts` except integration files;
 * `integration` (real Redis, processes; run with --runInBand) runs `test/**\/*.int.test.ts`.
 */
export function jestConfig(packageDir) {
  return {
    // A global option: jest ignores it inside a project. Integration tests start processes and whole runs.
    testTimeout: 120_000,
    projects: [
      {
        ...base,
        displayName: 'unit',
        rootDir: packageDir,
        testMatch: ['<rootDir>/test/**/*.test.ts'],
        testPathIgnorePatterns: ['\\.int\\.test\\.ts$'],
      },
      {
        ...base,
        displayName: 'integration',
        rootDir: packageDir,
        testMatch: ['<rootDir>/test/**/*.int.test.ts'],
      },
    ],
  };
}
