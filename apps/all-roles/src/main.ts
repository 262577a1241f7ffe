// Process entry of `pnpm start`: every role in one Node process, through the runtime every role shares.
import { runRole } from '@autoconnect/pipeline';
import { startAllRoles } from './all-roles.js';

await runRole('all', startAllRoles);
