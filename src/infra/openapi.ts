/**
 * The finishing pass over the OpenAPI 3.1 document that @fastify/swagger generates from the route
 * schemas: what holds for every operation is added here, in one place, instead of in each route.
 */

/** The parts of an OpenAPI document this pass reads and writes. */
interface Schema {
  type?: unknown;
  properties?: Record<string, Schema & { default?: unknown }>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  [key: string]: unknown;
}
interface MediaType { schema?: Schema }
interface Response { description: string; content?: Record<string, MediaType>; headers?: Record<string, unknown> }
interface Parameter { in: string; name: string; required?: boolean; schema?: Schema & { default?: unknown }; description?: string }
interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, Response>;
  [key: string]: unknown;
}
/** A generated OpenAPI 3.1 document. */
export interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  [key: string]: unknown;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
/** The methods an OpenAPI 3.1 path item can hold (and its other fields). */
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace', 'summary', 'description', 'servers', 'parameters']);
const PROBLEM = 'application/problem+json';
const problemResponse = (description: string): Response => ({ description, content: { [PROBLEM]: { schema: { $ref: '#/components/schemas/Problem' } } } });

/** `calendars` → `Calendar`, `entries` → `Entry`, `event-rules` → `EventRule`, `calendar.ics` → `CalendarIcs`. */
function pascal(segment: string, singular: boolean): string {
  const word = singular ? segment.replace(/ies$/, 'y').replace(/s$/, '') : segment;
  return word.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/**
 * An operationId from the method and path, so generated SDKs name their methods: GET of a collection
 * is `list…` (`GET /calendars/{calendarId}/entries` → `listCalendarEntries`), of one resource `get…`
 * (`getCalendarEntry`), POST to a collection `create…` (`createEventParticipant`), POST to an action
 * its path (`POST /auth/login` → `authLogin`), PUT `replace…`, PATCH `update…`, DELETE `delete…`. A
 * literal segment followed by a parameter is singular (`/users/{userId}/…` → `User…`); a wildcard
 * (`/dav/{*}`) reads `Path`.
 */
export function operationIdOf(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  const last = segments[segments.length - 1] ?? '';
  const endsWithParam = last.startsWith('{');
  const collection = !endsWithParam && !last.includes('.') && /[^sz]s$/.test(last);
  const words = segments
    .map((s, i) => (s === '{*}' ? 'Path' : s.startsWith('{') ? '' : pascal(s, segments[i + 1]?.startsWith('{') === true || (method === 'post' && collection && i === segments.length - 1))))
    .join('');
  const verb = { get: endsWithParam || !collection ? 'get' : 'list', post: collection ? 'create' : '', put: 'replace', patch: 'update', delete: 'delete' }[method] ?? method;
  const id = `${verb}${words.replace(/([A-Z][a-z0-9]*)\1/g, '$1')}`; // calendars/{id}/calendar.ics → CalendarIcs
  return id[0]!.toLowerCase() + id.slice(1);
}

/** Removes from `required`, at every level of a request schema, the properties that have a default. */
function optionalDefaults(schema: Schema | undefined): void {
  if (!schema || typeof schema !== 'object') return;
  if (schema.properties && schema.required) {
    schema.required = schema.required.filter((name) => schema.properties![name]?.default === undefined);
    if (schema.required.length === 0) delete schema.required;
  }
  for (const child of [...Object.values(schema.properties ?? {}), schema.items, ...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) optionalDefaults(child);
}

/**
 * Finishes the generated document, for every operation:
 * - an `operationId` ({@link operationIdOf}) unless the route gave one; duplicates throw at start;
 * - `security: []` (public) unless the route declares a scheme;
 * - a 400 where a route lists no 4xx (its query string is validated all the same), no body on 204;
 * - error responses as `application/problem+json` (what src/infra/http-errors.ts sends), and a
 *   `default` problem response for the statuses a route does not list (401, 403, 413, 415, 429, 503…);
 * - parameters and body properties that have a default are optional (`limit`, `force`), as the
 *   validator fills them in;
 * - WebDAV resources (methods such as PROPFIND, under /dav) are left out: OpenAPI cannot describe them;
 * - conditional requests (RFC 9110 §13), as the app's hooks implement them: every GET answers 200
 *   with an `ETag` and 304 for a matching `If-None-Match`; PUT, PATCH and DELETE of a resource that
 *   has a GET honour `If-Match` and answer 412 on mismatch.
 * @throws Error when two operations get the same operationId.
 */
export function finishOpenApiDocument<T extends OpenApiDocument>(generated: T): T {
  // A deep copy that unshares: routes of several methods (app.all) share one operation object.
  const doc = JSON.parse(JSON.stringify(generated)) as T;
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (Object.keys(item).some((m) => !HTTP_METHODS.has(m))) {
      // A WebDAV resource (PROPFIND, REPORT…): OpenAPI 3.1 cannot describe it; RFC 4791 does.
      delete doc.paths![path];
      continue;
    }
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      if (!op.operationId) {
        op.operationId = operationIdOf(method, path);
        // Two paths that differ only in a parameter (`/feed` and `/feed/{token}.ics`): name it.
        const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => pascal(m[1]!, false)).slice(-1);
        if (ids.has(op.operationId) && params.length > 0) op.operationId += `By${params[0]}`;
      }
      op.security ??= []; // routes that need a token say so (src/app.ts); the others are public
      if (ids.has(op.operationId)) throw new Error(`duplicate operationId ${op.operationId} (${method.toUpperCase()} ${path})`);
      ids.add(op.operationId);

      const responses = (op.responses ??= {});
      for (const [status, response] of Object.entries(responses)) {
        // Errors are problem+json whatever the route produces on success (e.g. text/calendar).
        const media = response.content?.['application/json'] ?? Object.values(response.content ?? {})[0];
        if (/^[45]/.test(status) && media) response.content = { [PROBLEM]: media };
      }
      if (responses['204']) delete responses['204'].content; // no body, by definition (RFC 9110 §15.3.5)
      // Every operation validates its query string at least (unknown parameters are a 400).
      if (!Object.keys(responses).some((s) => s.startsWith('4'))) responses['400'] = problemResponse('Bad Request: malformed or unknown parameters');
      responses.default ??= problemResponse('Any other error, as RFC 9457 problem details (e.g. 401, 403, 413, 415, 429; 503 with Retry-After while the database is unreachable)');

      for (const parameter of op.parameters ?? []) {
        if (parameter.schema?.default !== undefined) parameter.required = false;
      }
      for (const media of Object.values(op.requestBody?.content ?? {})) optionalDefaults(media.schema);

      const params = (op.parameters ??= []);
      if (method === 'get' && responses['200']) {
        responses['200'].headers = { ...responses['200'].headers, ETag: { description: 'Strong entity tag of the representation (RFC 9110 §8.8.3)', schema: { type: 'string' } } };
        params.push({ in: 'header', name: 'If-None-Match', required: false, description: 'ETags the client holds: 304 when one matches (RFC 9110 §13.1.2)', schema: { type: 'string' } });
        responses['304'] ??= { description: 'Not Modified: If-None-Match matched the current ETag' };
      }
      if ((method === 'put' || method === 'patch' || method === 'delete') && item.get) {
        params.push({ in: 'header', name: 'If-Match', required: false, description: 'The ETag last read: the write happens only if it is still current (RFC 9110 §13.1.1)', schema: { type: 'string' } });
        responses['412'] ??= problemResponse('Precondition Failed: If-Match does not match the current ETag');
      }
      if (params.length === 0) delete op.parameters;
    }
  }
  return doc;
}
