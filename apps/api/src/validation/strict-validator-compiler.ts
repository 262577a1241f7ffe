// Validates querystrings, path parameters and bodies against their TypeBox schemas, strictly: a query text
// becomes a number only when the whole text is one in plain decimal, the rule the configuration follows too
// (valueFromText: `limit=5abc`, `limit=1.5`, `limit=`, `limit=+5`, `limit=1e1` fail), a
// parameter given twice is refused, and unknown keys are refused rather than silently dropped. Messages
// name the parameter and say what it accepts (the schema's description); names and values sent are shown
// bounded and escaped (errors/printable.ts).
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { valueFromText } from '@autoconnect/config';
import { ParameterError } from '../errors/parameter-error.js';
import { printable } from '../errors/printable.js';

interface PropertySchema {
  type?: string;
  description?: string;
  default?: unknown;
}

interface ObjectSchema {
  type?: string;
  format?: string;
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

type Validation = { value: unknown } | { error: ParameterError };

/** Query texts hold strings only: one becomes the number or boolean its schema asks for when it is exactly one. */
function fromText(schema: PropertySchema, raw: unknown): unknown {
  return typeof raw === 'string' ? valueFromText(schema.type, raw) : raw;
}

function expected(schema: PropertySchema | undefined): string {
  const text = schema?.description?.trim();
  if (!text) return 'see the API documentation at /docs';
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function allowedNames(names: string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

function compileParameters(schema: ObjectSchema, label: string, allowUnknown: boolean): (input: unknown) => Validation {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const required = new Set(schema.required ?? []);
  const checks = names.map((name) => ({ name, schema: properties[name], check: Compile(properties[name] as TSchema) }));
  const fail = (message: string): Validation => ({ error: new ParameterError(message) });

  return (input) => {
    const given = (input ?? {}) as Record<string, unknown>;
    for (const key of allowUnknown ? [] : Object.keys(given)) {
      if (!Object.hasOwn(properties, key)) return fail(`unknown ${label} '${printable(key)}'; allowed: ${allowedNames(names)}`);
    }
    const value: Record<string, unknown> = allowUnknown ? { ...given } : {};
    for (const { name, schema: property, check } of checks) {
      const raw = given[name];
      if (raw === undefined) {
        if (required.has(name)) return fail(`missing ${label} '${name}': expected ${expected(property)}`);
        if (property.default !== undefined) value[name] = property.default;
        continue;
      }
      if (Array.isArray(raw)) {
        return fail(`${label} '${name}' given ${raw.length} times; give it once: ${expected(property)}`);
      }
      const converted = fromText(property, raw);
      if (!check.Check(converted)) {
        return fail(`invalid ${label} ${name}="${printable(String(raw))}": expected ${expected(property)}`);
      }
      value[name] = converted;
    }
    return { value };
  };
}

function compileBody(schema: ObjectSchema): (input: unknown) => Validation {
  // A binary body (an upload) is the request's stream itself: there is nothing in it to validate yet.
  if (schema.type === 'string' && schema.format === 'binary') return (input) => ({ value: input });
  const check = Compile(schema as TSchema);
  const properties = schema.properties ?? {};
  return (input) => {
    // Fastify hands an absent body over as null; an optional body object then means "no options".
    const value = input === null && schema.type === 'object' ? {} : input;
    if (check.Check(value)) return { value };
    const errors = check.Errors(value);
    const unknown = errors.find((e) => e.keyword === 'additionalProperties');
    if (unknown) {
      const extra = (unknown.params as { additionalProperties?: string[] }).additionalProperties ?? [];
      return {
        error: new ParameterError(
          `unknown body property '${printable(extra.join("', '"))}'; allowed: ${allowedNames(Object.keys(properties))}`,
        ),
      };
    }
    const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
    const path = first?.instancePath ?? '';
    const name = path.split('/')[1];
    const what = name && Object.hasOwn(properties, name) ? `: expected ${expected(properties[name])}` : '';
    return {
      error: new ParameterError(`invalid body${path ? ` property ${path.slice(1)}` : ''}: ${first?.message ?? 'does not match its schema'}${what}`),
    };
  };
}

export const strictValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const objectSchema = schema as ObjectSchema;
  if (httpPart === 'body') return compileBody(objectSchema);
  // Requests carry many headers a route never declares; only querystrings and params are closed lists.
  if (httpPart === 'headers') return compileParameters(objectSchema, 'header', true);
  return compileParameters(objectSchema, httpPart === 'params' ? 'path parameter' : 'query parameter', false);
};
