import type { Report } from '@faultline/sdk/schema';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpError } from '../../errors.js';
import { INGEST_BODY_LIMITS } from '../../ingest/read-json-body.js';
import { createIngestGate } from '../ingest-gate.js';
import { acceptRawBodies, rawBody } from '../raw-body.js';
import { record } from '../report-fields.js';
import { parseEnvelope } from './parse-envelope.js';
import { reportIdOf, sentryEventToReport } from './sentry-event-to-report.js';
import { sentryKey } from './sentry-key.js';
import { sentryServiceNames } from './sentry-projects.js';

/** Largest event payload accepted, as Sentry's own servers limit it. */
export const MAX_EVENT_BYTES = 1024 * 1024;

const PROJECT_ID = /^\d{1,20}$/;

interface ProjectParams {
  projectId: string;
}

function parseEvent(payload: Buffer, where: string): Record<string, unknown> {
  if (payload.length > MAX_EVENT_BYTES) {
    throw httpError('FAULTLINE_BODY_TOO_LARGE', `${where} is ${payload.length} bytes; an event is at most ${MAX_EVENT_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw httpError('FAULTLINE_INVALID_EVENT', `${where} is not valid JSON: ${(error as Error).message}`);
  }
  const event = record(value);
  if (event === undefined) throw httpError('FAULTLINE_INVALID_EVENT', `${where} must be a JSON object (a Sentry event)`);
  return event;
}

/**
 * The id an envelope's `event` item at `index` falls back to when it has no `event_id`. The header's id names one
 * event: sharing it, every event after the first would be dropped as a duplicate of the first. The later ones get
 * an id derived from it and their position, so a retried envelope still stores each of them once.
 */
function itemEventId(envelopeEventId: unknown, index: number): unknown {
  if (index === 0 || typeof envelopeEventId !== 'string' || envelopeEventId === '') return envelopeEventId;
  return `${envelopeEventId}/${index}`;
}

/**
 * The Sentry ingest protocol: `POST /api/:projectId/envelope/` and `POST /api/:projectId/store/`, authenticated by
 * the DSN public key, which must be an ingest key. Events become reports (see `sentryEventToReport`) and go through
 * the collector's ingest pipeline: same validation, deduplication by id, rate limit per key and group commit.
 */
export function sentryRoutes(app: FastifyInstance, _options: unknown, done: (error?: Error) => void): void {
  const { settings } = app.faultline;
  const serviceOf = sentryServiceNames(settings.sentryProjects);
  const gate = createIngestGate(app, {
    presentedKey: sentryKey,
    howToSendKey: 'send the DSN public key as X-Sentry-Auth: Sentry sentry_key=<key>, or as ?sentry_key=<key>',
  });
  acceptRawBodies(app);

  // Sentry SDKs back off by X-Sentry-Rate-Limits (`retry_after:categories:scope`; no categories: all of them).
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode === 429) reply.header('x-sentry-rate-limits', `${String(reply.getHeader('retry-after') ?? 60)}::key`);
    return payload;
  });

  const config = { bodyLimits: INGEST_BODY_LIMITS, ingest: true };
  const onRequest = gate.onRequest;

  async function ingest(request: FastifyRequest<{ Params: ProjectParams }>, reply: FastifyReply, events: Record<string, unknown>[], envelopeEventId?: unknown) {
    const { projectId } = request.params;
    const receivedAt = Date.now();
    const service = serviceOf(projectId);
    const reports: Report[] = events.map((event, i) => sentryEventToReport(event, { service, receivedAt, envelopeEventId: itemEventId(envelopeEventId, i) }));
    if (reports.length === 0) {
      // Sessions, client reports, transactions, attachments...: accepted and not stored.
      const id = reportIdOf(envelopeEventId);
      return reply.code(200).send(id === undefined ? {} : { id });
    }
    const key = gate.keyOf(request);
    const result = await app.faultline.ingestReports(reports, key === undefined ? {} : { key });
    const refused = result.rejected[0];
    if (refused !== undefined) {
      throw httpError('FAULTLINE_INVALID_EVENT', `The event could not be stored as a report: ${refused.error}`);
    }
    return reply.code(200).send({ id: reports[0]!.id });
  }

  function checkProject(request: FastifyRequest<{ Params: ProjectParams }>): void {
    if (!PROJECT_ID.test(request.params.projectId)) {
      throw httpError('FAULTLINE_BAD_REQUEST', `The project id in /api/<projectId>/ must be a number (the last path segment of the DSN), got ${JSON.stringify(request.params.projectId)}`);
    }
  }

  for (const url of ['/api/:projectId/envelope/', '/api/:projectId/envelope']) {
    app.post<{ Params: ProjectParams }>(url, { config, onRequest }, async (request, reply) => {
      checkProject(request);
      const envelope = parseEnvelope(rawBody(request));
      const events = envelope.items.flatMap((item, i) => (item.type === 'event' ? [parseEvent(item.payload, `Item ${i + 1} ("event")`)] : []));
      return ingest(request, reply, events, envelope.header.event_id);
    });
  }

  for (const url of ['/api/:projectId/store/', '/api/:projectId/store']) {
    app.post<{ Params: ProjectParams }>(url, { config, onRequest }, async (request, reply) => {
      checkProject(request);
      const body = rawBody(request);
      if (body.length === 0) throw httpError('FAULTLINE_INVALID_EVENT', 'The body is empty; expected a Sentry event (JSON)');
      return ingest(request, reply, [parseEvent(body, 'The event')]);
    });
  }
  done();
}
