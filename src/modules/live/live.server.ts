import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { type ExecutionResult, getOperationAST, GraphQLError, type GraphQLSchema, parse, specifiedRules, validate, type ValidationRule } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { type WebSocket, WebSocketServer } from 'ws';
import { formatError } from '../../graphql/errors';
import { AppError } from '../../infra/errors';
import type { Actor } from '../../infra/actor';
import type { Metrics } from '../../infra/metrics';
import type { LoaderContext, Loaders } from '../../infra/loaders';
import type { AppDeps, Services } from '../../infra/services';
import type { LiveContext } from './live.context';

/** Largest graphql-ws message a client may send (a subscribe document with variables). */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** What {@link registerLiveServer} needs besides the app. */
export interface LiveServerOptions {
  schema: GraphQLSchema;
  orm: MikroORM;
  deps: AppDeps;
  /** The services of one operation over `em` (src/modules.ts). */
  createServices(em: EntityManager, deps: AppDeps): Services;
  /** The DataLoaders of one operation (src/modules.ts). */
  createLoaders(ctx: LoaderContext): Loaders;
  /** Turns an `Authorization` header into the caller, as for POST /graphql. @throws AppError 401 */
  authenticate(services: Services, authorization: string): Promise<Actor>;
  /** Extra validation rules of POST /graphql (depth and cost limits), applied to subscriptions too. */
  validationRules: readonly ValidationRule[];
  /** Parser token limit of POST /graphql. */
  maxTokens: number;
  /** How long the shutdown waits for HTTP requests in flight before it closes the sockets anyway, ms. */
  graceMs: number;
  /** Where open connections are counted (`live_connections`). */
  metrics?: Metrics;
}

type Extra = {
  socket: WebSocket;
  request: IncomingMessage;
  actor?: Actor;
  expiry?: NodeJS.Timeout;
};

/**
 * GraphQL over WebSocket (graphql-ws protocol, `graphql-transport-ws`) on the HTTP server's `upgrade`,
 * at the same path as POST /graphql, over the same schema:
 * - `connection_init` carries `{ "authorization": "Bearer <access token>" }`; a missing or invalid
 *   token closes with 4401, a user over LIVE_MAX_CONNECTIONS_PER_USER with 4403; when the token
 *   expires the socket closes with 4401 (the client reconnects with a fresh token);
 * - only subscriptions (queries and mutations go to POST /graphql), with the same depth, cost and
 *   token limits; at most LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION at once (one more gets an error);
 * - errors carry the same `extensions.code` as over HTTP;
 * - on shutdown, new upgrades get 503, and once the HTTP requests in flight have finished the sockets
 *   close with 1001 (going away), so clients reconnect to another replica.
 * The connection caps count per replica.
 */
export function registerLiveServer(app: FastifyInstance, opts: LiveServerOptions): void {
  const { schema, orm, deps } = opts;
  const limits = deps.config.live;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const connectionsOf = new Map<string, number>();
  let draining = false;

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      onConnect: async (ctx) => {
        const { socket } = ctx.extra;
        const header = authorizationOf(ctx.connectionParams);
        if (!header) return refuse(socket, CloseCode.Unauthorized, 'Unauthorized: send {"authorization": "Bearer <access token>"} in connection_init');
        let actor: Actor;
        try {
          actor = await opts.authenticate(opts.createServices(orm.em.fork(), deps), header);
        } catch (err) {
          if (err instanceof AppError) return refuse(socket, CloseCode.Unauthorized, `Unauthorized: ${err.message}`);
          throw err;
        }
        const open = connectionsOf.get(actor.userId) ?? 0;
        if (open >= limits.maxConnectionsPerUser) return refuse(socket, CloseCode.Forbidden, `Forbidden: at most ${limits.maxConnectionsPerUser} connections per user`);
        connectionsOf.set(actor.userId, open + 1);
        opts.metrics?.liveConnections.inc();
        ctx.extra.actor = actor;
        const exp = decodeJwt(header.replace(/^Bearer\s+/i, '')).exp;
        if (exp) ctx.extra.expiry = setTimeout(() => socket.close(CloseCode.Unauthorized, "Unauthorized: access token expired"), Math.min(Math.max(exp * 1000 - Date.now(), 0), 2 ** 31 - 1)).unref();
        return true;
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiry);
        const { actor } = ctx.extra;
        if (!actor) return;
        opts.metrics?.liveConnections.dec();
        const open = (connectionsOf.get(actor.userId) ?? 1) - 1;
        if (open > 0) connectionsOf.set(actor.userId, open);
        else connectionsOf.delete(actor.userId);
      },
      onSubscribe: (ctx, _id, payload) => {
        // The new subscription is already registered (as null) when this runs.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`at most ${limits.maxSubscriptionsPerConnection} subscriptions per connection`, { extensions: { code: 'TOO_MANY_REQUESTS' } })];
        }
        let document;
        try {
          document = parse(payload.query, { maxTokens: opts.maxTokens });
        } catch (err) {
          return [err instanceof GraphQLError ? withCode(err, 'GRAPHQL_PARSE_FAILED') : new GraphQLError('unparsable document', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const errors = validate(schema, document, [...specifiedRules, ...opts.validationRules]);
        if (errors.length > 0) return errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [new GraphQLError('only subscriptions run over WebSocket; send queries and mutations to POST /graphql', { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue: liveContextFor(ctx.extra) };
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatted(result as ExecutionResult),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
  );

  function liveContextFor(extra: Extra): LiveContext {
    const ctx = {
      actor: extra.actor,
      renew() {
        const em = orm.em.fork();
        ctx.em = em;
        ctx.services = opts.createServices(em, deps);
        ctx.loaders = opts.createLoaders({ em, services: ctx.services, actor: extra.actor });
        ctx.startedAt = new Date();
      },
      closeConnection: (code: number, reason: string) => extra.socket.close(code, reason),
    } as LiveContext;
    ctx.renew();
    return ctx;
  }

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/graphql') return reject(socket, '404 Not Found');
    if (draining) return reject(socket, '503 Service Unavailable');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  // Node's server.close() waits for every TCP connection, upgraded ones included: the sockets must be
  // closed for app.close() to finish, but only after the HTTP requests in flight have been answered.
  app.addHook('preClose', async () => {
    draining = true;
    const deadline = Date.now() + opts.graceMs;
    void (async () => {
      while (Date.now() < deadline && (await httpConnections(app, wss)) > 0) await new Promise((r) => setTimeout(r, 25));
      await server.dispose();
    })();
  });
}

/** The `authorization` of connection_init (`Bearer …`; a bare `token` is accepted too), or undefined. */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  const given = params?.authorization ?? params?.Authorization;
  if (typeof given === 'string' && given) return given;
  if (typeof params?.token === 'string' && params.token) return `Bearer ${params.token}`;
  return undefined;
}

function refuse(socket: WebSocket, code: number, reason: string): false {
  socket.close(code, reason);
  return false;
}

function reject(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function withCode(err: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(err.message, { nodes: err.nodes, source: err.source, positions: err.positions, extensions: { code } });
}

/** A result with its errors mapped as over HTTP (src/graphql/errors.ts). */
function formatted(result: ExecutionResult) {
  if (!result.errors?.length) return result;
  return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) };
}

/** Open TCP connections of the server that are not WebSockets (HTTP requests still being answered). */
async function httpConnections(app: FastifyInstance, wss: WebSocketServer): Promise<number> {
  const all = await new Promise<number>((resolve) => app.server.getConnections((err, n) => resolve(err ? 0 : n)));
  return all - wss.clients.size;
}
