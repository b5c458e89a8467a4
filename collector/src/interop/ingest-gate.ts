import type { FastifyInstance } from 'fastify';
import { httpError } from '../errors.js';
import { matchSecret, secretDigests } from '../ingest/ingest-route.js';

/**
 * Checks an ingest request of another protocol before its body is read, as `POST /v1/reports` does: the presented
 * key must be an ingest key when keys are configured, and the write queue must have room. Returns the key (for the
 * per-key rate limit the ingest pipeline applies), or undefined when the collector runs open.
 */
export type IngestGate = (presented: string | undefined) => string | undefined;

export function createIngestGate(app: FastifyInstance, howToSendKey: string): IngestGate {
  const { settings, metrics, writer } = app.faultline;
  const keys = settings.ingestKeys;
  const digests = secretDigests(keys);
  return (presented) => {
    let key: string | undefined;
    if (digests.length > 0) {
      key = matchSecret(presented, digests, keys);
      if (key === undefined) {
        metrics.requestsRejected.inc({ reason: 'unauthorized' });
        throw httpError('FAULTLINE_UNAUTHORIZED', `Missing or unknown ingest key; ${howToSendKey}`);
      }
    }
    if (writer.wouldOverflow(1)) {
      metrics.requestsRejected.inc({ reason: 'overloaded' });
      throw httpError('FAULTLINE_OVERLOADED', 'The write queue is full; retry later', { retryAfter: 1 });
    }
    return key;
  };
}
