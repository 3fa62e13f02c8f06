import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../infra/actor';
import { AppError } from '../../infra/errors';
import { problem, retryAfterOf, sendProblem, toProblem } from '../../infra/http-errors';
import type { RateLimiter } from '../../infra/rate-limit';
import type { VerifiedCredentials } from '../auth/app-password.service';
import { ObjectRejected } from '../events/ical/calendar-object.write';
import { parseDavPath, type DavTarget } from './dav.paths';
import { MAX_RESOURCE_BYTES, readPropRequest } from './dav.properties';
import { readReport, UnsupportedReport } from './dav.reports';
import { InvalidSyncToken } from './dav.service';
import { buildXml, el, MAX_XML_BYTES, NS, parseXml, type XmlNode } from './xml';

/** Options of {@link davRoutes}. */
export interface DavRouteOptions {
  /**
   * The login and registration budget (per client address and per account, RATE_LIMIT_AUTH a minute
   * each): every Basic authentication not verified in the last minutes draws on it.
   */
  attempts: RateLimiter;
  verified: VerifiedCredentials;
}

const METHODS = ['OPTIONS', 'PROPFIND', 'PROPPATCH', 'REPORT', 'GET', 'HEAD', 'PUT', 'DELETE', 'MKCALENDAR', 'MKCOL', 'MOVE', 'COPY'] as const;
const DAV_HEADER = '1, 3, calendar-access';
const REALM = 'Basic realm="Calendar (use your email and an app password)", charset="UTF-8"';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** @fastify/cors reads it (its types do not declare it): false turns CORS off for the route. */
    cors?: boolean;
  }
  interface FastifyRequest {
    /** The DAV path this request addresses (set by the DAV routes). */
    davTarget?: DavTarget;
  }
}

/**
 * CalDAV at /dav/ (RFC 4791, RFC 6578, RFC 6764 discovery at /.well-known/caldav), authenticated with
 * HTTP Basic (RFC 7617): the account's email and one of its app passwords, never a JWT. Each address
 * outside the caller's own space is a 404. Errors a client can act on carry a `DAV:error` body naming
 * the precondition (RFC 4918 §16, RFC 4791 §1.3); the rest are problem+json.
 *
 * Rate limit: credentials not verified in the last minutes (every wrong guess, and the first request of
 * a client) draw on the same budget as logins and registrations, per client address and per account
 * (RATE_LIMIT_AUTH a minute each), so a password guessed at through CalDAV and /auth/login gets no
 * more tries in all; a syncing client with good credentials is not slowed down.
 */
export async function davRoutes(app: FastifyInstance, opts: DavRouteOptions): Promise<void> {
  for (const method of METHODS) if (!app.supportedMethods.includes(method)) app.addHttpMethod(method, { hasBody: true });


  await app.register(async (dav) => {
    dav.removeAllContentTypeParsers();
    dav.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_XML_BYTES }, (_req, body, done) => done(null, body));
    dav.setErrorHandler((err, request, reply) => sendDavError(request, reply, err));
    // RFC 6764 §5: the well-known URI, and the server root for clients given only the base URL.
    const toRoot = async (_req: FastifyRequest, reply: FastifyReply) => reply.redirect('/dav/', 301);
    // Browsers' CORS does not apply: calendar apps send OPTIONS without Origin.
    const config = { cors: false };
    dav.route({ method: [...METHODS.filter((m) => m !== 'HEAD')], url: '/.well-known/caldav', handler: toRoot, config });
    dav.route({ method: ['PROPFIND', 'REPORT'], url: '/', handler: toRoot, config });
    // preHandler, so that the rate limit (a route-level onRequest hook) counts a request before it is
    // authenticated.
    dav.addHook('preHandler', async (request, reply) => {
      if (!request.url.startsWith('/dav')) return;
      reply.header('dav', DAV_HEADER);
      const target = parseDavPath(request.url);
      if (!target) throw AppError.notFound('resource');
      request.davTarget = target;
      if (request.method === 'OPTIONS') return;
      request.actor = await authenticate(request, opts);
    });

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const target = request.davTarget!;
      const actor = request.actor!;
      const { dav: service, calendarObjects } = request.services;
      const body = typeof request.body === 'string' ? request.body : '';
      switch (request.method) {
        case 'OPTIONS':
          return reply.header('allow', METHODS.filter((m) => !['MKCALENDAR', 'MKCOL', 'MOVE', 'COPY'].includes(m)).join(', ')).status(200).send();
        case 'PROPFIND': {
          const depth = request.headers.depth === '0' ? 0 : 1;
          return sendXml(reply, 207, await service.propfind(actor, target, depth, readPropRequest(body.trim() ? parseXml(body) : null)));
        }
        case 'REPORT':
          return sendXml(reply, 207, await service.report(actor, target, readReport(parseXml(body))));
        case 'PROPPATCH': {
          const root = parseXml(body);
          if (root.ns !== NS.DAV || root.name !== 'propertyupdate') throw AppError.invalid('/body', 'PROPPATCH takes a DAV:propertyupdate');
          return sendXml(reply, 207, await service.proppatch(actor, target, root));
        }
        case 'GET':
        case 'HEAD': {
          if (target.kind !== 'object') return reply.status(200).type('text/plain; charset=utf-8').send('CalDAV endpoint: add this URL to a calendar app.\n');
          await service.user(actor, target);
          const [found] = await calendarObjects.read(actor, target.calendarId, [target.name]);
          if (!found) throw AppError.notFound('resource', target.name);
          reply.header('etag', found.etag).header('last-modified', found.lastModified.toUTCString());
          if (request.headers['if-none-match'] === found.etag) return reply.status(304).send();
          return reply.status(200).type('text/calendar; charset=utf-8').send(found.ics);
        }
        case 'PUT': {
          if (target.kind !== 'object') throw new AppError('forbidden', 'PUT creates or replaces a calendar object: /dav/calendars/<user>/<calendar>/<name>.ics');
          if (Buffer.byteLength(body) > MAX_RESOURCE_BYTES) throw new Precondition(413, { ns: NS.CALDAV, name: 'max-resource-size' }, `a calendar object may be at most ${MAX_RESOURCE_BYTES} bytes`);
          await service.user(actor, target);
          const { meta, created } = await calendarObjects.put(actor, target.calendarId, target.name, body, conditions(request));
          return reply.header('etag', meta.etag).status(created ? 201 : 204).send();
        }
        case 'DELETE': {
          if (target.kind !== 'object') throw new AppError('forbidden', 'delete calendars through the API; DELETE here removes one calendar object');
          await service.user(actor, target);
          await calendarObjects.delete(actor, target.calendarId, target.name, conditions(request));
          return reply.status(204).send();
        }
        default:
          reply.header('allow', 'OPTIONS, PROPFIND, PROPPATCH, REPORT, GET, HEAD, PUT, DELETE');
          return sendProblem(reply, problem(405, `${request.method} is not supported here; create calendars through the API`));
      }
    };
    dav.route({ method: [...METHODS], url: '/dav', handler, config });
    dav.route({ method: [...METHODS], url: '/dav/*', handler, bodyLimit: MAX_XML_BYTES, config });
  });
}

/** A precondition failure with its `DAV:error` element. */
class Precondition extends AppError {
  constructor(readonly httpStatus: number, readonly precondition: { ns: string; name: string }, message: string) {
    super(httpStatus === 413 ? 'payload_too_large' : httpStatus === 409 ? 'conflict' : 'forbidden', message);
  }
}

function conditions(request: FastifyRequest): { ifMatch?: string; ifNoneMatch?: boolean } {
  const ifMatch = request.headers['if-match'];
  return { ...(typeof ifMatch === 'string' && { ifMatch }), ifNoneMatch: request.headers['if-none-match']?.trim() === '*' };
}

function basicCredentials(request: FastifyRequest): { email: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { email: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : null;
}

function isVerified(request: FastifyRequest, verified: VerifiedCredentials): boolean {
  const creds = basicCredentials(request);
  return !!creds && verified.get(verified.keyOf(creds.email, creds.password)) !== undefined;
}

/** @throws AppError 401 (no or wrong credentials), 429 (the attempt budget is spent, with retryAfterSeconds) */
async function authenticate(request: FastifyRequest, opts: DavRouteOptions): Promise<Actor> {
  const creds = basicCredentials(request);
  if (!creds) throw new AppError('unauthenticated', 'send HTTP Basic credentials: your email and an app password (POST /me/app-passwords)');
  if (!isVerified(request, opts.verified)) opts.attempts.hit([`client:${request.ip}`, `account:${creds.email.trim().toLowerCase()}`]);
  return request.services.appPasswords.authenticate(creds.email, creds.password);
}

function sendXml(reply: FastifyReply, status: number, tree: XmlNode): FastifyReply {
  return reply.status(status).type('application/xml; charset=utf-8').send(buildXml(tree));
}

/** DAV errors: preconditions as `DAV:error` XML (RFC 4918 §16), 401 with a Basic challenge, the rest as problem+json. */
function sendDavError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const precondition = preconditionOf(err);
  if (precondition) {
    const { status, element, message } = precondition;
    return sendXml(reply, status, el(NS.DAV, 'error', [el(element.ns, element.name, []), el(NS.SERVICE, 'message', message)]));
  }
  const body = toProblem(err);
  if (body.status >= 500) request.log.error({ err }, 'unhandled error');
  if (body.status === 401) reply.header('www-authenticate', REALM);
  return sendProblem(reply, body, retryAfterOf(err));
}

function preconditionOf(err: unknown): { status: number; element: { ns: string; name: string }; message: string } | null {
  if (err instanceof Precondition) return { status: err.httpStatus, element: err.precondition, message: err.message };
  if (err instanceof UnsupportedReport || err instanceof InvalidSyncToken) return { status: 403, element: err.precondition, message: err.message };
  if (err instanceof ObjectRejected) {
    if (err.details.conflicts?.length) {
      return { status: 409, element: { ns: NS.SERVICE, name: 'no-overlap' }, message: `${err.message}: ${err.details.conflicts.map((c) => `${c.title} ${c.start.toISOString()}–${c.end.toISOString()}`).join('; ')}` };
    }
    if (err.property === 'UID' && err.kind === 'conflict') return { status: 409, element: { ns: NS.CALDAV, name: 'no-uid-conflict' }, message: err.message };
    const element = err.property === 'METHOD' || err.property === 'UID' ? 'valid-calendar-object-resource' : err.property && /^V[A-Z]+$/.test(err.property) ? 'supported-calendar-component' : 'valid-calendar-object-resource';
    return { status: 403, element: { ns: NS.CALDAV, name: element }, message: err.message };
  }
  if (err instanceof AppError && err.kind === 'conflict' && err.details.conflicts?.length) {
    return { status: 409, element: { ns: NS.SERVICE, name: 'no-overlap' }, message: err.message };
  }
  return null;
}
