export { villesRoutes } from './villes.js';
export { caMensuelRoutes } from './ca-mensuel.js';
export { repartitionRoutes } from './repartition.js';
export { topModelesRoutes } from './top-modeles.js';
export { processRoutes } from './process.js';
export { jobsRoutes } from './jobs.js';
export { statusRoutes } from './status.js';
export { filesRoutes } from './files.js';
