import type { FastifyInstance } from 'fastify';
import { httpError } from '../errors.js';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { Store } from '../storage/store.js';

/** `/healthz` (the process answers), `/readyz` (the store answers), `/metrics` (Prometheus text). */
export function registerHealthRoutes(app: FastifyInstance, store: Store, metrics: CollectorMetrics, isClosing: () => boolean): void {
  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));

  app.get('/readyz', async () => {
    if (isClosing()) throw httpError('FAULTLINE_SHUTTING_DOWN', 'The collector is shutting down');
    try {
      await store.ping();
    } catch (error) {
      throw httpError('FAULTLINE_STORE_UNAVAILABLE', 'The store does not answer', { cause: error });
    }
    return { status: 'ready', store: store.kind };
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
