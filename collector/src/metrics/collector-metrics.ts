import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Label values come from reports: past this many distinct values per label, the rest count as "other",
// so a misbehaving client cannot blow up the number of series.
const MAX_LABEL_VALUES = 100;
// The per-label caps alone still allow 100 × 100 (service, environment) pairs, times 4 levels: the pairs are
// capped too, the rest counting as other/other.
const MAX_SERVICE_ENVIRONMENTS = 1000;
const OTHER = 'other';
const REASON_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

class LabelCap {
  readonly #seen = new Set<string>();

  constructor(readonly max: number) {}

  /** Whether `raw` is one of the first `max` distinct values seen (it is remembered if so). */
  admits(raw: string): boolean {
    if (this.#seen.has(raw)) return true;
    if (this.#seen.size >= this.max) return false;
    this.#seen.add(raw);
    return true;
  }

  value(raw: string): string {
    return this.admits(raw) ? raw : OTHER;
  }
}

/** The `service` and `environment` labels of a series. */
export interface ServiceLabels {
  service: string;
  environment: string;
}

/** Every metric the collector exports (prefix `faultline_`; labels only service, environment, level, reason). */
export class CollectorMetrics {
  readonly registry = new Registry();
  readonly reportsReceived: Counter<'service' | 'environment' | 'level'>;
  readonly reportsDuplicate: Counter;
  readonly reportsRejected: Counter<'reason'>;
  readonly requestsRejected: Counter<'reason'>;
  readonly sdkDropped: Counter<'reason'>;
  readonly issuesCreated: Counter<'service' | 'environment'>;
  readonly issuesRegressed: Counter<'service' | 'environment'>;
  readonly ingestDuration: Histogram;
  readonly storeWriteDuration: Histogram;
  readonly storeWriteEvents: Histogram;
  readonly queueDepth: Gauge;
  readonly #services = new LabelCap(MAX_LABEL_VALUES);
  readonly #environments = new LabelCap(MAX_LABEL_VALUES);
  readonly #pairs = new LabelCap(MAX_SERVICE_ENVIRONMENTS);
  readonly #reasons = new LabelCap(MAX_LABEL_VALUES);

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'faultline_' });
    this.reportsReceived = new Counter({
      name: 'faultline_reports_received_total',
      help: 'Reports accepted and stored (duplicates not included).',
      labelNames: ['service', 'environment', 'level'],
      registers,
    });
    this.reportsDuplicate = new Counter({
      name: 'faultline_reports_duplicate_total',
      help: 'Reports whose id had already been ingested (retries); nothing was stored twice.',
      registers,
    });
    this.reportsRejected = new Counter({
      name: 'faultline_reports_rejected_total',
      help: 'Reports refused, by reason: invalid, refused_by_store, rate_limited, overloaded, store_unavailable, too_many_reports.',
      labelNames: ['reason'],
      registers,
    });
    this.requestsRejected = new Counter({
      name: 'faultline_requests_rejected_total',
      help: 'Ingest requests refused as a whole, by reason: unauthorized, rate_limited, overloaded, unavailable, invalid_json, invalid_encoding, unsupported_encoding, unsupported_media_type, body_too_large, too_many_reports, invalid_body, internal.',
      labelNames: ['reason'],
      registers,
    });
    this.sdkDropped = new Counter({
      name: 'faultline_sdk_dropped_reports_total',
      help: 'Reports the SDKs report having dropped before sending (the `dropped` counts of batches), by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.issuesCreated = new Counter({
      name: 'faultline_issues_created_total',
      help: 'Issues created (first event of a new fingerprint).',
      labelNames: ['service', 'environment'],
      registers,
    });
    this.issuesRegressed = new Counter({
      name: 'faultline_issues_regressed_total',
      help: 'Resolved issues reopened by a new event.',
      labelNames: ['service', 'environment'],
      registers,
    });
    this.ingestDuration = new Histogram({
      name: 'faultline_ingest_duration_seconds',
      help: 'Time from a batch being read to its reports being committed.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.storeWriteDuration = new Histogram({
      name: 'faultline_store_write_duration_seconds',
      help: 'Duration of one group-commit transaction.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.storeWriteEvents = new Histogram({
      name: 'faultline_store_write_events',
      help: 'Reports per group-commit transaction.',
      buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000, 20000],
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'faultline_ingest_queue_depth',
      help: 'Reports waiting for the writer (queued or being committed).',
      registers,
    });
  }

  service(value: string): string {
    return this.#services.value(value);
  }

  environment(value: string): string {
    return this.#environments.value(value);
  }

  /**
   * The labels of a (service, environment) pair: each value capped at 100 distinct ones, and the pairs at 1,000;
   * past either cap the value, or the pair, counts as `other`.
   */
  serviceLabels(service: string, environment: string): ServiceLabels {
    const labels = { service: this.service(service), environment: this.environment(environment) };
    // JSON keeps the pair's key unambiguous whatever characters the names hold.
    return this.#pairs.admits(JSON.stringify([labels.service, labels.environment])) ? labels : { service: OTHER, environment: OTHER };
  }

  /** SDK-supplied reasons: kept when short snake_case, else `other`. */
  reason(value: string): string {
    return REASON_PATTERN.test(value) ? this.#reasons.value(value) : OTHER;
  }
}
