// The OpenAPI security schemes of the document, by name (plugins/swagger.ts declares them).

/** The routes that change state: `Authorization: Bearer <ADMIN_TOKEN>` (plugins/state-change.ts). */
export const ADMIN_TOKEN_SCHEME = 'adminToken';
/** Bull Board: HTTP Basic, user `admin`, password ADMIN_TOKEN (plugins/bull-board.ts). */
export const ADMIN_BASIC_SCHEME = 'adminBasic';
