import Fastify, { LogController, type FastifyInstance, type FastifyRequest, type RawRequestDefaultExpression } from 'fastify';
import { registerErrorHandling } from './api/error-handler.js';
import { registerEventRoutes } from './api/events-routes.js';
import { registerHealthRoutes } from './api/health-routes.js';
import { registerIssueRoutes } from './api/issues-routes.js';
import { registerReadAuth } from './api/read-auth.js';
import { registerStatsRoutes } from './api/stats-routes.js';
import { resolveOptions, type CollectorOptions, type ResolvedOptions } from './config/options.js';
import { GroupCommitWriter } from './ingest/group-commit-writer.js';
import { createIngestReports, type IngestReports } from './ingest/ingest-reports.js';
import { IngestTraffic, registerIngestRoute } from './ingest/ingest-route.js';
import { registerInteropRoutes } from './interop/register-interop-routes.js';
import { RateLimiter } from './ingest/rate-limiter.js';
import { readJsonBody, readJsonText, SMALL_BODY_LIMITS, type BodyLimits } from './ingest/read-json-body.js';
import { CollectorMetrics } from './metrics/collector-metrics.js';
import { RetentionJob } from './retention-job.js';
import { openStore } from './storage/open-store.js';
import type { Store } from './storage/store.js';
import { registerUi, type UiHandler } from './ui/serve-ui.js';
import { LIMITS } from '@faultline/sdk/schema';
import pino from 'pino';

/** What a collector app holds, for routes added later (other ingest protocols) and for tests. */
export interface FaultlineServices {
  store: Store;
  metrics: CollectorMetrics;
  writer: GroupCommitWriter;
  /** The ingest pipeline: validate, group, commit, count. */
  ingestReports: IngestReports;
  retention: RetentionJob;
  settings: ResolvedOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    faultline: FaultlineServices;
  }
  interface FastifyContextConfig {
    /** Body limits of a route (default: 64 KiB). */
    bodyLimits?: BodyLimits;
    /** The route receives its JSON body as text (decoded, within limits, not yet parsed). */
    jsonText?: boolean;
    /**
     * An ingest route (`/v1/reports`, OTLP, Sentry's): authenticated by ingest key, never by the read token (even
     * under `/api/`), and its refusals are counted in faultline_requests_rejected_total.
     */
    ingest?: boolean;
  }
}

/**
 * Builds the collector's Fastify app (store opened and migrated, routes registered) without listening: use
 * `app.inject()` in-process, or `startCollector` to serve. `app.close()` finishes queued writes and closes the store.
 */
export async function buildApp(options: CollectorOptions = {}): Promise<FastifyInstance> {
  const settings = resolveOptions(options);
  const app = Fastify({
    // Synchronous stdout by default: a log line is out before the next statement, and a stdout whose reader has
    // gone (EPIPE) silences the logger at its first write, where an asynchronous one would leave lines queued for
    // the exit handler to retry forever (sonic-boom's flushSync), so SIGTERM never ended the process.
    logger: { level: settings.logLevel, stream: settings.logStream ?? pino.destination({ dest: 1, sync: true }) },
    // One line per request, at debug, from the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  let closing = false;
  const store = settings.store ?? (await openStore(settings, app.log));
  const metrics = new CollectorMetrics();
  const traffic = new IngestTraffic();
  const writer = new GroupCommitWriter(store, {
    arriving: () => traffic.open,
    maxQueued: settings.maxQueuedReports,
    onCommit: (seconds, events) => {
      metrics.storeWriteDuration.observe(seconds);
      metrics.storeWriteEvents.observe(events);
    },
    onDepth: (depth) => metrics.queueDepth.set(depth),
    // PostgreSQL: up to 4 transactions at once while 100 or more events wait (measured: batches of 100 gain from
    // overlapping); fewer wait for the running commit and share the next (single reports: 1.5x, one hot issue).
    concurrency: store.kind === 'postgres' ? 4 : 1,
    overlapMinEvents: 100,
  });
  const limiter =
    settings.ingestKeys.length > 0 ? new RateLimiter(settings.rateLimitPerSecond, { minCapacity: LIMITS.reportsPerBatch }) : undefined;
  const ingestReports = createIngestReports({ writer, metrics, limiter });
  const retention = new RetentionJob(
    store,
    { retentionDays: settings.retentionDays, retentionEventsPerIssue: settings.retentionEventsPerIssue, intervalMs: settings.retentionIntervalMs },
    app.log,
  );
  app.decorate('faultline', { store, metrics, writer, ingestReports, retention, settings });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', async (request: FastifyRequest, payload: RawRequestDefaultExpression) => {
    const { bodyLimits = SMALL_BODY_LIMITS, jsonText } = request.routeOptions.config;
    return jsonText === true ? readJsonText(payload, request.headers, bodyLimits) : readJsonBody(payload, request.headers, bodyLimits);
  });

  const uiRef: { handler?: UiHandler } = {};
  registerErrorHandling(app, () => uiRef.handler);
  // One line per request at debug; the hook is not installed at all otherwise (it costs on every request).
  if (settings.logLevel === 'debug' || settings.logLevel === 'trace') {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
      done();
    });
  }

  registerIngestRoute(app, { ingestKeys: settings.ingestKeys, ingestReports, writer, metrics, limiter, traffic });
  registerInteropRoutes(app);
  registerReadAuth(app, settings.readToken);
  registerIssueRoutes(app, store, Date.now);
  registerEventRoutes(app, store);
  registerStatsRoutes(app, store, Date.now);
  registerHealthRoutes(app, store, metrics, () => closing);
  uiRef.handler = await registerUi(app, settings.uiDir);

  app.addHook('onReady', (done) => {
    retention.start();
    done();
  });
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // While closing, every answer ends its connection: a keep-alive connection left idle would hold up the close.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  // Runs after in-flight requests completed: every acknowledged write is already committed.
  app.addHook('onClose', async () => {
    await retention.stop();
    await writer.close();
    await store.close();
  });
  return app;
}
