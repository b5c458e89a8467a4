import type { FastifyInstance } from 'fastify';
import { otlpRoutes } from './otlp/otlp-routes.js';
import { sentryRoutes } from './sentry/sentry-routes.js';

/**
 * Ingest in other protocols, each in its own plugin (raw bodies, its own answers): Sentry's envelope and store
 * endpoints, and OTLP/HTTP `/v1/traces` and `/v1/logs`.
 */
export function registerInteropRoutes(app: FastifyInstance): void {
  void app.register(sentryRoutes);
  void app.register(otlpRoutes);
}
