import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/** Asset name → [npm module path, content type]; served from node_modules so the page works offline. */
const ASSETS: Record<string, [pkg: string, file: string, type: string]> = {
  'react.js': ['react', 'umd/react.production.min.js', 'text/javascript'],
  'react-dom.js': ['react-dom', 'umd/react-dom.production.min.js', 'text/javascript'],
  'graphiql.js': ['graphiql', 'graphiql.min.js', 'text/javascript'],
  'graphiql.css': ['graphiql', 'graphiql.min.css', 'text/css'],
};

/** A file of an installed package, found through its package.json (these files are not in `exports`). */
function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/**
 * Starts GraphiQL with the headers editor open and no header: introspection (the docs, typeahead)
 * needs no token, and a placeholder token would make it fail. The default query says how to add one.
 */
const BOOT = `
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href });
const defaultQuery = [
  '# Operations need a token: run the login mutation below (or POST /auth/login), then put',
  '#   {"Authorization": "Bearer <accessToken>"}',
  '# in the Headers tab below and run the query.',
  '',
  '# mutation { login(email: "ann@example.com", password: "correct horse") { accessToken } }',
  '',
  '{ me { name email } events(first: 10) { nodes { title start end } pageInfo { hasNextPage endCursor } } }',
  '',
].join('\\n');
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: 'headers' }),
);`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><title>GraphQL playground</title>
<link rel="stylesheet" href="/graphql/assets/graphiql.css">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphql/assets/react.js"></script>
<script src="/graphql/assets/react-dom.js"></script>
<script src="/graphql/assets/graphiql.js"></script>
<script src="/graphql/assets/boot.js"></script>
</body>
</html>`;

/**
 * GET /graphql: the GraphiQL playground, served entirely from this process (no CDN), public. It only
 * shows a page; operations it sends still need a token.
 */
export async function registerPlayground(app: FastifyInstance): Promise<void> {
  const cache = new Map<string, Buffer>();
  app.get('/graphql', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  app.get<{ Params: { file: string } }>('/graphql/assets/:file', { schema: { hide: true } }, async (req, reply) => {
    const { file } = req.params;
    if (file === 'boot.js') return reply.type('text/javascript').send(BOOT);
    const asset = ASSETS[file];
    if (!asset) return reply.callNotFound();
    let body = cache.get(file);
    if (!body) {
      body = await readFile(packageFile(asset[0], asset[1]));
      cache.set(file, body);
    }
    return reply.type(asset[2]).header('cache-control', 'public, max-age=86400').send(body);
  });
}
