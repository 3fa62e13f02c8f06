import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { withEtag } from '../../infra/etag';
import { toOptionalDate } from '../../infra/http-input';
import { ErrorResponses, IdParams } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { NearestQuery, TriggeredEventPage, UpcomingQuery } from './milestones.schemas';

const tags = ['nearest events'];
const UserParams = IdParams('userId');

/** A user's nearest and upcoming events (self or admin; anyone else: 404). */
export const nearestEventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/users/:userId/nearest-event', {
    schema: { tags, summary: 'The earliest event the user\'s rules trigger at or after `after` (404 when none)', params: UserParams, querystring: NearestQuery, response: { 200: Type.Ref('TriggeredEvent'), ...ErrorResponses } },
  }, async (req, reply) => {
    const after = toOptionalDate(req.query.after, '/query/after') ?? new Date();
    return withEtag(reply, await req.services.nearestEvents.nearest(actorOf(req), req.params.userId, after));
  });

  app.get('/users/:userId/upcoming-events', {
    schema: { tags, summary: 'Events the user\'s rules trigger in [from, to), in order', params: UserParams, querystring: UpcomingQuery, response: { 200: TriggeredEventPage, ...ErrorResponses } },
  }, async (req, reply) => {
    const { limit, cursor } = req.query;
    const from = toOptionalDate(req.query.from, '/query/from') ?? new Date();
    const to = toOptionalDate(req.query.to, '/query/to');
    const page = await req.services.nearestEvents.upcoming(actorOf(req), req.params.userId, { from, to, limit, cursor });
    return withEtag(reply, { items: page.items, nextCursor: page.nextCursor });
  });
};
