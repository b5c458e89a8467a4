import type { FastifyRequest } from 'fastify';
import type { ErrorCode } from '../errors.js';

// The reason label of faultline_requests_rejected_total for each refusal an ingest route can answer with.
const REASONS: Partial<Record<ErrorCode, string>> = {
  FAULTLINE_UNAUTHORIZED: 'unauthorized',
  FAULTLINE_RATE_LIMITED: 'rate_limited',
  FAULTLINE_OVERLOADED: 'overloaded',
  FAULTLINE_STORE_UNAVAILABLE: 'unavailable',
  FAULTLINE_SHUTTING_DOWN: 'unavailable',
  FAULTLINE_INVALID_JSON: 'invalid_json',
  FAULTLINE_INVALID_GZIP: 'invalid_encoding',
  FAULTLINE_INVALID_DEFLATE: 'invalid_encoding',
  FAULTLINE_UNSUPPORTED_ENCODING: 'unsupported_encoding',
  FAULTLINE_UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type',
  FAULTLINE_BODY_TOO_LARGE: 'body_too_large',
  FAULTLINE_BODY_INFLATED_TOO_LARGE: 'body_too_large',
  FAULTLINE_TOO_MANY_REPORTS: 'too_many_reports',
  FAULTLINE_INTERNAL: 'internal',
};

/**
 * Counts a refused ingest request once, by reason, from the error it is answered with. Called by the error
 * handlers, which every refusal passes through, so no route counts its own refusals.
 */
export function countRejectedRequest(request: FastifyRequest, code: ErrorCode): void {
  if (request.routeOptions.config.ingest !== true) return;
  request.server.faultline.metrics.requestsRejected.inc({ reason: REASONS[code] ?? 'invalid_body' });
}
