import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors';

/**
 * Strong entity tag (RFC 9110 §8.8.3) of a representation: SHA-256 of its canonical JSON, quoted.
 * GET computes it from the same view object that PUT/PATCH/DELETE compare `If-Match` against.
 */
export function etagOf(view: unknown): string {
  return etagOfBody(JSON.stringify(view));
}

/**
 * Strong entity tag of a serialized body: SHA-256 of its bytes (first 160 bits, base64url), quoted.
 * The ETag of GET responses whose route sets none, such as lists, which are never `If-Match` targets:
 * hashing the body Fastify already serialized spares serializing a large page twice.
 */
export function etagOfBody(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Sets the ETag of a GET response of one resource from its view, as {@link assertIfMatch} computes it;
 * the onSend hook answers 304 when `If-None-Match` matches it.
 */
export function withEtag<T>(reply: FastifyReply, view: T): T {
  reply.header('etag', etagOf(view));
  return view;
}

function listOf(header: string): string[] {
  return header.split(',').map((t) => t.trim()).filter(Boolean);
}

/** RFC 9110 §13.1.2: weak comparison, `*` matches any current representation. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (t: string) => t.replace(/^W\//, '');
  return listOf(header).some((t) => t === '*' || strip(t) === strip(etag));
}

/**
 * RFC 9110 §13.1.1: a write with `If-Match` proceeds only when one listed strong tag equals the
 * current representation's. `current` is loaded only when the header is present.
 * @throws AppError 412 on mismatch.
 */
export async function assertIfMatch(request: FastifyRequest, current: () => Promise<unknown>): Promise<void> {
  const header = request.headers['if-match'];
  if (!header) return;
  const etag = etagOf(await current());
  const tags = listOf(header);
  if (tags.includes('*') || tags.includes(etag)) return;
  throw new AppError('precondition_failed', 'If-Match does not match the current ETag of this resource; read it again');
}
