// Calls to the AutoConnect API from the page: JSON in and out, and uploads with their progress, with the two
// failures the page tells apart (the API cannot be reached at all, or it answered with an error).

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

function parseBody(text) {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An answer as the page uses it, or the error it stands for. */
function settle(path, status, text, runId) {
  const body = parseBody(text);
  // A proxy in front of a stopped API answers 502/503/504 with a page of its own.
  if ([502, 503, 504].includes(status) && body?.statusCode === undefined) throw new ApiUnreachableError(path);
  if (status < 200 || status >= 300) throw new ApiError(status, body);
  return { status, body, runId };
}

async function request(path, init) {
  let response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (err) {
    throw new ApiUnreachableError(path, err);
  }
  return settle(path, response.status, await response.text(), response.headers.get('x-run-id'));
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

/**
 * PUT a file as the raw request body (XMLHttpRequest: fetch reports no upload progress); `onProgress(sent,
 * total)` follows the upload. Resolves like getJson, rejects with ApiError or ApiUnreachableError.
 */
export function putFile(path, file, { token, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'text/csv');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      try {
        resolve(settle(path, xhr.status, xhr.responseText, null));
      } catch (err) {
        reject(err);
      }
    });
    xhr.addEventListener('error', () => reject(new ApiUnreachableError(path)));
    xhr.addEventListener('abort', () => reject(new ApiUnreachableError(path)));
    xhr.send(file);
  });
}

/** The query string of a results endpoint, leaving out parameters without a value. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}
