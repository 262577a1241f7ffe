// Calls to the AutoConnect API from the page: JSON in and out, with the two failures the page tells apart
// (the API cannot be reached at all, or it answered with an error).

/** The request never got an answer: the service is down, restarting, or the network is away. */
export class ApiUnreachableError extends Error {
  constructor(path, cause) {
    super(`cannot reach the API (${path})`, { cause });
    this.name = 'ApiUnreachableError';
  }
}

/** The API answered with an error status; `body` is its Fastify-shaped error when it sent one. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `the API answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

async function request(path, init) {
  let response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (err) {
    throw new ApiUnreachableError(path, err);
  }
  const text = await response.text();
  let body;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  // A proxy in front of a stopped API answers 502/503/504 with a page of its own.
  if ([502, 503, 504].includes(response.status) && body?.statusCode === undefined) throw new ApiUnreachableError(path);
  if (!response.ok) throw new ApiError(response.status, body);
  return { status: response.status, body, runId: response.headers.get('x-run-id') };
}

/** GET a JSON resource; `runId` is the X-Run-Id of results answers. */
export function getJson(path) {
  return request(path, { method: 'GET' });
}

/** POST a JSON body, with the admin token as a bearer when one is given. */
export function postJson(path, payload, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return request(path, { method: 'POST', headers, body: JSON.stringify(payload ?? {}) });
}

/** The query string of a results endpoint, leaving out parameters without a value. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}
