// The typed client of the AutoConnect analytics API: openapi-fetch over types generated from the API's own
// OpenAPI document (src/schema.ts, src/operations.ts). Each operation is a method named by its operationId,
// e.g. `api.getTopModeles({ params: { query: { ville: 'Paris', limit: 3 } } })`, which answers
// `{ data, error, response }`: `data` typed by the documented success answer, `error` by the error answers.
import createClient, { type Client, type ClientForPath, type ClientOptions, type Middleware } from 'openapi-fetch';
import { OPERATIONS } from './operations.js';
import type { operations, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';
export { OPERATIONS } from './operations.js';

type Operations = typeof OPERATIONS;
export type OperationId = keyof Operations;
type MediaType = `${string}/${string}`;

/** One method per operation, named by its operationId, typed as openapi-fetch types a call of its path. */
export type OperationMethods = {
  [Id in OperationId]: ClientForPath<paths[Operations[Id]['path']], MediaType>[Uppercase<Operations[Id]['method']>];
};

export type ApiClient = OperationMethods & {
  /** The openapi-fetch client underneath, called by path (`client.GET('/api/villes')`). */
  readonly client: Client<paths>;
};

export interface ApiClientOptions extends ClientOptions {
  /** ADMIN_TOKEN, sent as `Authorization: Bearer <token>` with every request. */
  token?: string;
  /** openapi-fetch middleware, in order (e.g. a check of every answer against the document). */
  middleware?: Middleware[];
}

export function createApiClient({ token, middleware = [], headers, ...options }: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    ...options,
    headers: token === undefined ? headers : { ...headers, authorization: `Bearer ${token}` },
  });
  client.use(...middleware);
  const methods = Object.fromEntries(
    Object.entries(OPERATIONS).map(([id, { method, path }]) => [
      id,
      (...init: unknown[]) => (client.request as (...args: unknown[]) => unknown)(method, path, ...init),
    ]),
  ) as OperationMethods;
  return { ...methods, client };
}

/** The JSON body of the answer `Status` of operation `Id`, e.g. `ResponseBody<'getRun', 200>`. */
export type ResponseBody<Id extends OperationId, Status extends keyof operations[Id]['responses']> =
  operations[Id]['responses'][Status] extends { content: { 'application/json': infer Body } } ? Body : never;

/** A run report, as GET /api/jobs/{id} answers it. */
export type RunReport = ResponseBody<'getRun', 200>;
/** GET /api/status's answer. */
export type ServiceStatus = ResponseBody<'getStatus', 200>;
/** An error answer in Fastify's shape. */
export type ErrorBody = ResponseBody<'getRun', 404>;
