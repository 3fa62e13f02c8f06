/**
 * The one application error type. Services throw it; each transport maps it in one place:
 * REST to RFC 9457 problem details (src/infra/http-errors.ts), GraphQL to `extensions.code`
 * (src/graphql/errors.ts).
 */
export type AppErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests';

/** One invalid input field: `path` is a JSON-pointer-like path (`/start`), `message` says why. */
export interface FieldError {
  path: string;
  message: string;
}

/** An existing entry that a write would overlap. Times are UTC instants. */
export interface Conflict {
  id: string;
  title: string;
  start: Date;
  end: Date;
}

/** HTTP status of each kind (used by the REST mapper and for GraphQL `extensions.http`). */
export const STATUS_OF: Record<AppErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
};

/** A failure the caller can act on; its message is safe to show to clients. */
export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly kind: AppErrorKind,
    message: string,
    readonly details: { errors?: FieldError[]; conflicts?: Conflict[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  get status(): number {
    return STATUS_OF[this.kind];
  }

  /** 400 with a single field error. */
  static invalid(path: string, message: string): AppError {
    return new AppError('bad_request', message, { errors: [{ path, message }] });
  }

  /** 404 that does not reveal whether the resource exists for someone else. */
  static notFound(what: string, id?: string): AppError {
    return new AppError('not_found', id ? `${what} ${id} was not found` : `${what} was not found`);
  }
}
