/**
 * `@faultline/sdk/interop`: the SDK's bounding helpers for converters that build reports from other protocols
 * (the collector's Sentry and OpenTelemetry ingest), so converted reports are cut exactly as the SDK cuts its own.
 */
export { truncate, truncateAny } from './report/truncate.js';
export { normalizeObject } from './report/normalize.js';
export type { NormalizeLimits } from './report/normalize.js';
export { isInApp, parseForeignStack } from './report/stack-frames.js';
export { newReportId } from './report/report-id.js';
