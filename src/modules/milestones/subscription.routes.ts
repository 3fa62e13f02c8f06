import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertIfMatch, withEtag } from '../../infra/etag';
import { toDate, toOptionalDate } from '../../infra/http-input';
import { ErrorResponses, IdParams } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { CreateSubscriptionBody, ListQuery, PatchSubscriptionBody, SubscriptionPage } from './milestones.schemas';
import { toSubscriptionView } from './subscription.service';

const tags = ['subscriptions'];
const UserParams = IdParams('userId');
const Params = IdParams('subscriptionId');
const Forbidden = { 403: Type.Ref('Problem') };
const nullableDate = (value: string | null | undefined, path: string) => (value === null ? null : toOptionalDate(value, path));

/** Subscription offers: admins write, the user itself or an admin reads (anyone else: 404). */
export const subscriptionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/users/:userId/subscriptions', {
    schema: { tags, summary: 'Subscribe a user to an offer (admin)', params: UserParams, body: CreateSubscriptionBody, response: { 201: Type.Ref('Subscription'), ...Forbidden, ...ErrorResponses } },
  }, async (req, reply) => {
    const { offer, startsAt, endsAt } = req.body;
    const input = { offer, startsAt: toDate(startsAt, '/startsAt'), endsAt: nullableDate(endsAt, '/endsAt') };
    return reply.status(201).send(toSubscriptionView(await req.services.subscriptions.create(actorOf(req), req.params.userId, input)));
  });

  app.get('/users/:userId/subscriptions', {
    schema: { tags, summary: "A user's subscriptions by start (self or admin)", params: UserParams, querystring: ListQuery, response: { 200: SubscriptionPage, ...ErrorResponses } },
  }, async (req, reply) => {
    const page = await req.services.subscriptions.listForUser(actorOf(req), req.params.userId, req.query);
    return withEtag(reply, { items: page.items.map(toSubscriptionView), nextCursor: page.nextCursor });
  });

  app.get('/subscriptions/:subscriptionId', {
    schema: { tags, summary: 'One subscription (its user or an admin)', params: Params, response: { 200: Type.Ref('Subscription'), ...ErrorResponses } },
  }, async (req, reply) => withEtag(reply, toSubscriptionView(await req.services.subscriptions.get(actorOf(req), req.params.subscriptionId))));

  app.patch('/subscriptions/:subscriptionId', {
    schema: { tags, summary: 'Change a subscription (admin); endsAt null makes it open-ended', params: Params, body: PatchSubscriptionBody, response: { 200: Type.Ref('Subscription'), ...Forbidden, ...ErrorResponses } },
  }, async (req, reply) => {
    const { subscriptions } = req.services;
    const actor = actorOf(req);
    await assertIfMatch(req, async () => toSubscriptionView(await subscriptions.get(actor, req.params.subscriptionId)));
    const { offer, startsAt, endsAt } = req.body;
    const patch = { offer, startsAt: toOptionalDate(startsAt, '/startsAt'), endsAt: nullableDate(endsAt, '/endsAt') };
    return reply.send(toSubscriptionView(await subscriptions.update(actor, req.params.subscriptionId, patch)));
  });

  app.delete('/subscriptions/:subscriptionId', {
    schema: { tags, summary: 'Delete a subscription (admin)', params: Params, response: { 204: Type.Null(), ...Forbidden, ...ErrorResponses } },
  }, async (req, reply) => {
    const { subscriptions } = req.services;
    const actor = actorOf(req);
    await assertIfMatch(req, async () => toSubscriptionView(await subscriptions.get(actor, req.params.subscriptionId)));
    await subscriptions.delete(actor, req.params.subscriptionId);
    return reply.status(204).send(null);
  });
};
