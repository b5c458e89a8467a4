import type { Report } from '@faultline/sdk/schema';
import { LIMITS } from '@faultline/sdk/schema';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CollectorHttpError, httpError } from '../../errors.js';
import { bearerToken } from '../../ingest/ingest-route.js';
import type { IngestResult } from '../../ingest/ingest-reports.js';
import { INGEST_BODY_LIMITS } from '../../ingest/read-json-body.js';
import { countRejectedRequest } from '../../metrics/count-rejection.js';
import { createIngestGate } from '../ingest-gate.js';
import { acceptRawBodies, rawBody } from '../raw-body.js';
import { logsToReports } from './logs-to-reports.js';
import { decodeOtlpProtobuf, encodeOtlpResponse, encodeRpcStatus, type OtlpSignal } from './otlp-protobuf.js';
import { tracesToReports, type OtlpReports } from './traces-to-reports.js';

type Encoding = 'json' | 'protobuf';

const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf']);

/** The encoding of a request by its Content-Type (none: JSON); undefined for any other type. */
export function otlpEncoding(contentType: string | undefined): Encoding | undefined {
  const base = (contentType ?? 'application/json').split(';', 1)[0]!.trim().toLowerCase();
  if (base === 'application/json') return 'json';
  return PROTOBUF_TYPES.has(base) ? 'protobuf' : undefined;
}

// google.rpc.Code of each answer, for the Status body OTLP asks for.
function rpcCode(status: number): number {
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  if (status >= 500) return 13; // INTERNAL
  return 3; // INVALID_ARGUMENT
}

function send(reply: FastifyReply, encoding: Encoding, status: number, json: object, protobuf: Uint8Array): FastifyReply {
  reply.code(status);
  if (encoding === 'protobuf') return reply.type('application/x-protobuf').send(Buffer.from(protobuf));
  return reply.type('application/json; charset=utf-8').send(json);
}

const SIGNALS = {
  traces: { convert: tracesToReports, rejectedField: 'rejectedSpans', what: 'spans' },
  logs: { convert: logsToReports, rejectedField: 'rejectedLogRecords', what: 'log records' },
} as const satisfies Record<OtlpSignal, { convert: (request: unknown, receivedAt: number) => OtlpReports; rejectedField: string; what: string }>;

/**
 * OTLP/HTTP ingest: `POST /v1/traces` and `POST /v1/logs`, JSON or protobuf, gzip or not. Span events named
 * `exception` and log records with `exception.*` attributes become reports through the collector's ingest pipeline;
 * everything else is accepted and dropped. Answers follow OTLP: `200` with `partialSuccess` when some were refused,
 * errors as a `google.rpc.Status`, in the request's encoding.
 */
export function otlpRoutes(app: FastifyInstance, _options: unknown, done: (error?: Error) => void): void {
  const gate = createIngestGate(app, {
    presentedKey: bearerToken,
    howToSendKey: 'send Authorization: Bearer <key> (an OTLP exporter header)',
    precheck: (request) => {
      if (otlpEncoding(request.headers['content-type']) === undefined) {
        throw httpError('FAULTLINE_UNSUPPORTED_MEDIA_TYPE', `Content-Type ${request.headers['content-type']} is not OTLP; use application/json or application/x-protobuf`);
      }
    },
  });
  acceptRawBodies(app);

  app.setErrorHandler((error, request, reply) => {
    // Fastify's own errors go on to the collector's handler.
    if (!(error instanceof CollectorHttpError)) throw error;
    if (error.statusCode >= 500) request.log.error({ err: error.cause ?? error, code: error.code }, error.message);
    countRejectedRequest(request, error.code);
    if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
    const message = `${error.code}: ${error.message}`;
    const code = rpcCode(error.statusCode);
    return send(reply, otlpEncoding(request.headers['content-type']) ?? 'json', error.statusCode, { code, message }, encodeRpcStatus(code, message));
  });

  for (const signal of ['traces', 'logs'] as const) {
    const { convert, rejectedField, what } = SIGNALS[signal];
    app.post(
      `/v1/${signal}`,
      {
        config: { bodyLimits: INGEST_BODY_LIMITS, ingest: true },
        onRequest: gate.onRequest,
      },
      async (request, reply) => {
        const encoding = otlpEncoding(request.headers['content-type'])!;
        const body = rawBody(request);
        let decoded: unknown;
        if (encoding === 'protobuf') decoded = decodeOtlpProtobuf(signal, body);
        else {
          try {
            decoded = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
          } catch (error) {
            throw httpError('FAULTLINE_INVALID_JSON', `The body is not valid JSON: ${(error as Error).message}`);
          }
        }
        const found = convert(decoded, Date.now());
        const key = gate.keyOf(request);
        const refused = await ingestInChunks(found.reports, (reports) => app.faultline.ingestReports(reports, key === undefined ? {} : { key }));
        const rejectedItems = new Set(refused.map((r) => found.owners[r.index]));
        if (rejectedItems.size === 0) return send(reply, encoding, 200, {}, encodeOtlpResponse(undefined));
        const errorMessage = `${rejectedItems.size} of ${found.items} ${what} had an exception that could not be stored; the first: ${refused[0]!.error}`;
        return send(
          reply,
          encoding,
          200,
          { partialSuccess: { [rejectedField]: String(rejectedItems.size), errorMessage } },
          encodeOtlpResponse({ rejected: rejectedItems.size, errorMessage }),
        );
      },
    );
  }
  done();
}

/** Ingests at most `LIMITS.reportsPerBatch` reports at a time; returns the refused ones with their index in `reports`. */
async function ingestInChunks(
  reports: readonly Report[],
  ingest: (reports: Report[]) => Promise<IngestResult>,
): Promise<IngestResult['rejected']> {
  const refused: IngestResult['rejected'] = [];
  for (let start = 0; start < reports.length; start += LIMITS.reportsPerBatch) {
    const result = await ingest(reports.slice(start, start + LIMITS.reportsPerBatch));
    for (const r of result.rejected) refused.push({ index: start + r.index, error: r.error });
  }
  return refused;
}
