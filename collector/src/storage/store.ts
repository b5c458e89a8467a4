import type { Level } from '@faultline/sdk/schema';

export type IssueStatus = 'unresolved' | 'resolved' | 'ignored';
export const ISSUE_STATUSES: readonly IssueStatus[] = ['unresolved', 'resolved', 'ignored'];
export type IssueSort = 'lastSeen' | 'firstSeen' | 'count';

/** A validated, grouped report ready to be written: the report JSON is stored once, as given. */
export interface PreparedEvent {
  id: string;
  service: string;
  environment: string;
  level: Level;
  /** Grouping hash (per service) and the grouping version that made it. */
  fingerprint: string;
  grouping: number;
  /** Event time (the report's own timestamp) and arrival time, ms since the epoch. */
  timestamp: number;
  receivedAt: number;
  type: string;
  title: string;
  message: string;
  culprit: string;
  /** The report, serialized: valid JSON text (the PostgreSQL store passes it through its json type). */
  json: string;
}

/** What one transaction did: per event whether it was new (stored) or a duplicate, and the issues it changed. */
export interface WriteResult {
  stored: boolean[];
  created: { service: string; environment: string }[];
  regressed: { service: string; environment: string }[];
  /**
   * Set by the group-commit writer when the store refused some events for what they hold (see `isDataError`):
   * per event, why it was not stored; the others were written without them.
   */
  refused?: (string | undefined)[];
}

export interface Issue {
  id: string;
  title: string;
  type: string;
  culprit: string;
  service: string;
  environment: string;
  level: Level;
  status: IssueStatus;
  regressed: boolean;
  count: number;
  /** ms since the epoch; the API turns them into RFC 3339. */
  firstSeen: number;
  lastSeen: number;
}

export interface IssueDetail extends Issue {
  message: string;
  fingerprint: string;
  grouping: number;
  latestEventId: string | null;
}

/** Which issues a list or a count covers. */
export interface IssueFilter {
  service?: string;
  environment?: string;
  status?: IssueStatus;
  level?: Level;
  q?: string;
  since?: number;
  until?: number;
}

export interface IssueQuery extends IssueFilter {
  sort: IssueSort;
  /** Position after which the page starts (decoded cursor). */
  after?: { value: number; id: number };
  limit: number;
}

export interface StoredEvent {
  id: string;
  issueId: string;
  timestamp: number;
  receivedAt: number;
  json: string;
  /** Breaks ties between events of the same timestamp in pagination (store-specific, opaque). */
  tiebreak: string;
}

export interface EventQuery {
  issueId: string;
  /** The timestamp and tiebreak of the last event of the previous page. */
  after?: { value: number; id: string };
  limit: number;
}

export type StatsInterval = 'minute' | 'hour' | 'day';

export interface StatsQuery {
  interval: StatsInterval;
  /** Bucket-aligned bounds, ms: events with `since <= timestamp < until`. */
  since: number;
  until: number;
  service?: string;
  environment?: string;
  issueId?: string;
}

export interface StatsResult {
  /** Bucket start (ms) → count; buckets without events may be absent. */
  buckets: { t: number; count: number }[];
  byService: { service: string; count: number }[];
  byEnvironment: { environment: string; count: number }[];
  byLevel: { level: Level; count: number }[];
}

export interface ServiceSummary {
  name: string;
  environments: string[];
  issues: number;
  lastSeen: number;
}

export interface RetentionPolicy {
  /** Events with a timestamp before this (ms) are deleted; so are issues last seen before it. */
  olderThan: number;
  maxEventsPerIssue: number;
}

export interface RetentionResult {
  deletedEvents: number;
  deletedIssues: number;
}

/**
 * The one storage interface: SQLite (`SqliteStore`) and PostgreSQL (`PostgresStore`) implement it and pass the
 * same test suite. Writes come from one writer per process (the group-commit queue); several processes may
 * share a PostgreSQL database.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Writes events in one transaction: new ids are stored once, issues created or updated, hourly counts kept. */
  writeEvents(events: readonly PreparedEvent[]): Promise<WriteResult>;
  listIssues(query: IssueQuery): Promise<Issue[]>;
  /** How many issues match the filter, for "51–100 of 5,000". */
  countIssues(filter: IssueFilter): Promise<number>;
  getIssue(id: string): Promise<IssueDetail | undefined>;
  /** Sets the status (clearing `regressed`); undefined when there is no such issue. */
  setIssueStatus(id: string, status: IssueStatus, now: number): Promise<Issue | undefined>;
  listEvents(query: EventQuery): Promise<StoredEvent[]>;
  getEvent(id: string): Promise<StoredEvent | undefined>;
  /** Hourly counts per issue for `hours` hours starting at `fromHour` (ms, hour-aligned). */
  sparklines(issueIds: readonly string[], fromHour: number, hours: number, environment?: string): Promise<Map<string, number[]>>;
  stats(query: StatsQuery): Promise<StatsResult>;
  services(): Promise<ServiceSummary[]>;
  applyRetention(policy: RetentionPolicy): Promise<RetentionResult>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
