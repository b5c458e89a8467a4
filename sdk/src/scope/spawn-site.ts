import { parse } from 'stacktrace-parser';
import type { SiteFrame } from '../errors.js';

/** Frames of the caller kept per spawn site: the `go(...)` line. Each captured frame costs about 0.5–1 µs on Node 20. */
export const USER_FRAMES = 1;

/**
 * What `Error.stackTraceLimit` is set to for a capture made inside a public SDK method: that method's own frame,
 * then the caller's. Capturing in place (not in a helper, not with `captureStackTrace`'s skip-until function)
 * walks the fewest frames, and each frame walked costs.
 */
export const SITE_FRAMES = USER_FRAMES + 1;

/**
 * Where a task was spawned: an Error whose stack V8 has captured but not formatted (cheap to take, but it keeps
 * the captured frames' functions and receivers alive) until `siteFrames` turns it into plain frames and drops it.
 */
export interface SpawnSite {
  stack?: unknown;
  frames?: readonly SiteFrame[];
}

/** Records the caller of `above` (a public SDK function on the current stack); for paths that are not hot. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- V8 matches the frame by function identity
export function captureSite(above: Function): SpawnSite | undefined {
  const site: SpawnSite = {};
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = USER_FRAMES;
    try {
      Error.captureStackTrace(site, above);
    } finally {
      Error.stackTraceLimit = limit;
    }
  } catch {
    return undefined; // a locked-down Error: no spawn sites
  }
  return site;
}

const NO_FRAMES: readonly SiteFrame[] = Object.freeze([]);
const AT = /^\s*at (?:async )?/;

/**
 * The site's frames, innermost first. The first call formats the capture and releases what it pinned. The
 * capture is formatted by whatever formats `err.stack` here (Node, `--enable-source-maps`, a test runner's
 * source maps), so its frames read like those of the error's own stack.
 */
export function siteFrames(site: SpawnSite | undefined): readonly SiteFrame[] {
  if (site === undefined) return NO_FRAMES;
  if (site.frames !== undefined) return site.frames;
  let formatted: unknown;
  try {
    formatted = site.stack;
  } catch {
    formatted = undefined;
  }
  let frames: SiteFrame[] = [];
  if (typeof formatted === 'string') frames = fromText(formatted);
  else if (Array.isArray(formatted)) frames = formatted.filter(isCallSite).map(fromCallSite); // an app's prepareStackTrace
  // The SDK method's own frame, unless a formatter already hid it (one that filters node_modules, say).
  if (frames.length > USER_FRAMES) frames = frames.slice(frames.length - USER_FRAMES);
  // Replacing the value drops V8's capture (if formatting left any), and with it the frames' receivers and closures.
  site.stack = undefined;
  site.frames = Object.freeze(frames);
  return site.frames;
}

function fromText(text: string): SiteFrame[] {
  const frames: SiteFrame[] = [];
  for (const line of text.split('\n')) {
    const at = AT.exec(line);
    if (at === null) continue;
    const parsed = parse(`    at ${line.slice(at[0].length)}`)[0];
    if (parsed === undefined) continue;
    const frame: { file: string; function: string; line?: number; column?: number } = {
      file: parsed.file ?? '<anonymous>',
      function: parsed.methodName === '<unknown>' ? '<anonymous>' : parsed.methodName,
    };
    if (parsed.lineNumber !== null) frame.line = parsed.lineNumber;
    if (parsed.column !== null) frame.column = parsed.column;
    frames.push(frame);
  }
  return frames;
}

function isCallSite(value: unknown): value is NodeJS.CallSite {
  return typeof value === 'object' && value !== null && typeof (value as NodeJS.CallSite).getLineNumber === 'function';
}

function fromCallSite(cs: NodeJS.CallSite): SiteFrame {
  const frame: { file: string; function: string; line?: number; column?: number } = { file: '<anonymous>', function: '<anonymous>' };
  try {
    frame.file = cs.getFileName() ?? frame.file;
    frame.function = cs.getFunctionName() ?? cs.getMethodName() ?? frame.function;
    const line = cs.getLineNumber();
    const column = cs.getColumnNumber();
    if (line !== null) frame.line = line;
    if (column !== null) frame.column = column;
  } catch {
    // An exotic frame: keep what was read.
  }
  return frame;
}
