import http from 'node:http';
import { postgraphile } from 'postgraphile';

/**
 * PostGraphile 4 over the `public` schema of `databaseUrl`, configured as for production (no
 * GraphiQL, no query log, no watch, pool of 10 as the service's), answering POST /graphql. It has no
 * authentication: the bench gives it that advantage. Call `.listen()`; `close()` ends its pool too.
 */
export function createPostgraphileServer(databaseUrl: string): http.Server {
  const middleware = postgraphile({ connectionString: databaseUrl, max: 10 }, 'public', {
    graphiql: false,
    disableQueryLog: true,
    watchPg: false,
    retryOnInitFail: false,
    enableQueryBatching: false,
    setofFunctionsContainNulls: false,
    ignoreRBAC: false,
    legacyRelations: 'omit',
  });
  const server = http.createServer(middleware);
  server.keepAliveTimeout = 65_000;
  server.on('close', () => void middleware.release());
  return server;
}

// Child process of the bench: on HOST:PORT against DATABASE_URL.
if (require.main === module) {
  const server = createPostgraphileServer(process.env.DATABASE_URL ?? '');
  server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
