// The API's generated client (@autoconnect/api-client) as the e2e tests call the API, with every answer
// checked against the OpenAPI document the client was generated from: a status the operation does not
// document, a content type it does not list, a JSON body that breaks its schema or a documented header
// missing fails the call, and so the test. The server and its document cannot drift apart unseen.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { createApiClient, type ApiClient } from '@autoconnect/api-client';
import { repoPath } from '../../src/repo-paths.js';

interface MediaType {
  schema?: object;
}

interface Answer {
  headers?: Record<string, unknown>;
  content?: Record<string, MediaType>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, Answer> }>>;
}

/** The document committed with the client (packages/api-client/openapi.json): what the client's types say. */
export const apiDocument = JSON.parse(readFileSync(repoPath('packages/api-client/openapi.json'), 'utf8')) as OpenApiDocument;

// ajv-formats is CommonJS: its function is the default export under Node, the module's `default` under swc.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;
// OpenAPI 3.0 schemas: `nullable` is understood by Ajv; `example` and the like are annotations.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
ajv.addFormat('binary', true);
const validators = new Map<object, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** What is wrong with an answer of `method path` (a path of the document) against the document; [] when nothing. */
export async function contractProblems(method: string, path: string, response: Response): Promise<string[]> {
  const operation = apiDocument.paths[path]?.[method.toLowerCase()];
  const name = `${method.toUpperCase()} ${path}`;
  if (!operation) return [`${name} is not in the OpenAPI document`];
  const answer = operation.responses[String(response.status)] ?? operation.responses.default;
  if (!answer) {
    return [`${name} (${operation.operationId}) answered ${response.status}, which the document does not list (${Object.keys(operation.responses)})`];
  }
  const problems: string[] = [];
  for (const header of Object.keys(answer.headers ?? {})) {
    if (!response.headers.has(header)) problems.push(`${name} answered ${response.status} without its documented ${header} header`);
  }
  if (!answer.content) return problems;
  const type = response.headers.get('content-type')?.split(';')[0].trim() ?? '';
  const media = answer.content[type];
  if (!media) return [...problems, `${name} answered ${response.status} as '${type}', not as documented (${Object.keys(answer.content)})`];
  if (type !== 'application/json' || !media.schema) return problems;
  const body: unknown = await response.clone().json();
  const validate = validatorOf(media.schema);
  if (!validate(body)) {
    problems.push(`${name} answered ${response.status} with a body its schema refuses: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
  }
  return problems;
}

/**
 * The generated client against `baseUrl` (with the admin token when given), each answer checked against the
 * document: a call whose answer breaks it rejects with what is wrong.
 */
export function apiClient(baseUrl: string, token?: string): ApiClient {
  return createApiClient({
    baseUrl,
    token,
    middleware: [
      {
        async onResponse({ request, response, schemaPath }) {
          const problems = await contractProblems(request.method, schemaPath, response);
          if (problems.length > 0) throw new Error(`the answer breaks the OpenAPI document:\n- ${problems.join('\n- ')}`);
          return undefined;
        },
      },
    ],
  });
}
