import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorResponses, IdParams } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { CreateWebhookBody, DeliveriesQuery, DeliveryPage, PatchWebhookBody, WebhookList, WebhookWithSecret } from './webhook.schemas';
import { toDeliveryView, toWebhookView } from './webhook.service';

const Params = IdParams('webhookId');
const tags = ['webhooks'];

/** The caller's webhook endpoints (Standard Webhooks) and their delivery attempts. */
export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/webhooks', { schema: { tags, summary: 'Register an endpoint; the response carries its signing secret, shown only once', body: CreateWebhookBody, response: { 201: WebhookWithSecret, 409: Type.Ref('Problem'), ...ErrorResponses } } }, async (req, reply) => {
    const { endpoint, secret } = await req.services.webhooks.create(actorOf(req), req.body);
    return reply.status(201).header('location', `/webhooks/${endpoint.id}`).send({ ...toWebhookView(endpoint), secret });
  });

  app.get('/webhooks', { schema: { tags, summary: "The caller's endpoints, oldest first", response: { 200: WebhookList, ...ErrorResponses } } }, async (req) => ({
    items: (await req.services.webhooks.list(actorOf(req))).map(toWebhookView),
  }));

  app.get('/webhooks/:webhookId', { schema: { tags, summary: 'One endpoint, with why it is disabled if it is', params: Params, response: { 200: Type.Ref('Webhook'), ...ErrorResponses } } }, async (req) =>
    toWebhookView(await req.services.webhooks.get(actorOf(req), req.params.webhookId)),
  );

  app.patch('/webhooks/:webhookId', { schema: { tags, summary: 'Change url or events, or enable a disabled endpoint again', params: Params, body: PatchWebhookBody, response: { 200: Type.Ref('Webhook'), ...ErrorResponses } } }, async (req) =>
    toWebhookView(await req.services.webhooks.update(actorOf(req), req.params.webhookId, req.body)),
  );

  app.delete('/webhooks/:webhookId', { schema: { tags, summary: 'Delete an endpoint; queued messages for it are dropped', params: Params, response: { 204: Type.Null(), ...ErrorResponses } } }, async (req, reply) => {
    await req.services.webhooks.delete(actorOf(req), req.params.webhookId);
    return reply.status(204).send(null);
  });

  app.get('/webhooks/:webhookId/deliveries', { schema: { tags, summary: 'Delivery attempts, newest first: status, response code, latency', params: Params, querystring: DeliveriesQuery, response: { 200: DeliveryPage, ...ErrorResponses } } }, async (req) => {
    const page = await req.services.webhooks.deliveries(actorOf(req), req.params.webhookId, req.query);
    return { items: page.items.map(toDeliveryView), nextCursor: page.nextCursor };
  });
};
