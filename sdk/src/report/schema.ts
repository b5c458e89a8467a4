import { Type, type Static } from '@sinclair/typebox';
import { LIMITS } from './limits.js';

const str = (maxLength: number) => Type.String({ maxLength });

export const LevelSchema = Type.Union(
  [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')],
  { $id: 'Level' },
);

export const MechanismSchema = Type.Union([
  Type.Literal('errgroup'),
  Type.Literal('waitgroup'),
  Type.Literal('captureException'),
  Type.Literal('uncaughtException'),
  Type.Literal('unhandledRejection'),
  Type.Literal('logger'),
  // Reports converted by the collector from other protocols.
  Type.Literal('sentry'),
  Type.Literal('otlp'),
]);

/** One stack frame, innermost first in every list. `line`/`column` are 1-based; absent for native frames. */
export const FrameSchema = Type.Object(
  {
    file: str(LIMITS.frameFileChars),
    function: str(LIMITS.frameFunctionChars),
    line: Type.Optional(Type.Integer({ minimum: 0 })),
    column: Type.Optional(Type.Integer({ minimum: 0 })),
    inApp: Type.Boolean(),
    /** V8 marked the frame `async` (an await continuation). */
    async: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** One link of the spawn chain: where `go(...)` was called for the task that failed, then its parent, ... */
export const AsyncStackEntrySchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('errgroup'), Type.Literal('waitgroup')]),
    group: str(LIMITS.groupNameChars),
    task: str(LIMITS.groupNameChars),
    frames: Type.Array(FrameSchema, { maxItems: LIMITS.framesPerSpawnSite }),
  },
  { additionalProperties: false },
);

/** A linked error: an `Error.cause` or a member of an `AggregateError`. */
export const LinkedErrorSchema = Type.Object(
  {
    type: str(LIMITS.typeChars),
    message: str(LIMITS.messageChars),
    code: Type.Optional(str(LIMITS.codeChars)),
    frames: Type.Array(FrameSchema, { maxItems: LIMITS.framesPerStack }),
  },
  { additionalProperties: false },
);

const FreeObject = Type.Record(Type.String(), Type.Unknown());

export const ContextSchema = Type.Object(
  {
    tags: Type.Record(Type.String({ maxLength: LIMITS.tagKeyChars }), str(LIMITS.tagValueChars), {
      maxProperties: LIMITS.tags,
    }),
    user: Type.Optional(FreeObject),
    request: Type.Optional(FreeObject),
    extra: Type.Optional(FreeObject),
  },
  { additionalProperties: false },
);

export const GroupFactsSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('errgroup'), Type.Literal('waitgroup')]),
    name: str(LIMITS.groupNameChars),
    task: str(LIMITS.groupNameChars),
    failFast: Type.Boolean(),
    optional: Type.Boolean(),
    started: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    canceled: Type.Integer({ minimum: 0 }),
    elapsedMs: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const TraceSchema = Type.Object(
  {
    traceId: Type.String({ pattern: '^[0-9a-f]{32}$' }),
    spanId: Type.String({ pattern: '^[0-9a-f]{16}$' }),
  },
  { additionalProperties: false },
);

export const ServiceSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: LIMITS.serviceFieldChars }),
    version: Type.Optional(str(LIMITS.serviceFieldChars)),
    environment: Type.Optional(str(LIMITS.serviceFieldChars)),
  },
  { additionalProperties: false },
);

export const RuntimeSchema = Type.Object(
  {
    name: str(LIMITS.serviceFieldChars),
    version: Type.Optional(str(LIMITS.serviceFieldChars)),
    platform: Type.Optional(str(LIMITS.serviceFieldChars)),
    arch: Type.Optional(str(LIMITS.serviceFieldChars)),
    hostname: Type.Optional(str(LIMITS.serviceFieldChars)),
    pid: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const SdkInfoSchema = Type.Object(
  { name: str(LIMITS.serviceFieldChars), version: str(LIMITS.serviceFieldChars) },
  { additionalProperties: false },
);

/** RFC 3339 with an explicit offset; the SDK always writes UTC with milliseconds (`...T12:00:00.000Z`). */
export const TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';

/** The error report, schema 1. See DESIGN.md "Report format". */
export const ReportSchema = Type.Object(
  {
    schema: Type.Literal(1),
    id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
    timestamp: Type.String({ pattern: TIMESTAMP_PATTERN, maxLength: 40 }),
    level: LevelSchema,
    message: str(LIMITS.messageChars),
    type: str(LIMITS.typeChars),
    code: Type.Optional(str(LIMITS.codeChars)),
    stack: Type.Optional(str(LIMITS.stackChars)),
    frames: Type.Array(FrameSchema, { maxItems: LIMITS.framesPerStack }),
    asyncStack: Type.Optional(Type.Array(AsyncStackEntrySchema, { maxItems: LIMITS.asyncStackEntries })),
    causes: Type.Optional(Type.Array(LinkedErrorSchema, { maxItems: LIMITS.causes })),
    errors: Type.Optional(Type.Array(LinkedErrorSchema, { maxItems: LIMITS.aggregatedErrors })),
    handled: Type.Boolean(),
    mechanism: MechanismSchema,
    context: ContextSchema,
    group: Type.Optional(GroupFactsSchema),
    trace: Type.Optional(TraceSchema),
    service: ServiceSchema,
    runtime: RuntimeSchema,
    sdk: SdkInfoSchema,
    fingerprint: Type.Optional(
      Type.Array(str(LIMITS.fingerprintPartChars), { minItems: 1, maxItems: LIMITS.fingerprintParts }),
    ),
  },
  { $id: 'https://faultline.dev/schema/report-1.json', title: 'faultline error report, schema 1', additionalProperties: false },
);

/** `POST /v1/reports` body. Reports are validated one by one, so one bad report does not reject the batch. */
export const BatchSchema = Type.Object(
  {
    reports: Type.Array(Type.Unknown(), { maxItems: LIMITS.reportsPerBatch }),
    // Counts since the last delivery, by reason: exact integers; the SDK has 8 reasons plus one per refusing HTTP status.
    dropped: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), { maxProperties: 256 }),
    ),
  },
  { additionalProperties: false },
);

/** `202` answer of `POST /v1/reports`. */
export const BatchResponseSchema = Type.Object({
  accepted: Type.Integer({ minimum: 0 }),
  duplicates: Type.Integer({ minimum: 0 }),
  rejected: Type.Array(Type.Object({ index: Type.Integer({ minimum: 0 }), error: Type.String() })),
});

export type Level = Static<typeof LevelSchema>;
export type Mechanism = Static<typeof MechanismSchema>;
export type Frame = Static<typeof FrameSchema>;
export type AsyncStackEntry = Static<typeof AsyncStackEntrySchema>;
export type LinkedError = Static<typeof LinkedErrorSchema>;
export type ReportContext = Static<typeof ContextSchema>;
export type GroupFacts = Static<typeof GroupFactsSchema>;
export type Trace = Static<typeof TraceSchema>;
export type Report = Static<typeof ReportSchema>;
export type Batch = Static<typeof BatchSchema>;
export type BatchResponse = Static<typeof BatchResponseSchema>;
