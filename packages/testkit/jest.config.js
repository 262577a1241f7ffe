import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { jestConfig } from '../../jest.preset.js';

export default jestConfig(dirname(fileURLToPath(import.meta.url)));
