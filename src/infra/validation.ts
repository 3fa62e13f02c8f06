import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { isTimeZone } from './time-zone';

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: false, strict: false, ...options });
  addFormats(ajv, { mode: 'full' }); // full: real dates (no 2026-02-30), offsets required on date-time
  ajv.addFormat('time-zone', { type: 'string', validate: isTimeZone });
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

/** The message of a string that holds U+0000 (PostgreSQL `text` cannot store it). */
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * JSON-pointer paths (RFC 6901, relative to `value`; `''` is `value` itself) of every string, and every
 * object key, in `value` that contains U+0000. Depth-first, in document order.
 */
export function nulPaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, child] of entries) {
    const childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key.includes('\u0000')) found.push(childPath);
    found.push(...nulPaths(child, childPath));
  }
  return found;
}

/**
 * Adds what every schema of a request part implies: query strings take no parameter they do not
 * declare (`additionalProperties: false` unless the schema says otherwise), so a misspelt or
 * unsupported filter (`?updatedMin=`) is a 400 instead of silently returning everything.
 */
function withPartDefaults(schema: object, httpPart: string | undefined): object {
  const s = schema as { type?: unknown; additionalProperties?: unknown };
  if (httpPart === 'querystring' && s.type === 'object' && s.additionalProperties === undefined) return { ...s, additionalProperties: false };
  return schema;
}

/**
 * Fastify validator compiler, the one place that validates every REST request part:
 * - bodies strictly (no type coercion; unknown fields rejected by `additionalProperties: false` in
 *   their schemas); query strings and path parameters are text, so they are coerced to the declared
 *   types (`limit=10` → 10);
 * - query strings reject undeclared parameters (see {@link withPartDefaults});
 * - no string or key anywhere in a body, query string or path may contain U+0000: each is reported at
 *   its path with {@link NUL_MESSAGE}, together with the schema's own errors.
 * Errors come back in Ajv's shape, which src/infra/http-errors.ts maps to `errors: [{path, message}]`.
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv({ coerceTypes: false });
  const coercing = makeAjv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => {
    const validate = (httpPart === 'body' ? strict : coercing).compile(withPartDefaults(schema as object, httpPart));
    return withoutNul(validate) as never;
  };
}

/** Wraps an Ajv validate function so that U+0000 in any string fails validation too. */
function withoutNul(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown, ctx?: Parameters<ValidateFunction>[1]) => {
    const valid = validate(data, ctx) as boolean;
    const nul: ErrorObject[] = nulPaths(data).map((instancePath) => ({ instancePath, schemaPath: '#', keyword: 'nul', params: {}, message: NUL_MESSAGE }));
    wrapped.errors = nul.length > 0 ? [...(validate.errors ?? []), ...nul] : validate.errors;
    return valid && nul.length === 0;
  }) as ValidateFunction;
  // Fastify passes the parent object to functions that have a schemaEnv, so defaults can be applied at the root.
  return Object.assign(wrapped, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}

/**
 * Gives every documented route that declares no query string an empty one, so that with
 * {@link validatorCompiler} any query parameter there is a 400 too. Hidden routes (the OpenAPI
 * document, Swagger UI's assets, GraphQL) keep theirs. Call before the routes are registered.
 */
export function rejectUndeclaredQueries(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide || route.schema?.querystring !== undefined) return;
    route.schema = { ...route.schema, querystring: { type: 'object', properties: {} } };
  });
}
