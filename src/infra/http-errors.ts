import { DriverException, ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Socket } from 'node:net';
import { type DatabaseOutage, isDatabaseUnavailable, OUTAGE_RETRY_AFTER_SECONDS } from './database-outage';
import { AppError, type FieldError } from './errors';

/** RFC 9457 problem details body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  conflicts?: { id: string; title: string; start: string; end: string }[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Builds a problem body; `type` is `about:blank` as RFC 9457 §4.2.1 recommends for plain HTTP semantics. */
export function problem(status: number, detail: string, extra: Pick<ProblemDetails, 'errors' | 'conflicts'> = {}): ProblemDetails {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...extra };
}

/** Driver errors that are the client's fault (bad text representation, out-of-range values). */
const CLIENT_SQLSTATES = new Set(['22P02', '22007', '22008', '22003', '22001', '23514']);

/**
 * Maps any thrown error to problem details: AppError by kind, Fastify/Ajv validation to 400 with
 * `errors`, body parser and routing errors to 400/413/415, unique violations to 409, an unreachable
 * database to 503 (see {@link retryAfterOf}). Anything else is a 500 whose detail hides internals (the
 * error is logged with the request id).
 */
export function toProblem(err: unknown): ProblemDetails {
  if (err instanceof AppError) {
    return problem(err.status, err.message, {
      errors: err.details.errors,
      conflicts: err.details.conflicts?.map((c) => ({ id: c.id, title: c.title, start: c.start.toISOString(), end: c.end.toISOString() })),
    });
  }
  const fe = err as FastifyError & { validation?: { instancePath: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string };
  if (fe.validation) {
    const part = fe.validationContext && fe.validationContext !== 'body' ? `/${fe.validationContext === 'querystring' ? 'query' : fe.validationContext}` : '';
    const errors = fe.validation.map((v) => {
      const extraProp = v.params?.additionalProperty ?? v.params?.missingProperty;
      const path = `${part}${v.instancePath}${extraProp ? `/${String(extraProp)}` : ''}` || '/';
      const unknown = fe.validationContext === 'querystring' ? 'unknown query parameter' : 'unknown field';
      const message = v.params?.additionalProperty ? unknown : (v.message ?? 'invalid');
      return { path, message };
    });
    return problem(400, `invalid request ${fe.validationContext ?? 'input'}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
  }
  if (isDatabaseUnavailable(err)) return problem(503, 'the database is unreachable; retry shortly');
  if (err instanceof UniqueConstraintViolationException) return problem(409, 'a resource with the same unique value already exists');
  if (err instanceof ForeignKeyConstraintViolationException) return problem(409, 'a referenced resource does not exist (any more)');
  if (err instanceof DriverException && err.code && CLIENT_SQLSTATES.has(err.code)) return problem(400, 'a value is out of range or malformed');
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'request body is larger than 1 MB');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'the JSON body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'Content-Length does not match the body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem(400, 'the body is not valid JSON');
    case 'FST_ERR_BAD_URL':
      return problem(400, 'the URL is malformed (bad percent-encoding)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // The contract's "a malformed id in a path is a 400": no id is that long.
      return problem(400, 'a path parameter is longer than 100 characters', { errors: [{ path: '/params', message: 'longer than 100 characters' }] });
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors (malformed JSON, bad headers, rate limit…).
    return problem(fe.statusCode, fe.message);
  }
  return problem(500, 'an unexpected error occurred; it has been logged');
}

/** Seconds the client should wait before retrying (`Retry-After`), for 429 and 503; else undefined. */
export function retryAfterOf(err: unknown): number | undefined {
  if (err instanceof AppError) return err.details.retryAfterSeconds;
  return isDatabaseUnavailable(err) ? OUTAGE_RETRY_AFTER_SECONDS : undefined;
}

/** Sends `body` with its status as `application/problem+json` (RFC 9457 §3). */
export function sendProblem(reply: FastifyReply, body: ProblemDetails, retryAfterSeconds?: number): FastifyReply {
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  return reply.status(body.status).type('application/problem+json').send(body);
}

/** Answers an error raised by Fastify before any route runs (bad URL, over-long path parameter). */
function onFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.log.debug({ err: err.message }, 'client error');
  void sendProblem(reply, toProblem(err));
}

/** Status of each error Node's HTTP parser reports before a request exists (`clientError`). */
function clientErrorStatus(err: NodeJS.ErrnoException): number {
  if (err.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') return 408;
  return 400;
}

/**
 * Answers what Node's HTTP parser rejects before Fastify sees a request (oversized headers, a
 * malformed request line or header, a timeout): a minimal problem+json response written on the
 * socket, which is then closed, as Node's default handler does with an empty body.
 */
function onClientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = clientErrorStatus(err);
  this.log.debug({ err: err.message, code: err.code }, 'client error');
  const detail = status === 431 ? 'the request headers are too large' : status === 408 ? 'the request took too long to arrive' : 'the request is not valid HTTP/1.1';
  const body = JSON.stringify(problem(status, detail));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${TITLES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

/**
 * Fastify server options of the one REST error mapping, for errors raised before a route's handler
 * (see {@link installProblemHandlers} for the rest): routing errors and the HTTP parser's errors
 * become problem+json, and requests arriving while the app closes are served, not refused with
 * Fastify's plain-JSON 503 (src/main.ts drains them with `Connection: close`).
 */
export const PROBLEM_SERVER_OPTIONS = {
  frameworkErrors: onFrameworkError,
  clientErrorHandler: onClientError,
  return503OnClosing: false,
} satisfies Partial<FastifyServerOptions>;

/**
 * Installs the one REST error mapping: every error and unknown route becomes problem+json. An
 * unreachable database is reported to `outage` (logged once per outage) instead of once per request.
 */
export function installProblemHandlers(app: FastifyInstance, outage: DatabaseOutage): void {
  app.setErrorHandler((err, request: FastifyRequest, reply) => {
    const body = toProblem(err);
    if (body.status === 503) outage.report(err);
    else if (body.status >= 500) request.log.error({ err }, 'unhandled error');
    else request.log.debug({ err: (err as Error).message }, 'client error');
    return sendProblem(reply, body, retryAfterOf(err));
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problem(404, `no route ${request.method} ${request.url.split('?')[0]}`)));
}
