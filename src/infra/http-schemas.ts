import { Kind, type SchemaOptions, type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { DEFAULT_LIMIT, MAX_LIMIT } from './cursor';

/** Shared TypeBox schemas of the REST front door: they validate input and generate the OpenAPI document. */

/**
 * `t` or null, as JSON Schema 2020-12 (and so OpenAPI 3.1) writes it: `type: [<t's type>, 'null']`
 * when `t` has one type and no `$id`, else `anyOf: [null, t]` (a `$ref`, null first).
 *
 * Not `Type.Union([t, Type.Null()])`: fast-json-stringify serializes a type list with `typeof` tests,
 * but an `anyOf` by running an ajv validation of the value against each branch in turn until one
 * passes, and each failing one (every null against `t`) allocates its error. In a sampling heap
 * profile of a week listing those validations were a fifth of all allocation (see README, Benchmark).
 */
export function Nullable<T extends TSchema>(t: T): TUnsafe<Static<T> | null> {
  const { [Kind]: _kind, ...schema } = t as TSchema & Record<string, unknown>;
  if (typeof schema.type === 'string' && schema.$id === undefined) return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
  return Type.Unsafe<Static<T> | null>({ anyOf: [{ type: 'null' }, t] });
}

/**
 * One of `values`, as `{ type: 'string', enum }`: fast-json-stringify writes it as a string (an
 * `anyOf` of constants, as `Type.Union` of literals makes, is an ajv validation of every value), and
 * OpenAPI tools read it as an enumeration.
 */
export function StringEnum<const V extends readonly string[]>(values: V, options: SchemaOptions = {}): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, type: 'string', enum: [...values] });
}

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
/** RFC 3339 date-time with `Z` or an offset (a time without one is a 400); output is always UTC `Z`. */
export const DateTime = Type.String({ format: 'date-time', description: 'ISO 8601 / RFC 3339 with offset, e.g. 2026-03-01T09:00:00+01:00' });
/** IANA time-zone name (checked against the runtime's tz database). */
export const TimeZone = Type.String({ format: 'time-zone', maxLength: 64, description: 'IANA time zone, e.g. Europe/Paris' });
/** ISO 8601 duration, e.g. PT1H30M. */
export const Duration = Type.String({ pattern: '^P(?!$)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$', maxLength: 40, description: 'ISO 8601 duration, e.g. PT1H30M' });
export const Title = Type.String({ minLength: 1, maxLength: 200 });
export const Description = Type.String({ maxLength: 5000 });
export const Email = Type.String({ format: 'email', maxLength: 320 });

/** `?limit=&cursor=` of every list. */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `page size, default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}` }),
  cursor: Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page' }),
};

/** `{ items, nextCursor }` of a list of `item`. */
export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
}

/** RFC 9457 problem details, as every error response carries. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    conflicts: Type.Optional(Type.Array(Type.Object({ id: Type.String({ description: 'entry id: a UUID, or <seriesId>_<YYYYMMDDTHHMMSSZ> for an occurrence' }), title: Type.String(), start: DateTime, end: DateTime }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' },
);

/** Error responses every authenticated route may give, referenced by id in the OpenAPI document. */
export const ErrorResponses = {
  400: Type.Ref('Problem'),
  401: Type.Ref('Problem'),
  404: Type.Ref('Problem'),
};

/** `{ calendarId }` style path parameters: each a UUID (a malformed id is a 400). */
export function IdParams<K extends string>(...keys: K[]) {
  return Type.Object(Object.fromEntries(keys.map((k) => [k, Uuid])) as Record<K, typeof Uuid>);
}
