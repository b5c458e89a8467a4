/**
 * `@faultline/sdk/schema`: the report format, schema 1, as TypeBox schemas (which are JSON Schema) and types.
 * The collector validates with these; nothing else defines the format.
 */
export {
  ReportSchema,
  BatchSchema,
  BatchResponseSchema,
  FrameSchema,
  AsyncStackEntrySchema,
  LinkedErrorSchema,
  ContextSchema,
  GroupFactsSchema,
  TraceSchema,
  ServiceSchema,
  RuntimeSchema,
  SdkInfoSchema,
  LevelSchema,
  MechanismSchema,
  TIMESTAMP_PATTERN,
} from './report/schema.js';
export type {
  Report,
  Batch,
  BatchResponse,
  Frame,
  AsyncStackEntry,
  LinkedError,
  ReportContext,
  GroupFacts,
  Trace,
  Level,
  Mechanism,
} from './report/schema.js';
export { LIMITS, TRUNCATION_MARKER } from './report/limits.js';
