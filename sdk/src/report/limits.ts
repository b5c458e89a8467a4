/** Every size a report may have. The SDK cuts to these; the collector's validation enforces them. */
export const LIMITS = {
  /** Whole serialized report, in bytes. */
  reportBytes: 256 * 1024,
  messageChars: 8 * 1024,
  stackChars: 64 * 1024,
  framesPerStack: 100,
  frameFileChars: 1024,
  frameFunctionChars: 512,
  typeChars: 256,
  codeChars: 256,
  /** Links of the async spawn chain kept in a report. */
  asyncStackEntries: 32,
  framesPerSpawnSite: 16,
  groupNameChars: 200,
  causes: 5,
  aggregatedErrors: 32,
  tags: 100,
  tagKeyChars: 64,
  tagValueChars: 200,
  /** Depth and serialized size of each of `user`, `request`, `extra`. */
  contextDepth: 5,
  contextBytes: 16 * 1024,
  fingerprintParts: 16,
  fingerprintPartChars: 200,
  serviceFieldChars: 200,
  /** Reports per batch the collector accepts. */
  reportsPerBatch: 1000,
} as const;

/** Appended to every string the SDK had to cut, so a reader can tell it is incomplete. */
export const TRUNCATION_MARKER = '…[truncated]';
