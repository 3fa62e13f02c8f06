import type { AppModule } from '../../infra/module';
import { WebhookAttempt, WebhookEndpoint } from './webhook.entity';
import type { WebhookQueue } from './webhook.queue';
import { WebhookResolver } from './webhook.resolver';
import { webhookRoutes } from './webhook.routes';
import { WebhookDeliverySchema, WebhookSchema } from './webhook.schemas';
import { WebhookService } from './webhook.service';

declare module '../../infra/services' {
  interface AppDeps {
    /** The pg-boss queue of deliveries and its workers (WEBHOOK_*). */
    webhookQueue: WebhookQueue;
  }
  interface Services {
    webhooks: WebhookService;
  }
}

/**
 * Webhooks: users' endpoints and Standard Webhooks deliveries. Its contribution to the `eventChanges`
 * hook queues the messages inside the writer's transaction (the outbox); src/app.ts starts the queue.
 */
export const webhooksModule: AppModule = {
  name: 'webhooks',
  entities: [WebhookEndpoint, WebhookAttempt],
  resolvers: [WebhookResolver],
  httpSchemas: [WebhookSchema, WebhookDeliverySchema],
  routes: webhookRoutes,
  services: {
    webhooks: ({ em, deps }) => new WebhookService(em, deps.cursors, deps.config.webhooks.allowPrivate),
  },
  hooks: {
    eventChanges: ({ deps }) => ({ inTransaction: (em, changes) => deps.webhookQueue.enqueue(em, changes) }),
  },
};
