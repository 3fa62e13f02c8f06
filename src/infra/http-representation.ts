import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Representation, Representer } from './cache';
import { noneMatch } from './etag';

/**
 * The {@link Representer} of a GET route: serializes with the route's 200 response schema
 * (fast-json-stringify, exactly as returning the value would) and matches `If-None-Match` (RFC 9110
 * §13.1.2) against an ETag.
 */
export function representerOf<T>(request: FastifyRequest, reply: FastifyReply): Representer<T> {
  return {
    serialize: (value) => {
      const out = reply.serialize(value);
      return typeof out === 'string' ? out : Buffer.from(out as Uint8Array).toString('utf8');
    },
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
