import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertIfMatch, withEtag } from '../../infra/etag';
import { ErrorResponses, IdParams } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { toEventRuleView } from './event-rule.service';
import { CreateEventRuleBody, EventRulePage, EventTypeList, ListQuery, PatchEventRuleBody } from './milestones.schemas';

const tags = ['event rules'];
const Params = IdParams('ruleId');
const UserParams = IdParams('userId');
const LinkParams = IdParams('userId', 'ruleId');
const One = { 200: Type.Ref('EventRule'), ...ErrorResponses };
const Forbidden = { 403: Type.Ref('Problem') };

/** Event types, event rules (everyone reads, admins write) and the rules linked to users (self or admin). */
export const eventRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/event-types', { schema: { tags, summary: 'The registered event types', response: { 200: EventTypeList, ...ErrorResponses } } }, async (req, reply) =>
    withEtag(reply, { items: req.services.eventRules.listTypes(), nextCursor: null }),
  );

  app.post('/event-rules', { schema: { tags, summary: 'Create a rule (admin)', body: CreateEventRuleBody, response: { 201: Type.Ref('EventRule'), ...Forbidden, 409: Type.Ref('Problem'), ...ErrorResponses } } }, async (req, reply) =>
    reply.status(201).send(toEventRuleView(await req.services.eventRules.create(actorOf(req), req.body))),
  );

  app.get('/event-rules', { schema: { tags, summary: 'Every rule, by name', querystring: ListQuery, response: { 200: EventRulePage, ...ErrorResponses } } }, async (req, reply) => {
    const page = await req.services.eventRules.list(req.query);
    return withEtag(reply, { items: page.items.map(toEventRuleView), nextCursor: page.nextCursor });
  });

  app.get('/event-rules/:ruleId', { schema: { tags, summary: 'One rule', params: Params, response: One } }, async (req, reply) =>
    withEtag(reply, toEventRuleView(await req.services.eventRules.get(req.params.ruleId))),
  );

  app.patch('/event-rules/:ruleId', { schema: { tags, summary: 'Change a rule (admin)', params: Params, body: PatchEventRuleBody, response: { ...One, ...Forbidden, 409: Type.Ref('Problem') } } }, async (req, reply) => {
    const { eventRules } = req.services;
    await assertIfMatch(req, async () => toEventRuleView(await eventRules.get(req.params.ruleId)));
    return reply.send(toEventRuleView(await eventRules.update(actorOf(req), req.params.ruleId, req.body)));
  });

  app.delete('/event-rules/:ruleId', { schema: { tags, summary: 'Delete a rule and its links (admin)', params: Params, response: { 204: Type.Null(), ...Forbidden, ...ErrorResponses } } }, async (req, reply) => {
    const { eventRules } = req.services;
    await assertIfMatch(req, async () => toEventRuleView(await eventRules.get(req.params.ruleId)));
    await eventRules.delete(actorOf(req), req.params.ruleId);
    return reply.status(204).send(null);
  });

  app.get('/users/:userId/event-rules', { schema: { tags, summary: 'Rules linked to a user, by name (self or admin)', params: UserParams, querystring: ListQuery, response: { 200: EventRulePage, ...ErrorResponses } } }, async (req, reply) => {
    const page = await req.services.eventRules.listForUser(actorOf(req), req.params.userId, req.query);
    return withEtag(reply, { items: page.items.map(toEventRuleView), nextCursor: page.nextCursor });
  });

  app.put('/users/:userId/event-rules/:ruleId', { schema: { tags, summary: 'Link a rule to a user (self or admin; idempotent)', params: LinkParams, response: One } }, async (req, reply) =>
    reply.send(toEventRuleView(await req.services.eventRules.link(actorOf(req), req.params.userId, req.params.ruleId))),
  );

  app.delete('/users/:userId/event-rules/:ruleId', { schema: { tags, summary: 'Unlink a rule from a user (self or admin)', params: LinkParams, response: { 204: Type.Null(), ...ErrorResponses } } }, async (req, reply) => {
    await req.services.eventRules.unlink(actorOf(req), req.params.userId, req.params.ruleId);
    return reply.status(204).send(null);
  });
};
