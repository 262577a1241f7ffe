// Preloaded by `pnpm start` and `pnpm start:<role>` (`node --import ./scripts/load-env.js …`): reads the
// optional .env of the folder they run in, as Docker Compose does. A variable already set in the environment
// keeps its value; without a .env nothing changes (the schema's defaults are those of .env.example).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const envFile = resolve('.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);
