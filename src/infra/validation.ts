import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { isTimeZone } from './time-zone';

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: false, strict: false, ...options });
  addFormats(ajv, { mode: 'full' }); // full: real dates (no 2026-02-30), offsets required on date-time
  ajv.addFormat('time-zone', { type: 'string', validate: isTimeZone });
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

/**
 * Fastify validator compiler: bodies are validated strictly (no type coercion, unknown fields
 * rejected by `additionalProperties: false` in their schemas); query strings and path parameters are
 * text, so they are coerced to the declared types (`limit=10` → 10).
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv({ coerceTypes: false });
  const coercing = makeAjv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object) as never;
}
