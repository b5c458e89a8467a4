import type { FastifyInstance, FastifyRequest, RawRequestDefaultExpression } from 'fastify';
import { INGEST_BODY_LIMITS, readBody } from '../ingest/read-json-body.js';

/**
 * Makes every body in this plugin's routes arrive as a Buffer, whatever its content type (Sentry SDKs send none;
 * OTLP sends JSON or protobuf), read under the route's body limits with gzip or deflate inflated as a stream.
 * Encapsulated: the collector's JSON parser stays in force outside the plugin.
 */
export function acceptRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', async (request: FastifyRequest, payload: RawRequestDefaultExpression) =>
    readBody(payload, request.headers, request.routeOptions.config.bodyLimits ?? INGEST_BODY_LIMITS),
  );
}

/** The body a raw-body route received (empty when the request had none). */
export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}
