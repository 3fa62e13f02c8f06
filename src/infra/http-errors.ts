import { DriverException, ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
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
 * `errors`, body parser errors to 400/413/415, unique violations to 409. Anything else is a 500 whose
 * detail hides internals (the error is logged with the request id).
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
      const message = v.params?.additionalProperty ? 'unknown field' : (v.message ?? 'invalid');
      return { path, message };
    });
    return problem(400, `invalid request ${fe.validationContext ?? 'input'}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
  }
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
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors (malformed JSON, bad headers, rate limit…).
    return problem(fe.statusCode, fe.message);
  }
  return problem(500, 'an unexpected error occurred; it has been logged');
}

/** Sends `body` with its status as `application/problem+json` (RFC 9457 §3). */
export function sendProblem(reply: FastifyReply, body: ProblemDetails): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(body);
}

/** Installs the one REST error mapping: every error and unknown route becomes problem+json. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request: FastifyRequest, reply) => {
    const body = toProblem(err);
    if (body.status >= 500) request.log.error({ err }, 'unhandled error');
    else request.log.debug({ err: (err as Error).message }, 'client error');
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problem(404, `no route ${request.method} ${request.url.split('?')[0]}`)));
}
