import type { TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Representation, Representer } from './cache';
import { noneMatch } from './etag';

/**
 * JSON of `value` by fast-json-stringify: with `schema` when given (compiled once per route; it must
 * describe a subtype of the route's 200 response, such as a page of one of the response's item
 * types), else with the route's 200 response schema, exactly as returning the value would.
 * @returns UTF-8 JSON text.
 * @throws TypeError from fast-json-stringify when `value` lacks a property the schema requires, or
 *   matches no branch of one of its `anyOf`s (a bug in the caller: never the client's input).
 */
export function serializeBy(reply: FastifyReply, value: unknown, schema?: TSchema): string {
  if (schema) return reply.serializeInput(value as Record<string, unknown>, schema);
  const out = reply.serialize(value);
  return typeof out === 'string' ? out : Buffer.from(out as Uint8Array).toString('utf8');
}

/**
 * Sends `value` serialized by {@link serializeBy} as `application/json; charset=utf-8`; the app's
 * onSend hook still adds the ETag and answers a matching `If-None-Match` with 304.
 * @throws as {@link serializeBy}.
 */
export function sendSerialized(reply: FastifyReply, value: unknown, schema?: TSchema): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(serializeBy(reply, value, schema));
}

/**
 * The {@link Representer} of a GET route: serializes with {@link serializeBy} (`schema`, or the route's
 * 200 response schema) and matches `If-None-Match` (RFC 9110 §13.1.2) against an ETag.
 */
export function representerOf<T>(request: FastifyRequest, reply: FastifyReply, schema?: TSchema): Representer<T> {
  return {
    serialize: (value) => serializeBy(reply, value, schema),
    notModified: (etag) => noneMatch(request.headers['if-none-match'], etag),
  };
}

/**
 * Sends a cached representation: its bytes as JSON with its ETag, or 304 Not Modified (no body) when
 * the client already holds it. The app's onSend hook leaves a response with an ETag alone otherwise.
 */
export function sendRepresentation(reply: FastifyReply, representation: Representation): FastifyReply {
  reply.header('etag', representation.etag);
  if (representation.body === undefined) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(representation.body);
}
