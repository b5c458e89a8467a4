import { LIMITS } from '@faultline/sdk/schema';
import { httpError, CollectorHttpError } from '../errors.js';
import { groupReport } from '../grouping/group-report.js';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { PreparedEvent } from '../storage/store.js';
import type { GroupCommitWriter } from './group-commit-writer.js';
import type { RateLimiter } from './rate-limiter.js';
import { validateReport } from './validate-report.js';

/** Environment of reports whose `service.environment` is absent. */
export const DEFAULT_ENVIRONMENT = 'unknown';

export interface IngestContext {
  /** The ingest key the reports came with; rate limits apply per key. */
  key?: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

/** Validates, groups, commits (through the group-commit writer) and counts a list of reports. */
export type IngestReports = (reports: unknown[], context: IngestContext) => Promise<IngestResult>;

export interface IngestDependencies {
  writer: GroupCommitWriter;
  metrics: CollectorMetrics;
  /** Absent: no rate limit (no keys configured). */
  limiter?: RateLimiter;
  now?: () => number;
}

/**
 * The ingest pipeline shared by every ingest route (`/v1/reports`, and converters of other protocols): each
 * malformed report is rejected alone with an error naming its field; the rest are stored once per id. Resolves
 * after the commit. Throws a `CollectorHttpError` when the whole list is refused: too many reports (413), rate
 * limit (429), queue full or store down (503).
 */
export function createIngestReports(deps: IngestDependencies): IngestReports {
  const { writer, metrics, limiter } = deps;
  const now = deps.now ?? Date.now;

  return async function ingestReports(reports, context) {
    const start = performance.now();
    if (reports.length > LIMITS.reportsPerBatch) {
      metrics.reportsRejected.inc({ reason: 'too_many_reports' }, reports.length);
      throw httpError('FAULTLINE_TOO_MANY_REPORTS', `A batch holds at most ${LIMITS.reportsPerBatch} reports, got ${reports.length}`);
    }
    if (limiter !== undefined && context.key !== undefined && reports.length > 0) {
      const wait = limiter.take(context.key, reports.length);
      if (wait > 0) {
        metrics.reportsRejected.inc({ reason: 'rate_limited' }, reports.length);
        throw httpError('FAULTLINE_RATE_LIMITED', `Rate limit of this ingest key exceeded; retry in ${wait} s`, { retryAfter: wait });
      }
    }
    const rejected: IngestResult['rejected'] = [];
    const events: PreparedEvent[] = [];
    const receivedAt = now();
    for (let index = 0; index < reports.length; index++) {
      const checked = validateReport(reports[index]);
      if (!checked.ok) {
        rejected.push({ index, error: checked.error });
        continue;
      }
      const { report } = checked;
      const grouping = groupReport(report);
      events.push({
        id: report.id,
        service: report.service.name,
        environment: report.service.environment || DEFAULT_ENVIRONMENT,
        level: report.level,
        fingerprint: grouping.fingerprint,
        grouping: grouping.grouping,
        timestamp: checked.timestamp,
        receivedAt,
        type: report.type,
        title: grouping.title,
        message: report.message,
        culprit: grouping.culprit,
        json: checked.json,
      });
    }
    if (rejected.length > 0) metrics.reportsRejected.inc({ reason: 'invalid' }, rejected.length);

    let result;
    try {
      result = await writer.write(events);
    } catch (error) {
      const reason = error instanceof CollectorHttpError && error.code === 'FAULTLINE_OVERLOADED' ? 'overloaded' : 'store_unavailable';
      metrics.reportsRejected.inc({ reason }, events.length);
      throw error;
    }
    let accepted = 0;
    for (let i = 0; i < events.length; i++) {
      if (!result.stored[i]) continue;
      accepted++;
      const e = events[i]!;
      metrics.reportsReceived.inc({ service: metrics.service(e.service), environment: metrics.environment(e.environment), level: e.level });
    }
    if (events.length > accepted) metrics.reportsDuplicate.inc(events.length - accepted);
    for (const c of result.created) metrics.issuesCreated.inc({ service: metrics.service(c.service), environment: metrics.environment(c.environment) });
    for (const r of result.regressed) metrics.issuesRegressed.inc({ service: metrics.service(r.service), environment: metrics.environment(r.environment) });
    metrics.ingestDuration.observe((performance.now() - start) / 1000);
    return { accepted, duplicates: events.length - accepted, rejected };
  };
}
