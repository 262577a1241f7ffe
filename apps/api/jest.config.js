import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { jestConfig } from '../../jest.preset.js';

// CommonJS dependencies `require` ESM-only packages (light-my-request → cookie for inject, @fastify/static →
// content-disposition under Bull Board). Plain Node 20 loads them; jest's CommonJS loader on Node 20 only
// can once they are compiled to CommonJS, so these two are transformed despite living in node_modules.
const esmOnly = '(content-disposition|cookie)@';

const config = jestConfig(dirname(fileURLToPath(import.meta.url)));
for (const project of config.projects) {
  project.transform = {
    ...project.transform,
    [`/node_modules/\\.pnpm/${esmOnly}[^/]+/.+\\.js$`]: ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  };
  project.transformIgnorePatterns = [`/node_modules/\\.pnpm/(?!${esmOnly})`];
}

export default config;
