import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DateTime, ErrorResponses, IdParams, Nullable, Uuid } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';

const tags = ['app passwords'];
const Listed = Type.Object({ id: Uuid, name: Type.String(), createdAt: DateTime, lastUsedAt: Nullable(DateTime) });
const Created = Type.Object({ id: Uuid, name: Type.String(), password: Type.String({ description: 'shown this once; dashes optional when typed' }), createdAt: DateTime });

/** The caller's app passwords: HTTP Basic credentials (with the account's email) for CalDAV at /dav/. */
export const appPasswordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/me/app-passwords', {
    schema: {
      tags,
      summary: 'Create an app password for a calendar app (the password is shown once)',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. "Thunderbird at home"' }) }, { additionalProperties: false }),
      response: { 201: Created, 409: Type.Ref('Problem'), ...ErrorResponses },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const created = await req.services.appPasswords.create(actorOf(req), req.body.name);
    return reply.status(201).send({ ...created, createdAt: created.createdAt.toISOString() });
  });

  app.get('/me/app-passwords', {
    schema: { tags, summary: "The caller's app passwords (never their secrets), oldest first", response: { 200: Type.Object({ items: Type.Array(Listed) }), ...ErrorResponses } },
  }, async (req) => ({
    items: (await req.services.appPasswords.list(actorOf(req))).map((p) => ({ ...p, createdAt: p.createdAt.toISOString(), lastUsedAt: p.lastUsedAt?.toISOString() ?? null })),
  }));

  app.delete('/me/app-passwords/:appPasswordId', {
    schema: { tags, summary: 'Revoke an app password: apps using it get 401 from their next request', params: IdParams('appPasswordId'), response: { 204: Type.Null(), ...ErrorResponses } },
  }, async (req, reply) => {
    await req.services.appPasswords.delete(actorOf(req), req.params.appPasswordId);
    return reply.status(204).send(null);
  });
};
