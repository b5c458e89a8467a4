// The read API's shapes (collector issue 4). Report fields come from the SDK's schema, the single definition.
import type { Level, Report } from '@faultline/sdk/schema';

export type { AsyncStackEntry, Frame, Level, LinkedError, Report } from '@faultline/sdk/schema';

export type IssueStatus = 'unresolved' | 'resolved' | 'ignored';
export type SortKey = 'lastSeen' | 'firstSeen' | 'count';

/** A time as the API writes it: RFC 3339 text or epoch milliseconds. */
export type Instant = string | number;

export interface IssueSummary {
  id: string;
  title: string;
  type: string;
  culprit?: string | null;
  service: string;
  environment?: string | null;
  level: Level;
  status: IssueStatus;
  regressed: boolean;
  count: number;
  firstSeen: Instant;
  lastSeen: Instant;
  /** Hourly counts over the last 24 hours, oldest first (with `sparkline=24h`). */
  sparkline?: number[];
}

/** A stored event: the report as ingested, plus when the collector received it and the issue it is in. */
export type StoredEvent = Report & { receivedAt?: Instant; issueId?: string };

export interface IssueDetail extends IssueSummary {
  /** The latest event's message (the title may be shortened). */
  message?: string;
  latestEvent?: StoredEvent | null;
}

export interface IssuePage {
  issues: IssueSummary[];
  nextCursor?: string | null;
  /** Issues matching the filters on all pages (absent from collectors older than this UI). */
  total?: number;
}

export interface EventPage {
  events: StoredEvent[];
  nextCursor?: string | null;
}

export interface Bucket {
  t: Instant;
  count: number;
}

/** One row of a breakdown; the API names the key after the dimension (`service`, `environment`, `level`). */
export interface BreakdownRow {
  key: string;
  count: number;
}

export interface Stats {
  buckets: Bucket[];
  byService: BreakdownRow[];
  byEnvironment: BreakdownRow[];
  byLevel: BreakdownRow[];
}

/** A service seen by the collector (`GET /api/services`). */
export interface ServiceSummary {
  name: string;
  environments: string[];
  issues?: number;
  lastSeen?: Instant;
}

export type Interval = 'minute' | 'hour' | 'day';

export interface IssueQuery {
  q?: string;
  status?: IssueStatus;
  level?: Level;
  service?: string;
  environment?: string;
  sort?: SortKey;
  since?: string;
  until?: string;
  cursor?: string;
  limit?: number;
  sparkline?: boolean;
}

export interface StatsQuery {
  interval: Interval;
  since: string;
  until?: string;
  service?: string;
  environment?: string;
  issue?: string;
}
