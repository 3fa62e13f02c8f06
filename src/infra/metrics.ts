import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one app instance (its own registry, so several apps in one test process do
 * not collide). Durations are in seconds, as Prometheus conventions ask.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation name and type',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly cacheHits = new Counter({ name: 'cache_hits_total', help: 'Cache reads that found a value', registers: [this.registry] });
  readonly cacheMisses = new Counter({ name: 'cache_misses_total', help: 'Cache reads that found nothing', registers: [this.registry] });
  readonly cacheErrors = new Counter({ name: 'cache_errors_total', help: 'Cache operations that failed or timed out', registers: [this.registry] });

  readonly idleCollections = new Counter({
    name: 'idle_collections_total',
    help: 'Full garbage collections run because the process went idle after load (IDLE_GC_MS)',
    registers: [this.registry],
  });

  readonly dbPool = new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly liveConnections = new Gauge({ name: 'live_connections', help: 'Open graphql-ws connections of this replica', registers: [this.registry] });

  readonly webhookDeliveries = new Counter({
    name: 'webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: succeeded, failed (retried later) or exhausted (the endpoint was disabled)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveryDuration = new Histogram({
    name: 'webhook_delivery_duration_seconds',
    help: 'Time from sending a webhook to its answer (or timeout)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
