// The one schema of the environment: every variable a role reads, with its type, default and meaning.
import { Type, type Static } from 'typebox';

export const ConfigSchema = Type.Object({
  REDIS_URL: Type.String({
    default: 'redis://localhost:6379',
    pattern: '^rediss?://',
    description: 'Redis connection URL (redis:// or rediss://). Every role connects to the same Redis.',
  }),
  REDIS_PREFIX: Type.String({
    default: 'autoconnect',
    pattern: '^[A-Za-z0-9_-]+$',
    description: 'Prefix of every Redis key and BullMQ queue of the pipeline (letters, digits, _ and -).',
  }),
  REDIS_COMMAND_TIMEOUT_MS: Type.Integer({
    default: 2000,
    minimum: 100,
    maximum: 60000,
    description:
      'Deadline of every Redis command the API sends: while Redis does not answer, its requests that need Redis answer 503 after this long.',
  }),
  PORT: Type.Integer({ default: 5000, minimum: 1, maximum: 65535, description: 'HTTP port of the API.' }),
  HOST: Type.String({ default: '0.0.0.0', minLength: 1, description: 'Address the API listens on.' }),
  DATA_DIR: Type.String({
    default: './data',
    minLength: 1,
    description: 'Folder that holds the CSV files a run may read; POST /api/process sources are confined to it.',
  }),
  DATA_FILE: Type.String({
    default: 'transactions.csv',
    pattern: '\\.csv$',
    description: 'File inside DATA_DIR processed when POST /api/process names no source, and at start.',
  }),
  MAX_UPLOAD_MB: Type.Number({
    default: 1024,
    exclusiveMinimum: 0,
    maximum: 1048576,
    description: 'Largest file PUT /api/files/{name} accepts, in MB of 1,048,576 bytes; a larger upload gets 413.',
  }),
  CHUNK_BYTES: Type.Integer({
    default: 8388608,
    minimum: 1024,
    maximum: 1073741824,
    description: 'Bytes of the file per map job (one byte range each); a run is cut into at most 10,000 ranges.',
  }),
  WORKER_CONCURRENCY: Type.Integer({
    default: 1,
    minimum: 1,
    maximum: 64,
    description: 'Map jobs one worker process runs at once.',
  }),
  MAX_VILLES: Type.Integer({
    default: 10000,
    minimum: 1,
    maximum: 10000000,
    description: 'A run fails as soon as its file holds more distinct villes than this (usually a wrong column).',
  }),
  MAX_MODELES: Type.Integer({
    default: 200000,
    minimum: 1,
    maximum: 100000000,
    description:
      'A run fails as soon as its file holds more distinct models than this, or more (ville, modele) pairs than 10 times this.',
  }),
  MAX_REJECT_RATIO: Type.Number({
    default: 0.5,
    minimum: 0,
    maximum: 1,
    description: 'A run fails when more than this share of its data rows is rejected.',
  }),
  LOCK_DURATION_MS: Type.Integer({
    default: 15000,
    minimum: 1000,
    maximum: 600000,
    description: 'BullMQ job lock: how long a crashed worker\'s job waits before another worker takes it over.',
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({
    default: 10000,
    minimum: 100,
    maximum: 600000,
    description: 'On SIGTERM, how long a role may take to finish its current work before it exits anyway.',
  }),
  RUN_TIMEOUT_MS: Type.Integer({
    default: 3600000,
    minimum: 1000,
    maximum: 2592000000,
    description:
      'A run that has not ended this long after POST /api/process fails with a message saying so (also one no orchestrator took); every role and the API watch for it.',
  }),
  PROCESS_ON_START: Type.Boolean({
    default: false,
    description: 'When true, the API starts a run on DATA_FILE at start if no results exist and no run is active.',
  }),
  ADMIN_TOKEN: Type.String({
    default: '',
    description:
      'When set, the routes that change state (POST /api/process, POST /api/jobs/{id}/cancel, PUT /api/files/{name}) need "Authorization: Bearer <token>" and /admin/queues HTTP Basic admin:<token>.',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    default: 30,
    minimum: 0,
    maximum: 100000,
    description:
      'Requests a minute each client address may make to each route that changes state (POST /api/process, …); 429 beyond. 0 turns the limit off.',
  }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info', description: 'pino log level.' },
  ),
});

export type Config = Static<typeof ConfigSchema>;
