export { startAllRoles } from './all-roles.js';
