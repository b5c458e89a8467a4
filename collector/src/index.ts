// Public API of @faultline/collector.
export { buildApp } from './app.js';
export type { FaultlineServices } from './app.js';
export { startCollector } from './start-collector.js';
export type { RunningCollector } from './start-collector.js';
export type { CollectorOptions } from './config/options.js';
export { CollectorHttpError, CollectorConfigError, ERROR_STATUS, CONFIG_ERROR_CODES } from './errors.js';
export type { ErrorCode, ConfigErrorCode } from './errors.js';
export { SqliteStore } from './storage/sqlite-store.js';
export { PostgresStore } from './storage/postgres-store.js';
export type {
  Store,
  Issue,
  IssueDetail,
  IssueStatus,
  IssueQuery,
  PreparedEvent,
  WriteResult,
  StoredEvent,
  StatsQuery,
  StatsResult,
  ServiceSummary,
  RetentionPolicy,
  RetentionResult,
} from './storage/store.js';
export { groupReport, GROUPING_VERSION } from './grouping/group-report.js';
export type { Grouping } from './grouping/group-report.js';
export type { IngestReports, IngestContext, IngestResult } from './ingest/ingest-reports.js';
