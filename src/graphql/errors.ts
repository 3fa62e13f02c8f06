import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { AppError, type AppErrorKind } from '../infra/errors';
import { toProblem } from '../infra/http-errors';

/** `extensions.code` of each AppError kind (Apollo's standard codes where one exists). */
const CODES: Record<AppErrorKind, string> = {
  bad_request: 'BAD_USER_INPUT',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  // A sync token that expired or was not issued for this listing: read it in full again.
  gone: 'SYNC_TOKEN_INVALID',
  precondition_failed: 'PRECONDITION_FAILED',
  payload_too_large: 'PAYLOAD_TOO_LARGE',
  unsupported_media_type: 'UNSUPPORTED_MEDIA_TYPE',
  too_many_requests: 'TOO_MANY_REQUESTS',
};

/**
 * The one GraphQL error mapping (Apollo `formatError`): AppError → its code with `errors`/`conflicts`
 * in extensions; class-validator failures → BAD_USER_INPUT; TypeGraphQL's auth errors →
 * UNAUTHENTICATED / FORBIDDEN; Apollo's own parse/validation codes pass through; an unreachable
 * database is SERVICE_UNAVAILABLE (the response is then a 503 with Retry-After, see ./server.ts);
 * anything else is an INTERNAL_SERVER_ERROR whose message hides internals.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) {
    const { errors, conflicts } = original.details;
    return {
      message: original.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: CODES[original.kind], ...(errors && { errors }), ...(conflicts && { conflicts: toProblem(original).conflicts }) },
    };
  }
  if (original instanceof ArgumentValidationError) {
    const errors = original.extensions.validationErrors.flatMap((v) =>
      Object.values(v.constraints ?? {}).map((message) => ({ path: `/${v.property}`, message })),
    );
    return { message: 'invalid input', path: formatted.path, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT', errors } };
  }
  const code = formatted.extensions?.code;
  if (code === 'UNAUTHORIZED') return { ...formatted, extensions: { code: 'FORBIDDEN' } };
  if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
    // Driver errors caused by input (e.g. an out-of-range value) are the client's.
    const problem = toProblem(original);
    if (problem.status === 503) return { message: problem.detail, path: formatted.path, locations: formatted.locations, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    if (problem.status < 500) return { message: problem.detail, path: formatted.path, locations: formatted.locations, extensions: { code: problem.status === 409 ? 'CONFLICT' : 'BAD_USER_INPUT' } };
    return { message: 'an unexpected error occurred; it has been logged', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  return formatted;
}
