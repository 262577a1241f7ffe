// Parses the environment once, at start: typed configuration, or one error that lists every bad variable.
import { Value } from 'typebox/value';
import { ConfigSchema, type Config } from './schema.js';
import { ConfigError } from './config-error.js';
import { textValueForm, valueFromText } from './text-value.js';

type Env = Record<string, string | undefined>;

interface PropertySchema {
  type?: string;
  anyOf?: Array<{ const?: unknown }>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  minLength?: number;
  description?: string;
}

const properties = ConfigSchema.properties as unknown as Record<string, PropertySchema>;

/** The names of every variable the configuration reads, in schema order. */
export const configKeys = Object.keys(properties) as Array<keyof Config>;

/** What a variable accepts, in words, for error messages and the README. */
export function describeAccepted(key: string): string {
  const p = properties[key];
  if (!p) return 'unknown variable';
  if (p.anyOf) return `one of ${p.anyOf.map((s) => String(s.const)).join(', ')}`;
  const range = (kind: string) => {
    const low = p.exclusiveMinimum !== undefined ? `> ${p.exclusiveMinimum}` : p.minimum !== undefined ? `>= ${p.minimum}` : '';
    const high = p.maximum !== undefined ? `<= ${p.maximum}` : '';
    return [kind, [low, high].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
  };
  switch (p.type) {
    case 'integer':
      return range('an integer');
    case 'number':
      return range('a number');
    case 'boolean':
      return 'true or false';
    default:
      if (p.pattern) return `a string matching /${p.pattern}/`;
      if (p.minLength) return 'a non-empty string';
      return 'any string';
  }
}

/**
 * The value a variable's text stands for. Blanks around it (left by a hand-edited .env or compose file) are not
 * part of a number, a boolean or a choice; a string is taken as it is. Numbers and booleans follow the rule the
 * API's parameters follow (see text-value.ts).
 */
function convert(p: PropertySchema, raw: string): unknown {
  if (p.anyOf) return raw.trim();
  return textValueForm(p.type) === null ? raw : valueFromText(p.type, raw.trim());
}

/**
 * For a number written in a notation the rule refuses (`8e6`, `+5`, `0x10`, `05`), how numbers are written; else ''.
 * A text that is no number at all (`eighty`) needs no lesson in notation.
 */
function notationHint(p: PropertySchema, raw: string): string {
  const text = raw.trim();
  if ((p.type !== 'integer' && p.type !== 'number') || text === '' || !Number.isFinite(Number(text))) return '';
  return valueFromText(p.type, text) === text ? `, ${textValueForm(p.type)}` : '';
}

/**
 * Why a REDIS_URL that the schema's pattern accepts still cannot be used, or null. The roles hand it to ioredis,
 * which parses it with the WHATWG URL parser and sends the path as the database number: a URL it cannot parse
 * (`redis://host:notaport`, a port above 65535, a space) or a path that is not a number (`redis://host/abc`)
 * would otherwise stop a role with a stack trace, or with Redis's own reply error, instead of one clear message.
 */
function redisUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (!/^(\/(\d+)?)?$/.test(parsed.pathname)) return `the path '${parsed.pathname}' is not a database number`;
  return null;
}

const REDIS_URL_FORM = 'a URL redis://[user:password@]host[:port][/db] (or rediss://), db a number';

/**
 * Reads every variable of {@link ConfigSchema} from `env`; unset or empty variables take their default.
 * Throws a {@link ConfigError} naming each bad variable, its value and what it accepts.
 */
export function loadConfig(env: Env = process.env): Config {
  const input: Record<string, unknown> = {};
  for (const key of configKeys) {
    const raw = env[key];
    if (raw === undefined || raw === '') continue;
    input[key] = convert(properties[key], raw);
  }
  const config = Value.Default(ConfigSchema, input) as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of configKeys) {
    if (!Value.Check(ConfigSchema.properties[key], config[key])) {
      problems.push(`${key}=${JSON.stringify(env[key])}: expected ${describeAccepted(key)}${notationHint(properties[key], env[key] ?? '')}`);
    }
  }
  // The pattern checked first; a URL that passes it must also be one the roles can use.
  if (!problems.some((problem) => problem.startsWith('REDIS_URL='))) {
    const why = redisUrlProblem(config.REDIS_URL as string);
    if (why !== null) problems.push(`REDIS_URL=${JSON.stringify(env.REDIS_URL)}: ${why}; expected ${REDIS_URL_FORM}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}

/** Variables earlier versions read, and what replaced them: set in an old `.env`, they would be ignored in silence. */
const RETIRED: Record<string, string> = {
  CHUNK_ROWS: 'runs are cut into byte ranges now: set CHUNK_BYTES (bytes per map job) instead',
  MAX_INFLIGHT_MB: 'no file bytes go through Redis any more, so there is nothing to bound',
};

/** One warning per retired variable set in `env` (see RETIRED). */
export function retiredVariableWarnings(env: Env = process.env): string[] {
  return Object.entries(RETIRED)
    .filter(([key]) => env[key] !== undefined && env[key] !== '')
    .map(([key, why]) => `${key} is no longer read (${why}); it is ignored`);
}
