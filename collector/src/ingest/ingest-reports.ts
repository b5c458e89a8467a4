import { LIMITS, type Report } from '@faultline/sdk/schema';
import { httpError, CollectorHttpError } from '../errors.js';
import { columnText } from '../storage/column-text.js';
import { GROUPING_VERSION, culpritOf, fingerprintOf, titleOf } from '../grouping/group-report.js';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { PreparedEvent } from '../storage/store.js';
import type { GroupCommitWriter } from './group-commit-writer.js';
import type { RateLimiter } from './rate-limiter.js';
import { validateReport } from './validate-report.js';

/** Environment of reports whose `service.environment` is absent. */
export const DEFAULT_ENVIRONMENT = 'unknown';

/**
 * How far a report's timestamp may be ahead of its arrival. Beyond it (a client clock set wrong), the event is
 * counted at its arrival time, as Sentry's Relay does; the stored report keeps the timestamp it was sent with.
 */
export const MAX_CLOCK_AHEAD_MS = 60_000;

export interface IngestContext {
  /** The ingest key the reports came with; rate limits apply per key. */
  key?: string;
  /** The JSON text of each report, when the caller has it: stored as is instead of serializing the object. */
  texts?: readonly string[];
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

/** Validates, groups, commits (through the group-commit writer) and counts a list of reports. */
export type IngestReports = (reports: unknown[], context: IngestContext) => Promise<IngestResult>;

/** A validated report as the stores want it; title and culprit are only computed if an issue is created. */
class ReportEvent implements PreparedEvent {
  readonly id: string;
  readonly service: string;
  readonly environment: string;
  readonly level: Report['level'];
  readonly fingerprint: string;
  readonly grouping = GROUPING_VERSION;
  readonly type: string;
  readonly message: string;
  #title: string | undefined;
  #culprit: string | undefined;

  readonly timestamp: number;

  constructor(
    readonly report: Report,
    readonly json: string,
    timestamp: number,
    readonly receivedAt: number,
  ) {
    // A clock running ahead would pin the issue's last event (and its level and environment) to the future.
    this.timestamp = timestamp > receivedAt + MAX_CLOCK_AHEAD_MS ? receivedAt : timestamp;
    this.id = report.id;
    this.service = columnText(report.service.name);
    this.environment = columnText(report.service.environment || DEFAULT_ENVIRONMENT);
    this.level = report.level;
    this.fingerprint = fingerprintOf(report);
    this.type = columnText(report.type);
    this.message = columnText(report.message);
  }

  get title(): string {
    return (this.#title ??= columnText(titleOf(this.report)));
  }

  get culprit(): string {
    return (this.#culprit ??= columnText(culpritOf(this.report)));
  }
}

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
    /** Each event's index in `reports`. */
    const indexes: number[] = [];
    const receivedAt = now();
    for (let index = 0; index < reports.length; index++) {
      const checked = validateReport(reports[index], context.texts?.[index]);
      if (!checked.ok) {
        rejected.push({ index, error: checked.error });
        continue;
      }
      events.push(new ReportEvent(checked.report, checked.json, checked.timestamp, receivedAt));
      indexes.push(index);
    }
    const invalid = rejected.length;
    if (invalid > 0) metrics.reportsRejected.inc({ reason: 'invalid' }, invalid);

    let result;
    try {
      result = await writer.write(events);
    } catch (error) {
      const reason = error instanceof CollectorHttpError && error.code === 'FAULTLINE_OVERLOADED' ? 'overloaded' : 'store_unavailable';
      metrics.reportsRejected.inc({ reason }, events.length);
      throw error;
    }
    let accepted = 0;
    let refused = 0;
    // Counted per label set, then added once each: a labelled inc per report costs more than the tally.
    const received = new Map<string, { service: string; environment: string; level: string; n: number }>();
    for (let i = 0; i < events.length; i++) {
      const refusal = result.refused?.[i];
      if (refusal !== undefined) {
        rejected.push({ index: indexes[i]!, error: refusal });
        refused++;
        continue;
      }
      if (!result.stored[i]) continue;
      accepted++;
      const e = events[i]!;
      const key = `${e.level}\u0000${e.environment}\u0000${e.service}`;
      const entry = received.get(key);
      if (entry === undefined) received.set(key, { service: e.service, environment: e.environment, level: e.level, n: 1 });
      else entry.n++;
    }
    for (const r of received.values()) {
      metrics.reportsReceived.inc({ ...metrics.serviceLabels(r.service, r.environment), level: r.level }, r.n);
    }
    if (refused > 0) {
      metrics.reportsRejected.inc({ reason: 'refused_by_store' }, refused);
      rejected.sort((a, b) => a.index - b.index);
    }
    const duplicates = events.length - refused - accepted;
    if (duplicates > 0) metrics.reportsDuplicate.inc(duplicates);
    for (const c of result.created) metrics.issuesCreated.inc(metrics.serviceLabels(c.service, c.environment));
    for (const r of result.regressed) metrics.issuesRegressed.inc(metrics.serviceLabels(r.service, r.environment));
    metrics.ingestDuration.observe((performance.now() - start) / 1000);
    return { accepted, duplicates, rejected };
  };
}
