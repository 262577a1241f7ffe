// GET /api/files and PUT /api/files/{name}: the CSV files of DATA_DIR.
import { Type, type Static } from 'typebox';
import { UPLOAD_NAME_PATTERN } from '../files/data-files.js';

export const DataFileSchema = Type.Object(
  {
    name: Type.String({ description: 'File name inside DATA_DIR; give it as `source` to POST /api/process.' }),
    size: Type.Integer({ minimum: 0, description: 'Size in bytes.' }),
    modified: Type.String({ format: 'date-time', description: 'Last modification, ISO 8601 (UTC).' }),
  },
  { title: 'DataFile', examples: [{ name: 'ventes-2024-01.csv', size: 1190153, modified: '2026-12-06T00:48:28.873Z' }] },
);
export type DataFileBody = Static<typeof DataFileSchema>;

export const FilesResponseSchema = Type.Object(
  {
    files: Type.Array(DataFileSchema, {
      description: 'The .csv files at the top of DATA_DIR (subfolders are not listed), by name in code-point order.',
    }),
  },
  { title: 'Files', examples: [{ files: [{ name: 'transactions.csv', size: 2971081, modified: '2026-12-06T02:00:40.997Z' }] }] },
);

export const FileParamsSchema = Type.Object(
  {
    name: Type.String({
      pattern: UPLOAD_NAME_PATTERN,
      description:
        "A file name of letters, digits, '.', '_' or '-' ending in .csv (lower case), at most 200 characters, " +
        "not starting with '.' and without '..', e.g. ventes-2024-01.csv.",
      examples: ['ventes-2024-01.csv'],
    }),
  },
  { additionalProperties: false },
);

export const UploadQuerySchema = Type.Object(
  {
    overwrite: Type.Optional(
      Type.Boolean({ default: false, description: 'true to replace a file of that name; false (the default) refuses it with 409.' }),
    ),
  },
  { additionalProperties: false },
);

/** The request body of an upload: the file's bytes as they are (a stream, never validated or parsed). */
export const UploadBodySchema = Type.String({ format: 'binary', description: "The CSV file's bytes, as they are." });
