import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Email, ErrorResponses, TimeZone } from '../../infra/http-schemas';
import { Password } from '../users/user.schemas';
import { toUserView } from '../users/user.service';

const tags = ['auth'];
const Token = { accessToken: Type.String(), tokenType: Type.Literal('Bearer'), expiresIn: Type.Integer({ description: 'seconds' }) };

/**
 * Public /auth routes. Attempts count against the budgets of the client address and of the account,
 * shared with GraphQL's register and login (see AuthService): that is what makes guessing slow.
 */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.post('/auth/register', {
    schema: {
      tags,
      summary: 'Register and receive an access token',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), email: Email, password: Password, timeZone: Type.Optional(TimeZone) }, { additionalProperties: false }),
      response: { 201: Type.Object({ user: Type.Ref('User'), ...Token }), 409: Type.Ref('Problem'), 429: Type.Ref('Problem'), 400: ErrorResponses[400] },
    },
  }, async (req, reply) => {
    const { user, token } = await req.services.auth.register(req.body, req.ip);
    return reply.status(201).send({ user: toUserView(user), ...token });
  });

  app.post('/auth/login', {
    schema: {
      tags,
      summary: 'Exchange email and password for an access token',
      body: Type.Object({ email: Type.String({ maxLength: 320 }), password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object(Token), 401: Type.Ref('Problem'), 429: Type.Ref('Problem'), 400: ErrorResponses[400] },
    },
  }, async (req) => req.services.auth.login(req.body.email, req.body.password, req.ip));
};
