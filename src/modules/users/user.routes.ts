import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertIfMatch, withEtag } from '../../infra/etag';
import { toOptionalDate } from '../../infra/http-input';
import { ErrorResponses, IdParams } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { CreateUserBody, ListUsersQuery, PatchUserBody, PutUserBody, UserPage } from './user.schemas';
import { toUserView } from './user.service';

const UserParams = IdParams('userId');
const tags = ['users'];

/** /me and /users CRUD. Any authenticated user reads users; writes are self-or-admin (service rules). */
export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', { schema: { tags, summary: 'The caller', response: { 200: Type.Ref('User'), ...ErrorResponses } } }, async (req, reply) =>
    withEtag(reply, toUserView(await req.services.users.get(actorOf(req).userId))),
  );

  app.post('/users', { schema: { tags, summary: 'Create a user (admin)', body: CreateUserBody, response: { 201: Type.Ref('User'), ...ErrorResponses } } }, async (req, reply) => {
    const user = await req.services.users.create(actorOf(req), { ...req.body, signedUpAt: toOptionalDate(req.body.signedUpAt, '/signedUpAt') });
    return reply.status(201).send(toUserView(user));
  });

  app.get('/users', { schema: { tags, summary: 'List or search users', querystring: ListUsersQuery, response: { 200: UserPage, ...ErrorResponses } } }, async (req) => {
    const page = await req.services.users.list(req.query);
    return { items: page.items.map(toUserView), nextCursor: page.nextCursor };
  });

  app.get('/users/:userId', { schema: { tags, summary: 'Get a user', params: UserParams, response: { 200: Type.Ref('User'), ...ErrorResponses } } }, async (req, reply) =>
    withEtag(reply, toUserView(await req.services.users.get(req.params.userId))),
  );

  for (const mode of ['put', 'patch'] as const) {
    app.route({
      method: mode === 'put' ? 'PUT' : 'PATCH',
      url: '/users/:userId',
      schema: { tags, summary: mode === 'put' ? 'Replace a user (self or admin)' : 'Change a user (self or admin)', params: UserParams, body: mode === 'put' ? PutUserBody : PatchUserBody, response: { 200: Type.Ref('User'), ...ErrorResponses } },
      handler: async (req, reply) => {
        const { users } = req.services;
        await assertIfMatch(req, async () => toUserView(await users.get(req.params.userId)));
        const body = req.body as typeof PatchUserBody.static;
        const user = await users.update(actorOf(req), req.params.userId, { ...body, signedUpAt: toOptionalDate(body.signedUpAt, '/signedUpAt') });
        return reply.send(toUserView(user));
      },
    });
  }

  app.delete('/users/:userId', { schema: { tags, summary: 'Delete a user with its calendars and participations (self or admin)', params: UserParams, response: { 204: Type.Null(), ...ErrorResponses } } }, async (req, reply) => {
    const { users } = req.services;
    await assertIfMatch(req, async () => toUserView(await users.get(req.params.userId)));
    await users.delete(actorOf(req), req.params.userId);
    return reply.status(204).send(null);
  });
};
