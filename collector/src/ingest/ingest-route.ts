import { createHash, timingSafeEqual } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BatchSchema, LIMITS } from '@faultline/sdk/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { httpError, type CollectorHttpError } from '../errors.js';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { GroupCommitWriter } from './group-commit-writer.js';
import type { IngestReports } from './ingest-reports.js';
import type { RateLimiter } from './rate-limiter.js';
import { INGEST_BODY_LIMITS, parseJson } from './read-json-body.js';
import { splitBatch } from './split-batch.js';

const checkBatch = TypeCompiler.Compile(BatchSchema);

export interface IngestRouteOptions {
  traffic?: IngestTraffic;
  ingestKeys: readonly string[];
  ingestReports: IngestReports;
  writer: GroupCommitWriter;
  metrics: CollectorMetrics;
  limiter?: RateLimiter;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The bearer token of a request, or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Compares a presented secret with each accepted one in constant time; returns the matching one. */
export function matchSecret(presented: string | undefined, accepted: readonly Buffer[], values: readonly string[]): string | undefined {
  if (presented === undefined) return undefined;
  const d = digest(presented);
  let found: string | undefined;
  accepted.forEach((candidate, i) => {
    if (timingSafeEqual(d, candidate)) found = values[i];
  });
  return found;
}

export function secretDigests(values: readonly string[]): Buffer[] {
  return values.map(digest);
}

/** Ingest requests between arrival and answer, for the writer's batching (see GroupCommitWriter `arriving`). */
export class IngestTraffic {
  open = 0;
}

/** `POST /v1/reports`: the SDK's batch endpoint. */
export function registerIngestRoute(app: FastifyInstance, options: IngestRouteOptions): void {
  const { metrics, writer, limiter } = options;
  const keyDigests = secretDigests(options.ingestKeys);
  const keys = new WeakMap<FastifyRequest, string>();

  const refusal = (request: FastifyRequest): CollectorHttpError | undefined => {
    if (keyDigests.length > 0) {
      const key = matchSecret(bearerToken(request), keyDigests, options.ingestKeys);
      if (key === undefined) {
        return httpError('FAULTLINE_UNAUTHORIZED', 'Missing or unknown ingest key; send Authorization: Bearer <key>');
      }
      keys.set(request, key);
      if (limiter?.isEmpty(key)) {
        return httpError('FAULTLINE_RATE_LIMITED', 'Rate limit of this ingest key exceeded; retry in 1 s', { retryAfter: 1 });
      }
    }
    if (writer.wouldOverflow(1)) {
      return httpError('FAULTLINE_OVERLOADED', 'The write queue is full; retry later', { retryAfter: 1 });
    }
    return undefined;
  };

  app.post(
    '/v1/reports',
    {
      config: { bodyLimits: INGEST_BODY_LIMITS, jsonText: true, ingest: true },
      onResponse: (_request, _reply, done) => {
        if (options.traffic) options.traffic.open--;
        done();
      },
      onRequestAbort: (_request, done) => {
        if (options.traffic) options.traffic.open--;
        done();
      },
      // Refusals that need no body are decided before the body is read.
      onRequest: (request, _reply, done) => {
        if (options.traffic) options.traffic.open++;
        done(refusal(request));
      },
    },
    async (request, reply) => {
      // The body arrives as text (route config `jsonText`): each report's own text is kept for storage. Fastify
      // runs no parser for a request without a body, so it arrives undefined.
      if (typeof request.body !== 'string') throw httpError('FAULTLINE_INVALID_JSON', 'The body is empty; expected JSON');
      const text = request.body;
      const split = splitBatch(text);
      const tooMany = (count: number): void => {
        if (count <= LIMITS.reportsPerBatch) return;
        metrics.reportsRejected.inc({ reason: 'too_many_reports' }, count);
        throw httpError('FAULTLINE_TOO_MANY_REPORTS', `A batch holds at most ${LIMITS.reportsPerBatch} reports, got ${count}`);
      };
      let body: unknown;
      let texts: string[] | undefined;
      if (split !== undefined) {
        tooMany(split.reports.length);
        texts = split.reports;
        body = { ...split.rest, reports: texts.map(parseJson) };
      } else {
        body = parseJson(text);
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw httpError('FAULTLINE_INVALID_BATCH', '/: expected an object { "reports": [...] }');
      }
      const reports = (body as { reports?: unknown }).reports;
      if (Array.isArray(reports)) tooMany(reports.length);
      if (!checkBatch.Check(body)) {
        const first = checkBatch.Errors(body).First();
        throw httpError('FAULTLINE_INVALID_BATCH', `${first?.path || '/'}: ${first?.message ?? 'invalid batch'}`);
      }
      const key = keys.get(request);
      const result = await options.ingestReports(body.reports, { key, texts });
      if (body.dropped !== undefined) {
        for (const [reason, count] of Object.entries(body.dropped)) {
          if (count > 0) metrics.sdkDropped.inc({ reason: metrics.reason(reason) }, count);
        }
      }
      return reply.code(202).send(result);
    },
  );
}
