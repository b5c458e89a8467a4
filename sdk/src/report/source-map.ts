import { createRequire } from 'node:module';
import type * as SourceMapSupportModule from 'source-map-support';

type SourceMapSupport = typeof SourceMapSupportModule;

export interface Position {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

// Loaded on the first frame that needs mapping, so importing the SDK stays cheap.
let support: SourceMapSupport | null | undefined;
const load = createRequire(import.meta.url);

function sourceMapSupport(): SourceMapSupport | null {
  if (support === undefined) {
    try {
      support = load('source-map-support') as SourceMapSupport;
    } catch {
      support = null;
    }
  }
  return support;
}

/**
 * Maps a generated position to its original source through the file's source map, if it has one
 * (`//# sourceMappingURL=`, a file or an inline data URL). Uses source-map-support's position mapping, which
 * reads each file once and keeps its parsed map (or the absence of one) per file; the global
 * `Error.prepareStackTrace` is never touched. Returns undefined when there is no mapping.
 */
export function mapPosition(position: Position): Position | undefined {
  const sms = sourceMapSupport();
  if (sms === null) return undefined;
  try {
    // source-map-support positions: 1-based lines, 0-based columns.
    const mapped = sms.mapSourcePosition({ source: position.file, line: position.line, column: position.column - 1 });
    if (typeof mapped.source !== 'string' || mapped.source === position.file) return undefined;
    return { file: mapped.source, line: mapped.line, column: mapped.column + 1 };
  } catch {
    // A malformed map spoils only the mapping, not the report.
    return undefined;
  }
}
