// GET /api/files (the CSV files a run may read) and PUT /api/files/:name (uploads one, streamed to disk).
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '@autoconnect/config';
import {
  DataFileSchema,
  FileParamsSchema,
  FilesResponseSchema,
  NoQuerySchema,
  UploadBodySchema,
  UploadQuerySchema,
  documented,
  errorResponses,
  redisUnavailableAnswer,
  unknownParameterAnswer,
  uriTooLongAnswer,
} from '../../schemas/index.js';
import { dataEntryKind, listDataFiles, maxUploadBytes, storeUpload } from '../../files/data-files.js';
import { FileExistsError } from '../../errors/file-exists-error.js';
import { FileInUseError } from '../../errors/file-in-use-error.js';
import { EmptyUploadError } from '../../errors/empty-upload-error.js';
import { UploadTooLargeError } from '../../errors/upload-too-large-error.js';

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

export const filesRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const maxBytes = maxUploadBytes(config);

  app.get(
    '/files',
    {
      schema: {
        operationId: 'listFiles',
        tags: ['files'],
        summary: 'CSV files a run may read',
        description:
          'The .csv files at the top of DATA_DIR, by name (code-point order), with their size and last modification. ' +
          'Hidden files (uploads under way) and links leading outside DATA_DIR are not listed.',
        querystring: NoQuerySchema,
        response: {
          200: documented(FilesResponseSchema, 'The files.'),
          ...errorResponses({ 400: unknownParameterAnswer }),
        },
      },
    },
    async () => ({ files: await listDataFiles(config.DATA_DIR) }),
  );

  /** The active run, when it reads `name`: replacing the file under it would fail it. */
  async function runReading(name: string): Promise<string | null> {
    const activeId = await app.pipeline.activeRunId();
    if (activeId === null) return null;
    const active = await app.pipeline.getRun(activeId);
    return active?.source === name ? activeId : null;
  }

  // A scope of its own: here every content type (or none) is handed over as the raw request stream, which
  // the handler writes to disk; the app's 16 KiB body limit applies to parsed bodies only.
  await app.register(async (scope) => {
    const uploads = scope.withTypeProvider<TypeBoxTypeProvider>();
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    uploads.put(
      '/files/:name',
      {
        // Cross-site check, token, failed-auth throttle and RATE_LIMIT_PER_MINUTE (plugins/state-change.ts): the
        // limit counts an upload once the checks below let it through, before a byte is written.
        config: { changesState: true, longLived: true },
        preHandler: async (request, reply) => {
          const { name } = request.params;
          const overwrite = request.query.overwrite ?? false;
          const declared = Number(request.headers['content-length']);
          // Refused before a byte is read; closing the connection spares the client sending the rest.
          if (declared > maxBytes) {
            reply.header('connection', 'close');
            throw new UploadTooLargeError(maxBytes);
          }
          // No body at all (no Content-Length, no chunks) reaches the handler as null.
          const body = request.body as unknown as Readable | null | undefined;
          if (!body || declared === 0) throw new EmptyUploadError(name);
          const existing = await dataEntryKind(config.DATA_DIR, name);
          if (existing === 'other' || (existing === 'file' && !overwrite)) throw new FileExistsError(name, existing === 'other');
          if (existing === 'file') {
            const runId = await runReading(name);
            if (runId !== null) throw new FileInUseError(name, runId);
          }
        },
        schema: {
          operationId: 'uploadFile',
          tags: ['files'],
          summary: 'Upload a CSV file',
          description:
            'The request body is the file itself (any content type; text/csv or application/octet-stream suggested), ' +
            'streamed to a hidden temporary file in DATA_DIR and renamed once complete, so no half-written file is ever ' +
            'visible. At most MAX_UPLOAD_MB (GET /api/status gives it in bytes: max_upload_bytes). Needs the bearer ' +
            'token when ADMIN_TOKEN is set.',
          consumes: ['text/csv', 'application/octet-stream'],
          params: FileParamsSchema,
          querystring: UploadQuerySchema,
          body: UploadBodySchema,
          // The bearer token, 401, 403 and 429 come with `changesState` (plugins/state-change.ts).
          response: {
            201: documented(DataFileSchema, 'Stored; the file as GET /api/files lists it.'),
            ...errorResponses({
              400: {
                description: 'The name is not allowed (the message says what is), the body is empty, or a parameter is invalid.',
                example:
                  "invalid path parameter name=\"ventes 2024.csv\": expected a file name of letters, digits, '.', '_' or '-' ending in .csv " +
                  "(lower case), at most 200 characters, not starting with '.' and without '..', e.g. ventes-2024-01.csv.",
              },
              409: {
                description: 'The file exists (add ?overwrite=true), or the active run is reading it.',
                example: "file 'ventes-2024-01.csv' already exists in DATA_DIR; add ?overwrite=true to replace it",
              },
              413: {
                description: 'The file is larger than MAX_UPLOAD_MB; nothing was stored.',
                example: 'the file is larger than the upload limit of 1073741824 bytes (MAX_UPLOAD_MB); nothing was stored',
              },
              414: uriTooLongAnswer,
              500: {
                description: 'The API cannot write to DATA_DIR (its permissions; the API logs the cause); nothing was stored.',
                example: 'internal error',
              },
              503: redisUnavailableAnswer(' (asked only when replacing a file, to know whether the active run reads it)'),
              507: {
                description: 'Not enough space left in DATA_DIR; nothing was stored.',
                example: "not enough space left in DATA_DIR for 'ventes-2024-01.csv'; nothing was stored",
              },
            }),
          },
        },
      },
      async (request, reply) => {
        const { name } = request.params;
        const overwrite = request.query.overwrite ?? false;
        const body = request.body as unknown as Readable;
        const existing = await dataEntryKind(config.DATA_DIR, name);
        try {
          const file = await storeUpload(body, { dataDir: config.DATA_DIR, name, maxBytes, overwrite });
          request.log.info({ file: file.name, size: file.size, replaced: existing === 'file' }, 'file uploaded');
          return reply.code(201).send(file);
        } catch (err) {
          // The client went away mid-upload: nobody to answer, and the temporary file is already gone. (The
          // connection tells; the request stream alone may be destroyed by the failed pipeline, on Node 24, while
          // the client still waits for its 413.)
          const connection = request.raw.socket as Socket | null | undefined;
          if (connection ? connection.destroyed : request.raw.destroyed) {
            request.log.info({ file: name, err }, 'upload abandoned by the client');
            return reply;
          }
          if (err instanceof UploadTooLargeError) reply.header('connection', 'close');
          const errno = errnoCode(err);
          if (errno === 'ENOSPC' || errno === 'EDQUOT') {
            request.log.error({ err, file: name }, 'upload failed: DATA_DIR is full');
            return reply.code(507).send({
              statusCode: 507,
              error: 'Insufficient Storage',
              message: `not enough space left in DATA_DIR for '${name}'; nothing was stored`,
            });
          }
          if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS') {
            request.log.error({ err }, 'upload failed: the API cannot write to DATA_DIR (check the folder or mount permissions)');
          }
          throw err;
        }
      },
    );
  });
};
