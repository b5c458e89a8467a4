import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpError } from '../errors.js';
import { matchSecret, secretDigests } from '../ingest/ingest-route.js';

/**
 * Checks an ingest request of another protocol before its body is read, as `POST /v1/reports` does: the key it
 * presents must be an ingest key when keys are configured, and the write queue must have room. The key is kept
 * for the per-key rate limit that the ingest pipeline applies.
 */
export interface IngestGate {
  /** The route's `onRequest` hook. */
  readonly onRequest: (request: FastifyRequest, reply: FastifyReply, next: (error?: Error) => void) => void;
  /** The ingest key the request was let in with (undefined when the collector runs open). */
  readonly keyOf: (request: FastifyRequest) => string | undefined;
}

export interface IngestGateOptions {
  /** Where the protocol carries the key. */
  presentedKey: (request: FastifyRequest) => string | undefined;
  /** How a client sends its key, for the 401 message. */
  howToSendKey: string;
  /** A check of the request made first (its content type, say); throws a `CollectorHttpError`. */
  precheck?: (request: FastifyRequest) => void;
}

export function createIngestGate(app: FastifyInstance, options: IngestGateOptions): IngestGate {
  const { settings, writer } = app.faultline;
  const keys = settings.ingestKeys;
  const digests = secretDigests(keys);
  const admitted = new WeakMap<FastifyRequest, string>();

  function admit(request: FastifyRequest): void {
    options.precheck?.(request);
    if (digests.length > 0) {
      const key = matchSecret(options.presentedKey(request), digests, keys);
      if (key === undefined) {
        throw httpError('FAULTLINE_UNAUTHORIZED', `Missing or unknown ingest key; ${options.howToSendKey}`);
      }
      admitted.set(request, key);
    }
    if (writer.wouldOverflow(1)) {
      throw httpError('FAULTLINE_OVERLOADED', 'The write queue is full; retry later', { retryAfter: 1 });
    }
  }

  return {
    onRequest: (request, _reply, next) => {
      try {
        admit(request);
      } catch (error) {
        next(error as Error);
        return;
      }
      next();
    },
    keyOf: (request) => admitted.get(request),
  };
}
